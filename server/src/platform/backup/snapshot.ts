import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseDatabaseUrl, type HuijiConfig } from '../config/schema.js';
import { VERSION } from '../paths.js';
import { inBlocks, type ArchiveEntry } from './archive.js';
import { listDataFiles } from './data-files.js';
import { PREAMBLE, beginSnapshot, closeMysql, dumpMysqlTables, openMysql, run, type TableSum } from './mysql-dump.js';
import { copySqliteOnline, removeSqliteFiles, sqliteSums } from './sqlite-snapshot.js';

export interface Manifest {
  format: 1;
  huijiVersion: string;
  schemaVersion: string;
  migrations: string[];
  dialect: 'mysql' | 'sqlite';
  host: string;
  createdAt: string;
  tables: TableSum[];
  dataFiles: { path: string; bytes: number }[];
  seconds: number;
}

export interface BackupProgress {
  phase: 'database' | 'data' | 'keys' | 'done';
  table?: string;
  rows: number;
  totalRows: number;
}

export interface PreparedSnapshot {
  manifest: Manifest;
  entries: () => AsyncGenerator<ArchiveEntry>;
  cleanup: () => Promise<void>;
}

const MIGRATIONS_TABLE = 'huiji_migrations';

/**
 * Opens a consistent view of the database (a snapshot transaction on MySQL, an online copy
 * of the SQLite file) and describes it; `entries` then streams the database, the data files
 * and, last, the manifest with the row counts and checksums of exactly what was streamed.
 */
export async function prepareSnapshot(
  config: HuijiConfig,
  options: { databaseUrl?: string; dataFiles?: boolean; workDir?: string; onProgress?: (progress: BackupProgress) => void } = {},
): Promise<PreparedSnapshot> {
  const started = performance.now();
  const url = options.databaseUrl ?? config.databaseUrl;
  const target = parseDatabaseUrl(url);
  if (!target) throw new Error('unsupported database URL');
  const manifest: Manifest = {
    format: 1,
    huijiVersion: VERSION,
    schemaVersion: '',
    migrations: [],
    dialect: target.dialect,
    host: os.hostname(),
    createdAt: new Date().toISOString(),
    tables: [],
    dataFiles: [],
    seconds: 0,
  };
  const progress = { rows: 0, totalRows: 0, done: new Map<string, number>() };
  const onRows = (table: string, rows: number) => {
    progress.rows += rows - (progress.done.get(table) ?? 0);
    progress.done.set(table, rows);
    options.onProgress?.({ phase: 'database', table, rows: progress.rows, totalRows: Math.max(progress.totalRows, progress.rows) });
  };

  let databaseEntry: () => ArchiveEntry;
  let cleanup: () => Promise<void>;
  if (target.dialect === 'mysql') {
    const connection = await openMysql(url);
    try {
      await beginSnapshot(connection);
      manifest.migrations = (await run<{ name: string }[]>(connection, `SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY name`)).map((row) => row.name);
      const estimates = await run<{ rows: number | string | null }[]>(
        connection,
        "SELECT TABLE_ROWS AS `rows` FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'",
      );
      progress.totalRows = estimates.reduce((sum, row) => sum + Number(row.rows ?? 0), 0);
    } catch (error) {
      await closeMysql(connection);
      throw error;
    }
    let closed = false;
    cleanup = async () => {
      if (closed) return;
      closed = true;
      await run(connection, 'COMMIT').catch(() => undefined);
      await closeMysql(connection);
    };
    databaseEntry = () => ({
      name: 'database.sql',
      blocks: (async function* () {
        for (const statement of PREAMBLE) yield Buffer.from(statement);
        yield* dumpMysqlTables(connection, manifest.tables, { onRows });
        await cleanup();
      })(),
    });
  } else {
    const workDir = options.workDir ?? os.tmpdir();
    fs.mkdirSync(workDir, { recursive: true });
    const copy = path.join(workDir, `.huiji-snapshot-${process.pid}-${Date.now()}.sqlite`);
    await copySqliteOnline(path.resolve(target.storage), copy);
    const { sums, migrations } = await sqliteSums(copy);
    manifest.tables = sums;
    manifest.migrations = migrations;
    progress.totalRows = sums.reduce((sum, table) => sum + table.rows, 0);
    cleanup = () => removeSqliteFiles(copy);
    databaseEntry = () => ({
      name: 'database.sqlite',
      blocks: (async function* () {
        yield* inBlocks(fs.createReadStream(copy));
        options.onProgress?.({ phase: 'database', rows: progress.totalRows, totalRows: progress.totalRows });
        await cleanup();
      })(),
    });
  }
  manifest.schemaVersion = manifest.migrations.at(-1) ?? '';

  async function* entries(): AsyncGenerator<ArchiveEntry> {
    try {
      yield databaseEntry();
      if (options.dataFiles !== false) {
        for (const file of listDataFiles(config)) {
          const full = path.join(config.dataDir, file);
          const bytes = fs.statSync(full).size;
          manifest.dataFiles.push({ path: file, bytes });
          options.onProgress?.({ phase: 'data', rows: progress.rows, totalRows: progress.totalRows });
          yield { name: `data/${file}`, blocks: inBlocks(fs.createReadStream(full)) };
        }
      }
      manifest.seconds = Math.round((performance.now() - started) / 100) / 10;
      yield { name: 'manifest.json', blocks: [Buffer.from(JSON.stringify(manifest, null, 2))] };
    } finally {
      await cleanup();
    }
  }
  return { manifest, entries, cleanup };
}
