import { QueryTypes, Transaction, type Sequelize } from 'sequelize';
import { dialectOf, type Dialect } from '../db/connect.js';
import { currentTransaction } from '../db/transaction.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const RETRYABLE_MYSQL_ERRORS = new Set([1205, 1213]); // lock wait timeout, deadlock

/**
 * The few SQL shapes the jobs backend needs, the same on MySQL and SQLite: values are always
 * passed as replacements, times are written as UTC text with milliseconds, and every write
 * joins the caller's transaction when there is one (a job scheduled inside a checkout exists
 * exactly when the checkout commits).
 */
export class JobSql {
  readonly dialect: Dialect;

  constructor(readonly sequelize: Sequelize) {
    this.dialect = dialectOf(sequelize);
  }

  /** Table names come from configuration, never from users, but are checked all the same. */
  static table(name: string): string {
    if (!IDENTIFIER.test(name)) throw new Error(`Invalid table name for jobs: ${name}`);
    return `\`${name}\``;
  }

  /**
   * Sequelize drops the milliseconds of a Date replacement on MySQL, so times are formatted
   * here. SQLite gets Sequelize's own stored form so text comparison orders them correctly.
   */
  time(date: Date): string {
    const iso = date.toISOString(); // 2026-01-01T10:00:00.123Z
    const text = `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
    return this.dialect === 'sqlite' ? `${text} +00:00` : text;
  }

  private prepare(values: unknown[]): unknown[] {
    return values.map((value) => {
      if (value instanceof Date) return this.time(value);
      if (typeof value === 'boolean') return value ? 1 : 0;
      return value;
    });
  }

  /** The caller's transaction on this database, if any. */
  ambient(): Transaction | undefined {
    const transaction = currentTransaction();
    return transaction && (transaction as unknown as { sequelize: Sequelize }).sequelize === this.sequelize ? transaction : undefined;
  }

  async select<T extends object = Record<string, unknown>>(sql: string, values: unknown[] = [], transaction?: Transaction): Promise<T[]> {
    return this.sequelize.query<T>(sql, {
      replacements: this.prepare(values),
      type: QueryTypes.SELECT,
      transaction: transaction ?? this.ambient(),
    });
  }

  /** UPDATE or DELETE; returns the number of rows matched (mysql2 sets FOUND_ROWS). */
  async change(sql: string, values: unknown[] = [], transaction?: Transaction): Promise<number> {
    const isDelete = /^\s*DELETE/i.test(sql);
    const result = (await this.sequelize.query(sql, {
      replacements: this.prepare(values),
      type: isDelete ? QueryTypes.BULKDELETE : QueryTypes.UPDATE,
      transaction: transaction ?? this.ambient(),
    })) as unknown;
    if (typeof result === 'number') return result;
    if (Array.isArray(result)) return Number(result[1] ?? 0);
    return 0;
  }

  async insert(sql: string, values: unknown[] = [], transaction?: Transaction): Promise<string> {
    const [id] = (await this.sequelize.query(sql, {
      replacements: this.prepare(values),
      type: QueryTypes.INSERT,
      transaction: transaction ?? this.ambient(),
    })) as unknown as [number | string, number];
    return String(id);
  }

  /**
   * Runs one or more statements atomically: in the caller's transaction when there is one,
   * else in a transaction of its own. On SQLite that transaction is IMMEDIATE (it holds the
   * single write lock from BEGIN, so no other process writes in between) and queued
   * in-process by connect.ts. On MySQL it reads committed, so locking reads take no gap
   * locks that would stall other nodes' inserts; a deadlock is retried.
   */
  async atomic<T>(work: (transaction: Transaction) => Promise<T>): Promise<T> {
    const ambient = this.ambient();
    if (ambient) return work(ambient);
    if (this.dialect === 'sqlite') return this.sequelize.transaction((transaction) => work(transaction));
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.sequelize.transaction({ isolationLevel: Transaction.ISOLATION_LEVELS.READ_COMMITTED }, (transaction) =>
          work(transaction),
        );
      } catch (error) {
        const errno = (error as { parent?: { errno?: number } }).parent?.errno;
        if (attempt >= 5 || errno === undefined || !RETRYABLE_MYSQL_ERRORS.has(errno)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
      }
    }
  }

  /**
   * A single write statement. SQLite's writes outside a transaction would wait for the write
   * lock inside the driver, each holding a libuv thread, and a write issued while the same
   * process holds a transaction can deadlock on itself; so there they go through the queue.
   */
  async write<T>(work: (transaction: Transaction | undefined) => Promise<T>): Promise<T> {
    const ambient = this.ambient();
    if (ambient) return work(ambient);
    if (this.dialect === 'sqlite') return this.sequelize.transaction((transaction) => work(transaction));
    return work(undefined);
  }

  /** `IN (?, ?, ?)` for a list of values. */
  static placeholders(values: unknown[]): string {
    return values.map(() => '?').join(', ');
  }
}
