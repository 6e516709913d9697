import fs from 'node:fs';
import path from 'node:path';
import { Sequelize, Transaction, type Options } from 'sequelize';
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
    });
    sequelize.addHook('afterConnect', async (connection) => {
      const db = connection as unknown as {
        configure(option: 'busyTimeout', ms: number): void;
        exec(sql: string, cb: (err: Error | null) => void): void;
      };
      db.configure('busyTimeout', 10_000);
      await new Promise<void>((resolve, reject) =>
        db.exec('PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;', (err) =>
          err ? reject(err) : resolve(),
        ),
      );
    });
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

export function dialectOf(sequelize: Sequelize): Dialect {
  return sequelize.getDialect() === 'sqlite' ? 'sqlite' : 'mysql';
}

export async function databaseVersion(sequelize: Sequelize): Promise<string> {
  const sql = dialectOf(sequelize) === 'sqlite' ? 'SELECT sqlite_version() AS v' : 'SELECT VERSION() AS v';
  const [rows] = await sequelize.query(sql);
  return String((rows as Array<{ v: string }>)[0]?.v ?? 'unknown');
}
