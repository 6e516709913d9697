import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseDatabaseUrl } from '../config/schema.js';
import type { EncryptedColumn } from '../crypto/encrypted-columns.js';
import { readContainerHeader, decryptContainer, type ContainerHeader } from './container.js';
import { keyFileOf } from './create.js';
import { checkDecryption, type DecryptionCheck } from './decrypt-check.js';
import { BackupError, prerequisiteError, wrongKeyError } from './errors.js';
import { keyFingerprint } from './keys.js';
import { compareDataFiles, compareSums, loadArchive, openBackupArchive, tableSums, type LoadTarget, type SumMismatch } from './load.js';
import { closeMysql, openMysql, run } from './mysql-dump.js';
import type { SecretsBundle } from './secrets.js';
import { quoteIdentifier } from './sql-writer.js';
import { removeSqliteFiles } from './sqlite-snapshot.js';

export interface VerifyReport {
  ok: boolean;
  file: string;
  header: ContainerHeader;
  tables: number;
  rows: number;
  mismatches: SumMismatch[];
  dataFiles: { count: number; bytes: number; mismatched: string[] };
  keys: 'ok' | 'missing';
  decryption: DecryptionCheck | null;
  scratch: string;
  seconds: number;
}

export interface Verification {
  verifiedAt: string;
  ok: boolean;
  tables?: number;
  rows?: number;
  seconds?: number;
  error?: string;
}

export const verificationFileOf = (file: string) => `${file}.verify.json`;

export async function readVerification(file: string): Promise<Verification | null> {
  try {
    return JSON.parse(await fs.promises.readFile(verificationFileOf(file), 'utf8')) as Verification;
  } catch {
    return null;
  }
}

/** Records the outcome beside the backup for the console's list; a read-only folder is no error. */
export async function writeVerification(file: string, verification: Verification): Promise<void> {
  await fs.promises.writeFile(verificationFileOf(file), `${JSON.stringify(verification, null, 2)}\n`, { mode: 0o600 }).catch(() => undefined);
}

/** The header is checked against the key before anything is decrypted or created. */
export async function checkKeyMatches(file: string, privateKeyPem: string): Promise<ContainerHeader> {
  const header = await readContainerHeader(file);
  const given = keyFingerprint(privateKeyPem);
  if (given !== header.keyFingerprint) {
    throw wrongKeyError(`this backup was made for the key with fingerprint ${header.keyFingerprint}; the private key given has ${given}`);
  }
  return header;
}

export async function readSecrets(keyFile: string, privateKeyPem: string): Promise<SecretsBundle> {
  const parts: Buffer[] = [];
  for await (const part of decryptContainer(fs.createReadStream(keyFile), privateKeyPem, 'keys')) parts.push(part);
  return JSON.parse(Buffer.concat(parts).toString('utf8')) as SecretsBundle;
}

/**
 * Decrypts every chunk, loads the database into a scratch database (MySQL) or file
 * (SQLite), recomputes every table's rows and checksum and compares them with the
 * manifest, checks the `.hjkey` file and that encrypted columns decrypt with it, and drops
 * the scratch copy. Nothing live is touched.
 */
export async function verifyBackup(options: {
  file: string;
  privateKeyPem: string;
  scratchUrl?: string;
  encryptedColumns?: readonly EncryptedColumn[];
  onProgress?: (statements: number) => void;
}): Promise<VerifyReport> {
  const started = performance.now();
  const file = path.resolve(options.file);
  const header = await checkKeyMatches(file, options.privateKeyPem);
  let target: LoadTarget;
  let scratch: string;
  let dropScratch: () => Promise<void>;
  if (header.dialect === 'mysql') {
    const server = options.scratchUrl ? parseDatabaseUrl(options.scratchUrl) : null;
    if (server?.dialect !== 'mysql') {
      throw prerequisiteError('BACKUP_SCRATCH_DB_NEEDED', 'verifying a MySQL backup needs a MySQL server to restore into: pass --db-url mysql://user:password@host:3306/');
    }
    scratch = `${server.database || 'huiji'}_verify_${Date.now().toString(36)}`;
    const connection = await openMysql(options.scratchUrl as string, { database: null }).catch((error: Error) => {
      throw prerequisiteError('BACKUP_SCRATCH_DB_UNREACHABLE', `cannot reach the MySQL server for the scratch database: ${error.message}`);
    });
    await run(connection, `CREATE DATABASE ${quoteIdentifier(scratch)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await run(connection, `USE ${quoteIdentifier(scratch)}`);
    target = { dialect: 'mysql', connection };
    dropScratch = async () => {
      await run(connection, `DROP DATABASE IF EXISTS ${quoteIdentifier(scratch)}`).catch(() => undefined);
      await closeMysql(connection);
    };
  } else {
    scratch = path.join(os.tmpdir(), `huiji-verify-${process.pid}-${Date.now()}.sqlite`);
    target = { dialect: 'sqlite', file: scratch };
    dropScratch = () => removeSqliteFiles(scratch);
  }
  try {
    const loaded = await loadArchive(openBackupArchive(file, options.privateKeyPem), target, { onStatement: options.onProgress });
    const manifest = loaded.manifest as NonNullable<typeof loaded.manifest>;
    const mismatches = compareSums(manifest.tables, await tableSums(target));
    const keyFile = keyFileOf(file);
    let keys: VerifyReport['keys'] = 'missing';
    let decryption: DecryptionCheck | null = null;
    if (fs.existsSync(keyFile)) {
      const secrets = await readSecrets(keyFile, options.privateKeyPem);
      keys = 'ok';
      if (options.encryptedColumns?.length) decryption = await checkDecryption(target, secrets, options.encryptedColumns);
    }
    const mismatched = compareDataFiles(manifest.dataFiles, loaded.dataFiles);
    const report: VerifyReport = {
      ok: mismatches.length === 0 && mismatched.length === 0 && (decryption?.failed ?? 0) === 0,
      file,
      header,
      tables: manifest.tables.length,
      rows: manifest.tables.reduce((sum, table) => sum + table.rows, 0),
      mismatches,
      dataFiles: { count: loaded.dataFiles.length, bytes: loaded.dataFiles.reduce((sum, data) => sum + data.bytes, 0), mismatched },
      keys,
      decryption,
      scratch,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    };
    await writeVerification(file, { verifiedAt: new Date().toISOString(), ok: report.ok, tables: report.tables, rows: report.rows, seconds: report.seconds });
    return report;
  } catch (error) {
    if (error instanceof BackupError && error.exitCode === 3) {
      await writeVerification(file, { verifiedAt: new Date().toISOString(), ok: false, error: error.message });
    }
    throw error;
  } finally {
    await dropScratch();
  }
}
