import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';

/**
 * Plain SQL for the statements a checkout runs many times a second (ledgers, the order,
 * idempotency keys, the session check). A model's create, save or findAll spends 0.1-0.3 ms
 * of CPU per statement in Sequelize (query building, instances, validation, clones): more
 * than the database takes to run it. Values are bound parameters (prepared statements on
 * MySQL); table and column names are the caller's constants, never input. Nothing here
 * validates: the caller writes what its model would.
 */

export type SqlValue = string | number | boolean | null | Date;

/**
 * A time as a bound parameter, stored exactly as a model stores it: mysql2 writes a Date in
 * UTC with its milliseconds; on SQLite, DATE columns hold `2026-11-24 05:30:00.123 +00:00`.
 */
export function boundTime(sequelize: Sequelize, date: Date): Date | string {
  return sequelize.getDialect() === 'sqlite' ? `${date.toISOString().slice(0, 23).replace('T', ' ')} +00:00` : date;
}

/** A time read by a raw SELECT: mysql2 gives a Date, SQLite the text above. */
export function readTime(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  // `2026-11-24 05:30:00.123 +00:00` -> `2026-11-24T05:30:00.123+00:00`; a time without a zone is UTC, as stored.
  const text = String(value).replace(' ', 'T').replace(' ', '');
  return new Date(/(Z|[+-]\d\d:?\d\d)$/i.test(text) ? text : `${text}Z`);
}

function bindValue(sequelize: Sequelize, value: SqlValue): SqlValue {
  return value instanceof Date ? boundTime(sequelize, value) : value;
}

/** INSERT of rows sharing one column list, in one statement. */
export async function insertRows(sequelize: Sequelize, table: string, rows: ReadonlyArray<Record<string, SqlValue>>, transaction: Transaction | undefined): Promise<void> {
  if (rows.length === 0) return;
  await insert(sequelize, table, rows, transaction);
}

/** INSERT of one row; resolves to its auto-increment id. */
export async function insertRow(sequelize: Sequelize, table: string, row: Record<string, SqlValue>, transaction: Transaction | undefined): Promise<number> {
  return insert(sequelize, table, [row], transaction);
}

async function insert(sequelize: Sequelize, table: string, rows: ReadonlyArray<Record<string, SqlValue>>, transaction: Transaction | undefined): Promise<number> {
  const columns = Object.keys(rows[0]);
  const bind: SqlValue[] = [];
  const tuples = rows.map((row) => `(${columns.map((column) => `$${bind.push(bindValue(sequelize, row[column]))}`).join(',')})`);
  // Quoted: some column names are reserved words on MySQL (order_discounts.lines).
  const quote = (name: string) => sequelize.getQueryInterface().quoteIdentifier(name);
  const [id] = (await sequelize.query(`INSERT INTO ${table} (${columns.map(quote).join(',')}) VALUES ${tuples.join(',')}`, {
    type: QueryTypes.INSERT,
    bind,
    transaction,
  })) as unknown as [number, number];
  return Number(id);
}

/** An UPDATE or DELETE; resolves to the rows it changed. */
export async function execute(sequelize: Sequelize, sql: string, values: readonly SqlValue[], transaction: Transaction | undefined): Promise<number> {
  const [, changed] = (await sequelize.query(sql, {
    type: QueryTypes.UPDATE,
    bind: values.map((value) => bindValue(sequelize, value)),
    transaction,
  })) as unknown as [unknown, number];
  return Number(changed ?? 0);
}

/** A SELECT's rows as plain objects keyed by column name; BIGINTs may come back as strings. */
export function selectRows<T extends object>(sequelize: Sequelize, sql: string, values: readonly SqlValue[], transaction: Transaction | undefined): Promise<T[]> {
  return sequelize.query<T>(sql, { type: QueryTypes.SELECT, bind: values.map((value) => bindValue(sequelize, value)), transaction });
}

const columnNames = new Map<string, string>();

/** A model's attribute names as its columns (`pointsEarned` -> `points_earned`), as `underscored: true` maps them. */
export function columnsOf(values: Record<string, SqlValue>): Record<string, SqlValue> {
  const columns: Record<string, SqlValue> = {};
  for (const key in values) {
    let column = columnNames.get(key);
    if (column === undefined) columnNames.set(key, (column = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)));
    columns[column] = values[key];
  }
  return columns;
}
