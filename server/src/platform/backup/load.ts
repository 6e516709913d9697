import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import type { Connection } from 'mysql2';
import { readArchive, type ArchiveEntry } from './archive.js';
import { decryptContainer } from './container.js';
import { BackupError, integrityError } from './errors.js';
import { dumpMysqlTables, type TableSum } from './mysql-dump.js';
import { loadMysqlStatements } from './mysql-load.js';
import type { Manifest } from './snapshot.js';
import { sqliteSums } from './sqlite-snapshot.js';
import { dataFilePath } from './data-files.js';

export type LoadTarget = { dialect: 'mysql'; connection: Connection } | { dialect: 'sqlite'; file: string };

/** A gunzip whose input errors (a failed chunk tag) end the reader with that error, not a hang. */
function gunzipped(source: Readable): Readable {
  const gunzip = zlib.createGunzip({ chunkSize: 1 << 20 });
  pipeline(source, gunzip).catch((error: unknown) => {
    const failure = error instanceof BackupError ? error : integrityError(`the backup content does not unpack: ${(error as Error).message}`);
    gunzip.destroy(failure);
  });
  return gunzip;
}

export function openBackupArchive(file: string, privateKeyPem: string): AsyncGenerator<ArchiveEntry> {
  return readArchive(gunzipped(Readable.from(decryptContainer(fs.createReadStream(file, { highWaterMark: 1 << 20 }), privateKeyPem, 'backup'))));
}

export function openSnapshotArchive(file: string): AsyncGenerator<ArchiveEntry> {
  return readArchive(gunzipped(fs.createReadStream(file, { highWaterMark: 1 << 20 })));
}

export interface Loaded {
  manifest: Manifest | null;
  dataFiles: { path: string; bytes: number }[];
  statements: number;
}

/**
 * Puts an archive's database into the target (an empty MySQL database, or a new SQLite
 * file) and its data files under `dataDir` when given (a staging folder), else only counts them.
 */
export async function loadArchive(
  entries: AsyncIterable<ArchiveEntry>,
  target: LoadTarget,
  options: { dataDir?: string; onStatement?: (count: number) => void } = {},
): Promise<Loaded> {
  const loaded: Loaded = { manifest: null, dataFiles: [], statements: 0 };
  let sawDatabase = false;
  for await (const entry of entries) {
    if (entry.name === 'database.sql') {
      if (target.dialect !== 'mysql') throw new BackupError(5, 'BACKUP_DIALECT_MISMATCH', 'this backup holds a MySQL database; the target is SQLite');
      loaded.statements = await loadMysqlStatements(target.connection, entry.blocks as AsyncIterable<Buffer>, options.onStatement);
      sawDatabase = true;
    } else if (entry.name === 'database.sqlite') {
      if (target.dialect !== 'sqlite') throw new BackupError(5, 'BACKUP_DIALECT_MISMATCH', 'this backup holds a SQLite database; the target is MySQL');
      await pipeline(Readable.from(entry.blocks), fs.createWriteStream(target.file, { mode: 0o600 }));
      sawDatabase = true;
    } else if (entry.name.startsWith('data/')) {
      const name = entry.name.slice('data/'.length);
      let bytes = 0;
      if (options.dataDir) {
        const full = dataFilePath(options.dataDir, name);
        fs.mkdirSync(path.dirname(full), { recursive: true, mode: 0o700 });
        const counted = (async function* () {
          for await (const block of entry.blocks) {
            bytes += block.length;
            yield block;
          }
        })();
        await pipeline(Readable.from(counted), fs.createWriteStream(full, { mode: 0o600 }));
      } else {
        for await (const block of entry.blocks) bytes += block.length;
      }
      loaded.dataFiles.push({ path: name, bytes });
    } else if (entry.name === 'manifest.json') {
      const parts: Buffer[] = [];
      for await (const block of entry.blocks) parts.push(block);
      loaded.manifest = JSON.parse(Buffer.concat(parts).toString('utf8')) as Manifest;
    } else {
      for await (const _ of entry.blocks) void _;
    }
  }
  if (!sawDatabase) throw integrityError('the backup holds no database');
  if (!loaded.manifest) throw integrityError('the backup holds no manifest');
  return loaded;
}

export async function tableSums(target: LoadTarget): Promise<TableSum[]> {
  if (target.dialect === 'sqlite') return (await sqliteSums(target.file)).sums;
  const sums: TableSum[] = [];
  for await (const _ of dumpMysqlTables(target.connection, sums, { withDdl: false })) void _;
  return sums;
}

export interface SumMismatch {
  table: string;
  expected: { rows: number; checksum: string } | null;
  actual: { rows: number; checksum: string } | null;
}

export function compareSums(expected: TableSum[], actual: TableSum[]): SumMismatch[] {
  const found = new Map(actual.map((sum) => [sum.name, sum]));
  const mismatches: SumMismatch[] = [];
  for (const sum of expected) {
    const other = found.get(sum.name);
    found.delete(sum.name);
    if (!other || other.rows !== sum.rows || other.checksum !== sum.checksum) {
      mismatches.push({ table: sum.name, expected: { rows: sum.rows, checksum: sum.checksum }, actual: other ? { rows: other.rows, checksum: other.checksum } : null });
    }
  }
  for (const other of found.values()) mismatches.push({ table: other.name, expected: null, actual: { rows: other.rows, checksum: other.checksum } });
  return mismatches;
}

export function compareDataFiles(expected: Manifest['dataFiles'], actual: Loaded['dataFiles']): string[] {
  const found = new Map(actual.map((file) => [file.path, file.bytes]));
  return expected.filter((file) => found.get(file.path) !== file.bytes).map((file) => file.path);
}
