import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline/promises';
import { Command } from 'commander';
import { readPublicKey } from '../modules/backup/public-key.js';
import { MEMBER_ENCRYPTED_COLUMNS } from '../modules/members/contact.js';
import { loadConfig } from '../platform/config/load.js';
import {
  BackupError,
  createBackup,
  putBack,
  restoreBackup,
  verifyBackup,
  writeSnapshot,
  type VerifyReport,
} from '../platform/backup/index.js';
import { readPrivateKeyFile, runBackupCommand } from './backup-exits.js';
import { UsageError } from './command-runner.js';

/**
 * `huiji backup create | verify | restore | snapshot | rollback`. Exit codes: 0 done,
 * 1 failed, 2 usage, 3 damaged or tampered file, 4 wrong private key, 5 prerequisite missing.
 */
const program = new Command().name('huiji backup').description('Encrypted backups: create, verify, restore; snapshots for upgrades')
  // Usage mistakes (a missing option, an unknown one) end with 2 like every other usage error.
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));

const print = (text: string) => process.stdout.write(`${text}\n`);
const configFile = () => (process.env.HUIJI_CONFIG ? path.resolve(process.env.HUIJI_CONFIG) : fs.existsSync('huiji.config.json') ? path.resolve('huiji.config.json') : null);

program
  .command('create')
  .description('back up the database and data files now (huiji-<time>.hjbak and .hjkey in backup.dir)')
  .option('--out <file>', 'where to write the .hjbak file (the .hjkey goes beside it)')
  .option('--json', 'print the result as JSON')
  .action((options: { out?: string; json?: boolean }) =>
    runBackupCommand('backup create', async () => {
      const config = loadConfig();
      const key = readPublicKey(config.backup.publicKeyFile);
      if (key.status === 'missing') {
        throw new UsageError(`no backup public key at ${key.file}; create one with: huiji backup-key generate --public-out ${key.file} --private-out <file to take off this server>`);
      }
      if (key.status === 'invalid') throw new UsageError(`the backup public key ${key.file} cannot be used: ${key.reason}`);
      const publicKeyPem = key.pem;
      let last = 0;
      const result = await createBackup({
        config,
        publicKeyPem,
        out: options.out,
        onProgress: (progress) => {
          if (options.json || !process.stderr.isTTY || Date.now() - last < 1000) return;
          last = Date.now();
          process.stderr.write(`\r${progress.phase} ${progress.rows.toLocaleString('en')} / ~${progress.totalRows.toLocaleString('en')} rows   `);
        },
      });
      if (options.json) print(JSON.stringify(result, null, 2));
      else {
        if (process.stderr.isTTY) process.stderr.write('\n');
        print(`backup written: ${result.file} (${(result.bytes / 1048576).toFixed(1)} MB, ${result.manifest.tables.length} tables, ${result.manifest.seconds} s)`);
        print(`secrets file:   ${result.keyFile} (keep it with the backup; both are needed to restore)`);
      }
      return 0;
    }),
  );

function printVerify(report: VerifyReport): void {
  print(`${report.ok ? 'OK' : 'FAILED'}: ${report.file}`);
  print(`  made ${report.header.createdAt} on ${report.header.host} by Huiji ${report.header.huijiVersion} (${report.header.dialect})`);
  print(`  ${report.tables} tables, ${report.rows.toLocaleString('en')} rows restored into a scratch database; ${report.mismatches.length} differ from the manifest`);
  for (const mismatch of report.mismatches) print(`    ${mismatch.table}: expected ${JSON.stringify(mismatch.expected)}, found ${JSON.stringify(mismatch.actual)}`);
  print(`  ${report.dataFiles.count} data files, ${(report.dataFiles.bytes / 1048576).toFixed(1)} MB${report.dataFiles.mismatched.length ? `; differ: ${report.dataFiles.mismatched.join(', ')}` : ''}`);
  print(`  secrets file: ${report.keys === 'ok' ? 'present, decrypts' : 'MISSING: a restore will need it'}`);
  if (report.decryption) print(`  encrypted values checked: ${report.decryption.checked}, not decrypting: ${report.decryption.failed}`);
  print(`  took ${report.seconds} s`);
}

program
  .command('verify')
  .description('decrypt every chunk, restore into a scratch database, compare with the manifest, drop it')
  .requiredOption('--file <file>', 'the .hjbak file')
  .requiredOption('--private-key <file>', 'the backup private key (PEM)')
  .option('--db-url <url>', 'MySQL server for the scratch database (mysql://user:password@host:3306/); default: the configured database server')
  .option('--json', 'print the report as JSON')
  .action((options: { file: string; privateKey: string; dbUrl?: string; json?: boolean }) =>
    runBackupCommand('backup verify', async () => {
      let scratchUrl = options.dbUrl;
      if (!scratchUrl) {
        try {
          scratchUrl = loadConfig().databaseUrl;
        } catch {
          scratchUrl = undefined;
        }
      }
      const report = await verifyBackup({
        file: options.file,
        privateKeyPem: readPrivateKeyFile(options.privateKey),
        scratchUrl,
        encryptedColumns: MEMBER_ENCRYPTED_COLUMNS,
      });
      if (options.json) print(JSON.stringify(report, null, 2));
      else printVerify(report);
      return report.ok ? 0 : 3;
    }),
  );

async function confirm(question: string, expected: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const prompt = readline.createInterface({ input: process.stdin, output: process.stdout });
  try {
    return (await prompt.question(question)).trim() === expected;
  } finally {
    prompt.close();
  }
}

/** Restoring under a running Huiji would mix its writes into the restored data. */
async function refuseWhileRunning(host: string, port: number): Promise<void> {
  const probe = host === '0.0.0.0' ? '127.0.0.1' : host;
  const answered = await fetch(`http://${probe}:${port}/healthz`, { signal: AbortSignal.timeout(1500) }).then(
    () => true,
    () => false,
  );
  if (answered) {
    throw new BackupError(5, 'BACKUP_SERVER_RUNNING', `Huiji answers on ${probe}:${port}: stop it first (systemctl stop huiji), then restore`);
  }
}

program
  .command('restore')
  .description('replace the configured database with a backup (a rollback snapshot is taken first and put back on failure)')
  .requiredOption('--file <file>', 'the .hjbak file (its .hjkey must be beside it)')
  .requiredOption('--private-key <file>', 'the backup private key (PEM)')
  .option('--db-url <url>', "restore into this database beside the configured one (the configured database and this server's secrets stay untouched)")
  .option('--yes', 'do not ask for confirmation')
  .option('--json', 'print the report as JSON')
  .action((options: { file: string; privateKey: string; dbUrl?: string; yes?: boolean; json?: boolean }) =>
    runBackupCommand('backup restore', async () => {
      const config = loadConfig();
      const privateKeyPem = readPrivateKeyFile(options.privateKey);
      const url = options.dbUrl ?? config.databaseUrl;
      const shown = url.replace(/(\/\/[^/:@\s]*:)[^@/\s]+@/, '$1***@');
      if (!options.yes && !(await confirm(`This replaces every table of ${shown} with the backup. Type "restore" to go on: `, 'restore'))) {
        throw new UsageError('not confirmed; pass --yes to restore without asking');
      }
      // Into another database (--db-url) the live one and its secrets stay untouched, so Huiji may keep running.
      const beside = options.dbUrl !== undefined && options.dbUrl !== config.databaseUrl;
      if (!beside) await refuseWhileRunning(config.host, config.port);
      const report = await restoreBackup({
        secrets: beside ? 'leave' : 'apply',
        config,
        configFile: configFile(),
        file: options.file,
        privateKeyPem,
        targetUrl: options.dbUrl,
        encryptedColumns: MEMBER_ENCRYPTED_COLUMNS,
        onStep: (step) => (options.json ? undefined : process.stderr.write(`… ${step}\n`)),
      });
      if (options.json) print(JSON.stringify(report, null, 2));
      else {
        print(`restored ${report.file} into ${report.database}: ${report.tables} tables, ${report.rows.toLocaleString('en')} rows, checksums equal the manifest`);
        print(`  migrations applied after the restore: ${report.migrationsApplied.length ? report.migrationsApplied.join(', ') : 'none'}`);
        print(`  encrypted values checked: ${report.decryption.checked}, all decrypt with the restored secrets`);
        if (beside) print("  this server's configuration and secrets were left as they are; the restored database reads with the backup's .hjkey secrets");
        else print(`  secrets written: ${report.secretsWritten.join(', ') || 'none'}; restart Huiji to use them`);
        print(`  took ${report.seconds} s`);
      }
      return 0;
    }),
  );

program
  .command('snapshot')
  .description('write a plaintext, gzip-only rollback copy of the database (0600) for an upgrade on this server')
  .requiredOption('--out <file>', 'where to write it')
  .action((options: { out: string }) =>
    runBackupCommand('backup snapshot', async () => {
      const manifest = await writeSnapshot(loadConfig(), path.resolve(options.out));
      print(`snapshot written: ${path.resolve(options.out)} (${manifest.tables.length} tables, schema ${manifest.schemaVersion})`);
      return 0;
    }),
  );

program
  .command('rollback')
  .description('replace the configured database with a snapshot taken by `huiji backup snapshot`')
  .requiredOption('--file <file>', 'the snapshot file')
  .option('--yes', 'do not ask for confirmation')
  .action((options: { file: string; yes?: boolean }) =>
    runBackupCommand('backup rollback', async () => {
      const config = loadConfig();
      if (!fs.existsSync(options.file)) throw new UsageError(`no snapshot at ${options.file}`);
      if (!options.yes && !(await confirm('This replaces every table of the configured database with the snapshot. Type "rollback" to go on: ', 'rollback'))) {
        throw new UsageError('not confirmed; pass --yes to roll back without asking');
      }
      await putBack(config, config.databaseUrl, path.resolve(options.file));
      print(`database put back from ${options.file}`);
      return 0;
    }),
  );

await program.parseAsync();
