import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc.js';
import type { HuijiConfig } from '../config/schema.js';
import { VERSION } from '../paths.js';
import { writeArchive } from './archive.js';
import { EncryptStream } from './container.js';
import { collectSecrets } from './secrets.js';
import { prepareSnapshot, type BackupProgress, type Manifest } from './snapshot.js';

dayjs.extend(utc);

// Level 3 packs a dump nearly as tight as gzip's default at about twice the speed.
const GZIP_LEVEL = 3;
// With zlib's 16 KiB default the JS thread and the compressor take turns; 1 MiB lets them overlap (about 20% faster).
export const ZLIB_CHUNK = 1 << 20;

export interface CreatedBackup {
  file: string;
  keyFile: string;
  bytes: number;
  manifest: Manifest;
}

export const backupFileName = (at: Date) => `huiji-${dayjs(at).utc().format('YYYYMMDD-HHmmss')}.hjbak`;
export const keyFileOf = (file: string) => file.replace(/\.hjbak$/, '') + '.hjkey';

async function syncAndRename(partial: string, file: string): Promise<void> {
  const handle = await fs.promises.open(partial, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.promises.rename(partial, file);
}

/**
 * Writes `huiji-<time>.hjbak` (database, data files, manifest; gzip then AES-256-GCM) and
 * the `.hjkey` beside it (the secrets, wrapped the same way), both 0600. Each is written to
 * `.partial` and renamed when complete, so a listed backup is always whole.
 */
export async function createBackup(options: {
  config: HuijiConfig;
  publicKeyPem: string;
  out?: string;
  onProgress?: (progress: BackupProgress) => void;
  signal?: AbortSignal;
}): Promise<CreatedBackup> {
  const { config, publicKeyPem } = options;
  const file = path.resolve(options.out ?? path.join(config.backup.dir, backupFileName(new Date())));
  if (!file.endsWith('.hjbak')) throw new Error('a backup file name must end in .hjbak');
  const keyFile = keyFileOf(file);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const snapshot = await prepareSnapshot(config, { dataFiles: true, workDir: path.dirname(file), onProgress: options.onProgress });
  const header = {
    kind: 'backup' as const,
    createdAt: snapshot.manifest.createdAt,
    huijiVersion: VERSION,
    schemaVersion: snapshot.manifest.schemaVersion,
    dialect: snapshot.manifest.dialect,
    host: os.hostname(),
  };
  const partial = `${file}.partial`;
  const encrypt = new EncryptStream(publicKeyPem, header);
  try {
    await pipeline(
      Readable.from(writeArchive(snapshot.entries())),
      zlib.createGzip({ level: GZIP_LEVEL, chunkSize: ZLIB_CHUNK }),
      encrypt,
      fs.createWriteStream(partial, { mode: 0o600 }),
      { signal: options.signal },
    );
    options.onProgress?.({ phase: 'keys', rows: 0, totalRows: 0 });
    const keyPartial = `${keyFile}.partial`;
    await pipeline(
      Readable.from([Buffer.from(JSON.stringify(collectSecrets(config)))]),
      new EncryptStream(publicKeyPem, { ...header, kind: 'keys' }),
      fs.createWriteStream(keyPartial, { mode: 0o600 }),
    );
    await syncAndRename(keyPartial, keyFile);
    await syncAndRename(partial, file);
  } catch (error) {
    await snapshot.cleanup();
    await fs.promises.rm(partial, { force: true });
    await fs.promises.rm(`${keyFile}.partial`, { force: true });
    throw error;
  }
  options.onProgress?.({ phase: 'done', rows: snapshot.manifest.tables.reduce((sum, table) => sum + table.rows, 0), totalRows: 0 });
  return { file, keyFile, bytes: encrypt.bytesOut, manifest: snapshot.manifest };
}

/**
 * A plaintext, gzip-only copy of the database for rolling back an upgrade or a restore on
 * this same server. It holds nothing the live database does not, is 0600, and is deleted
 * once the operation succeeded; it needs no private key to put back, which is the point.
 */
export async function writeSnapshot(config: HuijiConfig, out: string, databaseUrl?: string): Promise<Manifest> {
  fs.mkdirSync(path.dirname(out), { recursive: true, mode: 0o700 });
  const snapshot = await prepareSnapshot(config, { databaseUrl, dataFiles: false, workDir: path.dirname(out) });
  const partial = `${out}.partial`;
  try {
    await pipeline(Readable.from(writeArchive(snapshot.entries())), zlib.createGzip({ level: 1, chunkSize: ZLIB_CHUNK }), fs.createWriteStream(partial, { mode: 0o600 }));
    await syncAndRename(partial, out);
  } catch (error) {
    await snapshot.cleanup();
    await fs.promises.rm(partial, { force: true });
    throw error;
  }
  return snapshot.manifest;
}
