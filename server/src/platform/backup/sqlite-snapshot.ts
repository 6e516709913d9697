import fs from 'node:fs';
import crypto from 'node:crypto';
import sqlite3 from 'sqlite3';
import type { TableSum } from './mysql-dump.js';
import { SqlBuffer, quoteIdentifier } from './sql-writer.js';

interface SqliteBackup {
  step(pages: number, callback: (error: Error | null) => void): void;
  finish(callback?: (error: Error | null) => void): void;
  completed: boolean;
  failed: boolean;
}

function open(file: string, mode: number): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, mode, (error) => (error ? reject(error) : resolve(db)));
  });
}

const close = (db: sqlite3.Database) => new Promise<void>((resolve, reject) => db.close((error) => (error ? reject(error) : resolve())));

function all<T>(db: sqlite3.Database, sql: string): Promise<T[]> {
  return new Promise((resolve, reject) => db.all(sql, (error, rows) => (error ? reject(error) : resolve(rows as T[]))));
}

/**
 * Copies a live SQLite database with SQLite's online backup API: all pages in one step under
 * a read lock, so the copy is one consistent moment while the server keeps writing.
 */
export async function copySqliteOnline(source: string, destination: string): Promise<void> {
  const db = await open(source, sqlite3.OPEN_READONLY);
  try {
    db.configure('busyTimeout', 30_000);
    const backup = (db as unknown as { backup: (file: string, callback: (error: Error | null) => void) => SqliteBackup }).backup(
      destination,
      () => undefined,
    );
    await new Promise<void>((resolve, reject) => {
      const step = () =>
        backup.step(-1, (error) => {
          if (error) return reject(error);
          if (backup.completed) return resolve();
          if (backup.failed) return reject(new Error('the SQLite online backup failed'));
          setImmediate(step);
        });
      step();
    });
    await new Promise<void>((resolve) => backup.finish(() => resolve()));
  } finally {
    await close(db);
  }
}

/** The tables of a SQLite file, with their row counts and checksums over canonical SQL text. */
export async function sqliteSums(file: string): Promise<{ sums: TableSum[]; migrations: string[] }> {
  const db = await open(file, sqlite3.OPEN_READONLY);
  try {
    const tables = await all<{ name: string }>(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
    const sums: TableSum[] = [];
    for (const { name } of tables.sort((a, b) => (a.name < b.name ? -1 : 1))) sums.push(await sqliteTableSum(db, name));
    const migrations = tables.some((table) => table.name === 'huiji_migrations')
      ? (await all<{ name: string }>(db, 'SELECT name FROM huiji_migrations ORDER BY name')).map((row) => row.name)
      : [];
    return { sums, migrations };
  } finally {
    await close(db);
  }
}

async function sqliteTableSum(db: sqlite3.Database, table: string): Promise<TableSum> {
  const columns = await all<{ name: string; pk: number }>(db, `PRAGMA table_info(${quoteIdentifier(table)})`);
  const key = columns.filter((column) => column.pk > 0).sort((a, b) => a.pk - b.pk).map((column) => quoteIdentifier(column.name));
  const order = key.length > 0 ? key.join(', ') : 'rowid';
  const hash = crypto.createHash('sha256');
  const sql = new SqlBuffer();
  let rows = 0;
  await new Promise<void>((resolve, reject) => {
    db.each(
      `SELECT * FROM ${quoteIdentifier(table)} ORDER BY ${order}`,
      (error: Error | null, row: Record<string, unknown>) => {
        if (error) return;
        if (rows > 0) sql.byte(0x2c);
        sql.byte(0x28);
        let first = true;
        for (const value of Object.values(row)) {
          if (!first) sql.byte(0x2c);
          first = false;
          if (value === null || value === undefined) sql.ascii('NULL');
          else if (typeof value === 'number' || typeof value === 'bigint') sql.ascii(String(value));
          else if (Buffer.isBuffer(value)) sql.hex(value);
          else sql.quoted(Buffer.from(String(value), 'utf8'));
        }
        sql.byte(0x29);
        rows += 1;
        if (sql.length >= 1 << 20) {
          hash.update(sql.view(0));
          sql.take();
        }
      },
      (error: Error | null) => (error ? reject(error) : resolve()),
    );
  });
  hash.update(sql.view(0));
  return { name: table, rows, checksum: hash.digest('hex') };
}

/** A SQLite file with the journal files opening it may have left beside it. */
export async function removeSqliteFiles(file: string, options: { keepMain?: boolean } = {}): Promise<void> {
  for (const suffix of options.keepMain ? ['-wal', '-shm', '-journal'] : ['', '-wal', '-shm', '-journal']) await fs.promises.rm(`${file}${suffix}`, { force: true });
}
