import { QueryTypes, type Sequelize } from 'sequelize';
import { dialectOf } from '../../platform/db/connect.js';
import { currentTransaction } from '../../platform/db/transaction.js';

/** One row as the table's columns name it: snake_case keys, JS Dates for times. */
export type Row = Record<string, unknown>;

export interface BatchProgress {
  table: string;
  done: number;
  /** When the caller knows it up front. */
  total?: number;
  elapsedMs: number;
  finished: boolean;
}

export interface InsertBatchesOptions {
  /** Rows per multi-row INSERT and per transaction. */
  chunkSize?: number;
  total?: number;
  /**
   * INSERTs in flight at once. MySQL takes two by default, so the server writes one chunk
   * while the next waits on the wire; SQLite has a single writer and always takes one.
   */
  concurrency?: number;
  onProgress?: (progress: BatchProgress) => void;
}

export const DEFAULT_CHUNK_SIZE = 1000;

/**
 * Inserts `rows` in chunks: one multi-row INSERT per chunk, without model instances.
 * `rows` is consumed lazily, so a generator can stream a million members without holding
 * them in memory, and the next chunk is built while the previous one is being written. A
 * failure stops the run; chunks already committed stay.
 *
 * A chunk is one statement, so it commits whole without a transaction of its own (inside
 * a caller's transaction it joins that one). Leaving BEGIN out matters on SQLite: Sequelize
 * opens a fresh handle, with a cold page cache, for every transaction, and a table with
 * many indexes is then read back from the file for each chunk (100,000 members took 36 s
 * that way, 24 s without).
 */
export async function insertBatches(
  sequelize: Sequelize,
  table: string,
  rows: Iterable<Row>,
  options: InsertBatchesOptions = {},
): Promise<number> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new Error(`chunkSize must be a positive integer, got ${chunkSize}`);
  // Chunks joining a caller's transaction share its connection: one at a time then.
  const parallel = dialectOf(sequelize) === 'mysql' && !currentTransaction();
  const concurrency = parallel ? Math.max(1, options.concurrency ?? 2) : 1;
  const queryInterface = sequelize.getQueryInterface();
  const started = Date.now();
  const inFlight: Array<Promise<void>> = [];
  let done = 0;
  let failure: unknown;

  const report = (finished: boolean) =>
    options.onProgress?.({ table, done, total: options.total, elapsedMs: Date.now() - started, finished });

  const write = (chunk: Row[]) => {
    const promise = queryInterface.bulkInsert(table, chunk, { transaction: currentTransaction() }).then(() => {
      done += chunk.length;
      report(false);
    });
    // Caught at once, so a failed chunk is never an unhandled rejection while the next is
    // built; the loop sees `failure` and stops feeding chunks.
    inFlight.push(
      promise.catch((error: unknown) => {
        failure ??= error;
      }),
    );
  };

  let chunk: Row[] = [];
  for (const row of rows) {
    chunk.push(row);
    if (chunk.length < chunkSize) continue;
    if (inFlight.length >= concurrency) await inFlight.shift();
    if (failure) break;
    write(chunk);
    chunk = [];
  }
  if (chunk.length > 0 && !failure) write(chunk);
  await Promise.all(inFlight);
  if (failure) throw failure;
  report(true);
  return done;
}

/** Ids of rows found by a unique column, e.g. users by username, read back in chunks. */
export async function idsByKey(sequelize: Sequelize, table: string, keyColumn: string, keys: string[]): Promise<Map<string, number>> {
  const qi = sequelize.getQueryInterface();
  const ids = new Map<string, number>();
  for (let i = 0; i < keys.length; i += DEFAULT_CHUNK_SIZE) {
    const rows = await sequelize.query<{ id: number | string; k: string }>(
      `SELECT id, ${qi.quoteIdentifier(keyColumn)} AS k FROM ${qi.quoteIdentifier(table)} WHERE ${qi.quoteIdentifier(keyColumn)} IN (:keys)`,
      { replacements: { keys: keys.slice(i, i + DEFAULT_CHUNK_SIZE) }, type: QueryTypes.SELECT },
    );
    for (const row of rows) ids.set(row.k, Number(row.id));
  }
  const missing = keys.find((key) => !ids.has(key));
  if (missing !== undefined) throw new Error(`${table}.${keyColumn} = ${missing} was inserted but cannot be read back`);
  return ids;
}

/** KiB; SQLite's default is 2,000. */
const SQLITE_SEEDING_CACHE_KIB = 128 * 1024;

/**
 * Runs `work` with a 128 MiB page cache on SQLite's shared connection, where insertBatches
 * writes, and puts the old size back after. A member table's many indexes outgrow the
 * default 2 MiB at a few thousand rows, and every chunk then reads them back from the file:
 * 100,000 members went in in 24 s with the default cache, in 16 s with this one. Only the
 * pages in use take memory. MySQL sizes its buffer pool itself.
 */
export async function withSeedingCache<T>(sequelize: Sequelize, work: () => Promise<T>): Promise<T> {
  if (dialectOf(sequelize) !== 'sqlite') return work();
  const [{ cache_size: before }] = await sequelize.query<{ cache_size: number }>('PRAGMA cache_size', { type: QueryTypes.SELECT });
  await sequelize.query(`PRAGMA cache_size = -${SQLITE_SEEDING_CACHE_KIB}`);
  try {
    return await work();
  } finally {
    await sequelize.query(`PRAGMA cache_size = ${Number(before)}`);
  }
}

export async function countRows(sequelize: Sequelize, table: string): Promise<number> {
  const [row] = await sequelize.query<{ n: number | string }>(
    `SELECT COUNT(*) AS n FROM ${sequelize.getQueryInterface().quoteIdentifier(table)}`,
    { type: QueryTypes.SELECT },
  );
  return Number(row.n);
}

/**
 * Progress on a terminal: one line per table, rewritten in place while it fills; when
 * stdout is a file or pipe, a line every 10% instead, so logs stay short.
 */
export function consoleProgress(stream: NodeJS.WriteStream = process.stdout): (progress: BatchProgress) => void {
  let lastTenth = -1;
  return ({ table, done, total, elapsedMs, finished }) => {
    const seconds = (elapsedMs / 1000).toFixed(1);
    const rate = elapsedMs > 0 ? Math.round((done * 1000) / elapsedMs) : 0;
    const amount = total ? `${done}/${total} (${Math.floor((done * 100) / total)}%)` : String(done);
    const line = `  ${table.padEnd(14)} ${amount.padStart(22)}  ${seconds.padStart(6)} s  ${rate} rows/s`;
    if (stream.isTTY) {
      stream.write(`\r${line}\x1b[K${finished ? '\n' : ''}`);
      return;
    }
    const tenth = total ? Math.floor((done * 10) / total) : 0;
    if (finished || (total !== undefined && done < total && tenth > lastTenth)) stream.write(`${line}\n`);
    lastTenth = finished ? -1 : tenth;
  };
}
