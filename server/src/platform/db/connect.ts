import fs from 'node:fs';
import path from 'node:path';
import { Sequelize, Transaction, type Options } from 'sequelize';
import sqlite3 from 'sqlite3';
import { parseDatabaseUrl, type DatabaseTarget } from '../config/schema.js';
import type { Logger } from '../logger/index.js';

export type Dialect = DatabaseTarget['dialect'];

export interface DatabaseOptions {
  url: string;
  poolMax?: number;
  logger?: Logger;
}

/** Builds the Sequelize instance; nothing connects until the first query. */
export function createSequelize(options: DatabaseOptions): Sequelize {
  const target = parseDatabaseUrl(options.url);
  if (!target) throw new Error(`Unsupported database URL: ${options.url}`);
  const logging: Options['logging'] = options.logger
    ? (sql: string) => options.logger?.debug(sql, { component: 'sql' })
    : false;
  const common: Options = {
    logging,
    benchmark: false,
    // All times are stored in UTC; the business time zone applies only when presenting.
    timezone: '+00:00',
    define: { underscored: true, timestamps: false, freezeTableName: true },
  };

  if (target.dialect === 'sqlite') {
    const storage = target.storage === ':memory:' ? target.storage : path.resolve(target.storage);
    if (storage !== ':memory:') fs.mkdirSync(path.dirname(storage), { recursive: true });
    const sequelize = new Sequelize({
      ...common,
      dialect: 'sqlite',
      storage,
      // IMMEDIATE takes the write lock at BEGIN, so two writers queue on busy_timeout
      // instead of failing with SQLITE_BUSY when a read lock is upgraded.
      transactionType: Transaction.TYPES.IMMEDIATE,
      dialectModule: sqliteWithBusyTimeout(),
    });
    queueSqliteTransactions(sequelize);
    return sequelize;
  }

  return new Sequelize({
    ...common,
    dialect: 'mysql',
    host: target.host,
    port: target.port,
    username: target.username,
    password: target.password,
    database: target.database,
    pool: { max: options.poolMax ?? 10, min: 0, idle: 10_000, acquire: 30_000 },
    dialectOptions: {
      charset: 'utf8mb4',
      supportBigNumbers: true,
      bigNumberStrings: false,
      dateStrings: false,
      connectTimeout: 5_000,
    },
  });
}

/**
 * Sequelize opens a new SQLite handle for every transaction and offers no hook to set it
 * up, so the driver's Database class is wrapped: each handle waits up to ten seconds for
 * the write lock instead of failing at once with SQLITE_BUSY, and the file runs in WAL.
 */
function sqliteWithBusyTimeout() {
  class Database extends sqlite3.Database {
    constructor(file: string, mode: number, callback: (err: Error | null) => void) {
      super(file, mode, (err) => {
        if (err) {
          callback(err);
          return;
        }
        this.configure('busyTimeout', 10_000);
        this.exec('PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;', (pragmaError) => callback(pragmaError));
      });
    }
  }
  return { ...sqlite3, Database };
}

/**
 * SQLite has one writer. Transactions waiting for it inside the driver each hold one of
 * libuv's four threads in SQLite's busy handler, so with enough of them the holder cannot
 * get a thread to commit and everyone waits out the timeout. Queueing managed
 * transactions here keeps the waiting in JavaScript, where it costs no thread.
 */
function queueSqliteTransactions(sequelize: Sequelize): void {
  const original = sequelize.transaction.bind(sequelize) as (...args: unknown[]) => Promise<unknown>;
  let tail: Promise<unknown> = Promise.resolve();
  (sequelize as unknown as { transaction: (...args: unknown[]) => Promise<unknown> }).transaction = (...args: unknown[]) => {
    const managed = args.some((arg) => typeof arg === 'function');
    if (!managed) return original(...args);
    const run = tail.then(() => original(...args));
    tail = run.catch(() => undefined);
    return run;
  };
}

export function dialectOf(sequelize: Sequelize): Dialect {
  return sequelize.getDialect() === 'sqlite' ? 'sqlite' : 'mysql';
}

export async function databaseVersion(sequelize: Sequelize): Promise<string> {
  const sql = dialectOf(sequelize) === 'sqlite' ? 'SELECT sqlite_version() AS v' : 'SELECT VERSION() AS v';
  const [rows] = await sequelize.query(sql);
  return String((rows as Array<{ v: string }>)[0]?.v ?? 'unknown');
}
