import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { generateBackupKeyPair, keyFingerprint, MIN_KEY_BITS, paperExport, spacedFingerprint } from '../platform/backup/index.js';
import { readPrivateKeyFile, runBackupCommand } from './backup-exits.js';
import { UsageError } from './command-runner.js';

/**
 * `huiji backup-key generate | export`. The public key stays on the server and is all a
 * backup needs; the private key is written once, for the admin to move offline.
 */
const program = new Command().name('huiji backup-key').description('The backup key pair (RSA, at least 3072 bits)')
  // Usage mistakes (a missing option, an unknown one) end with 2 like every other usage error.
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));
const print = (text: string) => process.stdout.write(`${text}\n`);

/** Exclusive create: an existing key is never overwritten (old backups would become unreadable). */
function writeNew(file: string, content: string, mode: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    fs.writeFileSync(file, content, { mode, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new UsageError(`${file} exists; a backup key is never overwritten`);
    throw error;
  }
}

program
  .command('generate')
  .description('create a key pair: the public key for this server, the private key to take off it')
  .requiredOption('--public-out <file>', 'where the public key goes (e.g. /etc/huiji/backup-public.pem)')
  .requiredOption('--private-out <file>', 'where the private key goes, once (0600); move it offline')
  .option('--bits <n>', `key size, at least ${MIN_KEY_BITS}`, String(MIN_KEY_BITS))
  .option('--json', 'print {fingerprint, publicKeyFile, privateKeyFile} as JSON')
  .action((options: { publicOut: string; privateOut: string; bits: string; json?: boolean }) =>
    runBackupCommand('backup-key generate', async () => {
      const bits = Number(options.bits);
      if (!Number.isInteger(bits) || bits < MIN_KEY_BITS || bits > 8192) throw new UsageError(`--bits must be a whole number from ${MIN_KEY_BITS} to 8192`);
      for (const file of [options.publicOut, options.privateOut]) if (fs.existsSync(file)) throw new UsageError(`${file} exists; a backup key is never overwritten`);
      const pair = generateBackupKeyPair(bits);
      writeNew(options.privateOut, pair.privateKeyPem, 0o600);
      writeNew(options.publicOut, pair.publicKeyPem, 0o644);
      if (options.json) {
        print(JSON.stringify({ fingerprint: pair.fingerprint, publicKeyFile: path.resolve(options.publicOut), privateKeyFile: path.resolve(options.privateOut) }));
      } else {
        print(`backup key pair created, fingerprint ${spacedFingerprint(pair.fingerprint)}`);
        print(`  public key (stays here): ${path.resolve(options.publicOut)}`);
        print(`  PRIVATE KEY: ${path.resolve(options.privateOut)}`);
        print('  Move the private key off this server now and keep it safe: without it no backup can be read.');
        print('  请立即将私钥移出本服务器并妥善保管：没有它，任何备份都无法读取。');
      }
      return 0;
    }),
  );

program
  .command('export')
  .description('print the private key for a paper copy in a safe, with its fingerprint and line numbers')
  .requiredOption('--private-key <file>', 'the backup private key (PEM)')
  .option('--paper', 'the printable form (the only form there is)')
  .action((options: { privateKey: string }) =>
    runBackupCommand('backup-key export', async () => {
      print(paperExport(readPrivateKeyFile(options.privateKey)));
      return 0;
    }),
  );

program
  .command('fingerprint')
  .description("print a key's fingerprint (public or private), to match it with a backup's")
  .argument('<file>', 'a PEM key file')
  .action((file: string) =>
    runBackupCommand('backup-key fingerprint', async () => {
      if (!fs.existsSync(file)) throw new UsageError(`no key file at ${file}`);
      print(spacedFingerprint(keyFingerprint(fs.readFileSync(file, 'utf8'))));
      return 0;
    }),
  );

await program.parseAsync();
