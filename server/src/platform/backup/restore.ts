import fs from 'node:fs';
import path from 'node:path';
import dayjs from 'dayjs';
import { parseDatabaseUrl, type HuijiConfig } from '../config/schema.js';
import type { EncryptedColumn } from '../crypto/encrypted-columns.js';
import { createSequelize } from '../db/connect.js';
import { knownMigrations, runMigrations } from '../db/migrate.js';
import { VERSION } from '../paths.js';
import { keyFileOf, writeSnapshot } from './create.js';
import { checkDecryption, type DecryptionCheck } from './decrypt-check.js';
import { BackupError, integrityError, prerequisiteError } from './errors.js';
import { compareDataFiles, compareSums, loadArchive, openBackupArchive, openSnapshotArchive, tableSums, type LoadTarget } from './load.js';
import { closeMysql, listTables, openMysql } from './mysql-dump.js';
import { dropAllTables } from './mysql-load.js';
import { removeSqliteFiles } from './sqlite-snapshot.js';
import { applySecrets, type AppliedSecrets } from './secrets.js';
import type { Manifest } from './snapshot.js';
import { checkKeyMatches, readSecrets } from './verify.js';
import { dataFilePath } from './data-files.js';

export interface RestoreReport {
  file: string;
  database: string;
  tables: number;
  rows: number;
  migrationsApplied: string[];
  decryption: DecryptionCheck;
  dataFiles: number;
  secretsWritten: string[];
  rollbackSnapshot: string | null;
  seconds: number;
}

/** 1.2.10 > 1.2.9: versions compare by their numbers. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.split(/[.-]/).map((part) => (/^\d+$/.test(part) ? Number(part) : 0));
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const diff = (x[i] ?? 0) - (y[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}

async function openTarget(url: string): Promise<{ target: LoadTarget; finalFile: string | null; close: () => Promise<void> }> {
  const parsed = parseDatabaseUrl(url);
  if (!parsed) throw new Error('unsupported database URL');
  if (parsed.dialect === 'mysql') {
    const connection = await openMysql(url).catch((error: Error) => {
      throw prerequisiteError('BACKUP_TARGET_UNREACHABLE', `cannot reach the target database: ${error.message}`);
    });
    return { target: { dialect: 'mysql', connection }, finalFile: null, close: () => closeMysql(connection) };
  }
  const finalFile = path.resolve(parsed.storage);
  fs.mkdirSync(path.dirname(finalFile), { recursive: true });
  return { target: { dialect: 'sqlite', file: `${finalFile}.restoring` }, finalFile, close: async () => undefined };
}

/** Replaces the SQLite file with the loaded one; its old journal files would corrupt the new one. */
async function promoteSqlite(staged: string, finalFile: string): Promise<void> {
  await removeSqliteFiles(staged, { keepMain: true });
  await removeSqliteFiles(finalFile, { keepMain: true });
  fs.renameSync(staged, finalFile);
}

/**
 * Restores a backup into the configured database (or `targetUrl`), all or nothing:
 *  1. refuses a backup from a newer Huiji, a wrong key, a missing `.hjkey`;
 *  2. dumps the current database to a rollback snapshot (when it has tables);
 *  3. loads the backup, recomputes every table's checksum against the manifest;
 *  4. puts the backup's secrets in place, runs this release's newer migrations, and checks
 *     that encrypted columns decrypt;
 *  5. on any failure after 2, loads the rollback snapshot back and restores the secrets.
 * Huiji must not be running against the target meanwhile (the CLI checks).
 */
export async function restoreBackup(options: {
  config: HuijiConfig;
  configFile: string | null;
  file: string;
  privateKeyPem: string;
  targetUrl?: string;
  encryptedColumns: readonly EncryptedColumn[];
  /** `leave`: a restore beside the live database; this server's secrets stay as they are. */
  secrets?: 'apply' | 'leave';
  onStep?: (step: string) => void;
}): Promise<RestoreReport> {
  const started = performance.now();
  const { config, privateKeyPem } = options;
  const step = options.onStep ?? (() => undefined);
  const file = path.resolve(options.file);
  const url = options.targetUrl ?? config.databaseUrl;
  const header = await checkKeyMatches(file, privateKeyPem);
  if (compareVersions(header.huijiVersion, VERSION) > 0) {
    throw prerequisiteError('BACKUP_NEWER_VERSION', `this backup comes from Huiji ${header.huijiVersion}, newer than this release (${VERSION}); upgrade first, then restore`);
  }
  if (header.schemaVersion && !knownMigrations().includes(header.schemaVersion)) {
    throw prerequisiteError('BACKUP_NEWER_VERSION', `this backup's schema (${header.schemaVersion}) is newer than this release knows; upgrade first, then restore`);
  }
  const targetDialect = parseDatabaseUrl(url)?.dialect;
  if (targetDialect !== header.dialect) {
    throw prerequisiteError('BACKUP_DIALECT_MISMATCH', `this backup holds a ${header.dialect} database; the target is ${targetDialect}`);
  }
  const keyFile = keyFileOf(file);
  if (!fs.existsSync(keyFile)) {
    throw prerequisiteError('BACKUP_KEYS_MISSING', `the secrets file ${keyFile} must sit beside the backup: without it the restored phone numbers cannot be read`);
  }
  step('secrets');
  const secrets = await readSecrets(keyFile, privateKeyPem);

  const stamp = dayjs().format('YYYYMMDD-HHmmss');
  const rollbackDir = path.join(config.dataDir, 'rollback');
  let rollbackSnapshot: string | null = null;
  step('rollback snapshot');
  if (await hasTables(url)) {
    rollbackSnapshot = path.join(rollbackDir, `pre-restore-${stamp}.snap`);
    await writeSnapshot(config, rollbackSnapshot, url);
  }

  const staging = path.join(config.dataDir, `.restore-${stamp}`);
  const opened = await openTarget(url);
  let secretsApplied: AppliedSecrets | null = null;
  let loadedIntoTarget = false;
  try {
    step('load');
    if (opened.target.dialect === 'mysql') await dropAllTables(opened.target.connection);
    loadedIntoTarget = true;
    const loaded = await loadArchive(openBackupArchive(file, privateKeyPem), opened.target, { dataDir: staging });
    const manifest = loaded.manifest as Manifest;
    step('checksums');
    const mismatches = compareSums(manifest.tables, await tableSums(opened.target));
    if (mismatches.length > 0) throw integrityError(`restored tables differ from the manifest: ${mismatches.map((m) => m.table).join(', ')}`);
    const badFiles = compareDataFiles(manifest.dataFiles, loaded.dataFiles);
    if (badFiles.length > 0) throw integrityError(`restored data files differ from the manifest: ${badFiles.join(', ')}`);
    if (opened.target.dialect === 'sqlite' && opened.finalFile) await promoteSqlite(opened.target.file, opened.finalFile);
    await opened.close();

    if (options.secrets !== 'leave') {
      step('secrets in place');
      secretsApplied = applySecrets(config, options.configFile, secrets, stamp);
    }
    step('migrations');
    const sequelize = createSequelize({ url });
    let migrationsApplied: string[];
    try {
      migrationsApplied = await runMigrations(sequelize);
    } finally {
      await sequelize.close();
    }
    step('decryption check');
    const check = await openTarget(url);
    let decryption: DecryptionCheck;
    try {
      const target: LoadTarget = check.target.dialect === 'sqlite' ? { dialect: 'sqlite', file: check.finalFile as string } : check.target;
      decryption = await checkDecryption(target, secrets, options.encryptedColumns);
    } finally {
      await check.close();
    }
    if (decryption.failed > 0) {
      throw new BackupError(3, 'BACKUP_SECRETS_MISMATCH', `${decryption.failed} of ${decryption.checked} encrypted values do not decrypt with the backup's secrets`);
    }
    step('data files');
    const dataFiles = moveDataFiles(staging, config.dataDir);
    if (rollbackSnapshot) fs.rmSync(rollbackSnapshot, { force: true });
    return {
      file,
      database: url.replace(/(\/\/[^/:@\s]*:)[^@/\s]+@/, '$1***@'),
      tables: manifest.tables.length,
      rows: manifest.tables.reduce((sum, table) => sum + table.rows, 0),
      migrationsApplied,
      decryption,
      dataFiles,
      secretsWritten: secretsApplied?.changed ?? [],
      rollbackSnapshot: null,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    };
  } catch (error) {
    await opened.close().catch(() => undefined);
    if (opened.target.dialect === 'sqlite') await removeSqliteFiles(opened.target.file);
    fs.rmSync(staging, { recursive: true, force: true });
    secretsApplied?.undo();
    if (loadedIntoTarget) {
      step('rolling back');
      await putBack(config, url, rollbackSnapshot);
    }
    const reason = error instanceof Error ? error.message : String(error);
    const rolledBack = loadedIntoTarget ? (rollbackSnapshot ? 'the database was put back as it was before the restore' : 'the database was emptied again') : 'nothing was changed';
    if (error instanceof BackupError) throw new BackupError(error.exitCode, error.code, `${reason}; ${rolledBack}`);
    throw new Error(`restore failed: ${reason}; ${rolledBack}`, { cause: error });
  }
}

async function hasTables(url: string): Promise<boolean> {
  const parsed = parseDatabaseUrl(url);
  if (parsed?.dialect === 'sqlite') return fs.existsSync(path.resolve(parsed.storage)) && fs.statSync(path.resolve(parsed.storage)).size > 0;
  const opened = await openTarget(url);
  try {
    return opened.target.dialect === 'mysql' && (await listTables(opened.target.connection)).length > 0;
  } finally {
    await opened.close();
  }
}

/** Loads a rollback snapshot into the database, replacing what is there (or empties it when there was none). */
export async function putBack(config: HuijiConfig, url: string, snapshot: string | null): Promise<void> {
  const opened = await openTarget(url);
  try {
    if (opened.target.dialect === 'mysql') await dropAllTables(opened.target.connection);
    if (!snapshot) {
      if (opened.finalFile) fs.rmSync(opened.finalFile, { force: true });
      return;
    }
    await loadArchive(openSnapshotArchive(snapshot), opened.target);
    if (opened.target.dialect === 'sqlite' && opened.finalFile) await promoteSqlite(opened.target.file, opened.finalFile);
  } finally {
    await opened.close();
  }
}

function moveDataFiles(staging: string, dataDir: string): number {
  if (!fs.existsSync(staging)) return 0;
  let count = 0;
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        const destination = dataFilePath(dataDir, path.relative(staging, full));
        fs.mkdirSync(path.dirname(destination), { recursive: true, mode: 0o700 });
        fs.renameSync(full, destination);
        count += 1;
      }
    }
  };
  walk(staging);
  fs.rmSync(staging, { recursive: true, force: true });
  return count;
}
