import crypto from 'node:crypto';
import mysql, { type Connection, type FieldPacket } from 'mysql2';
import { parseDatabaseUrl } from '../config/schema.js';
import { SqlBuffer, quoteIdentifier } from './sql-writer.js';

export interface TableSum {
  name: string;
  rows: number;
  checksum: string;
}

/** One connection, outside Sequelize: a dump needs a streaming query inside one snapshot. */
export async function openMysql(url: string, options: { database?: string | null } = {}): Promise<Connection> {
  const target = parseDatabaseUrl(url);
  if (target?.dialect !== 'mysql') throw new Error('expected a mysql:// database URL');
  const connection = mysql.createConnection({
    host: target.host,
    port: target.port,
    user: target.username,
    password: target.password,
    database: options.database === null ? undefined : (options.database ?? target.database),
    charset: 'utf8mb4_unicode_ci',
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
  });
  await run(connection, "SET time_zone = '+00:00'");
  return connection;
}

export function run<T = Record<string, unknown>[]>(connection: Connection, sql: string, values?: unknown[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, rows: unknown) => (error ? reject(error) : resolve(rows as T));
    // Without values mysql2 sends the text as is; with them it scans a 1 MiB statement for placeholders.
    if (values) connection.query(sql, values, done);
    else connection.query(sql, done);
  });
}

export const closeMysql = (connection: Connection) =>
  new Promise<void>((resolve) => connection.end(() => resolve()));

/** Statements a restore runs before the tables, so rows load in any order and as they were. */
export const PREAMBLE = [
  'SET NAMES utf8mb4',
  "SET time_zone = '+00:00'",
  "SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO'",
  'SET FOREIGN_KEY_CHECKS = 0',
  'SET UNIQUE_CHECKS = 0',
];

const STATEMENT_BYTES = 1 << 20;
// mysql2's column type numbers: these are written bare, the rest quoted.
const NUMERIC = new Set([0, 1, 2, 3, 4, 5, 8, 9, 13, 246]);
const STRINGISH = new Set([15, 16, 249, 250, 251, 252, 253, 254]);
const BINARY_CHARSET = 63;

export async function listTables(connection: Connection): Promise<string[]> {
  const rows = await run<Record<string, string>[]>(connection, "SHOW FULL TABLES WHERE Table_type = 'BASE TABLE'");
  return rows.map((row) => String(Object.values(row)[0])).sort();
}

async function primaryKey(connection: Connection, table: string): Promise<string[]> {
  const keys = await run<{ Column_name: string; Seq_in_index: number }[]>(
    connection,
    `SHOW KEYS FROM ${quoteIdentifier(table)} WHERE Key_name = 'PRIMARY'`,
  );
  return keys.sort((a, b) => Number(a.Seq_in_index) - Number(b.Seq_in_index)).map((key) => key.Column_name);
}

/**
 * Every table as SQL, in primary-key order, with each table's row count and a SHA-256 over
 * its rows' SQL text. The caller opens the snapshot (REPEATABLE READ, consistent snapshot)
 * first, so the counts and checksums describe exactly the rows written out. Run over a
 * restored database, the same function yields the same checksums: that is the verification.
 */
export async function* dumpMysqlTables(
  connection: Connection,
  sums: TableSum[],
  options: { tables?: string[]; withDdl?: boolean; onRows?: (table: string, rows: number) => void } = {},
): AsyncGenerator<Buffer> {
  const tables = options.tables ?? (await listTables(connection));
  for (const table of tables) {
    if (options.withDdl !== false) {
      const [create] = await run<Record<string, string>[]>(connection, `SHOW CREATE TABLE ${quoteIdentifier(table)}`);
      yield Buffer.from(String(create['Create Table']), 'utf8');
    }
    const order = await primaryKey(connection, table);
    const stored = await storedColumns(connection, table);
    const sum: TableSum = { name: table, rows: 0, checksum: '' };
    const hash = crypto.createHash('sha256');
    const head = `INSERT INTO ${quoteIdentifier(table)}${stored ? ` (${stored})` : ''} VALUES `;
    const sql = new SqlBuffer();
    sql.ascii(head);
    let inStatement = 0;
    let fields: FieldPacket[] = [];
    const query = connection.query({
      sql: `SELECT ${stored ?? '*'} FROM ${quoteIdentifier(table)}${order.length ? ` ORDER BY ${order.map(quoteIdentifier).join(', ')}` : ''}`,
      rowsAsArray: true,
      typeCast: false,
    });
    query.on('fields', (received: FieldPacket[]) => {
      fields = received;
    });
    let kinds: Uint8Array | null = null;
    for await (const row of query.stream({ highWaterMark: 512 }) as AsyncIterable<(Buffer | null)[]>) {
      kinds ??= columnKinds(fields);
      if (inStatement > 0) sql.byte(0x2c);
      sql.byte(0x28);
      for (let i = 0; i < row.length; i++) {
        if (i > 0) sql.byte(0x2c);
        const value = row[i];
        if (value === null) sql.ascii('NULL');
        else if (kinds[i] === 1) sql.raw(value);
        else if (kinds[i] === 2) sql.hex(value);
        else sql.quoted(value);
      }
      sql.byte(0x29);
      inStatement += 1;
      if (sql.length >= STATEMENT_BYTES) {
        hash.update(sql.view(head.length));
        sum.rows += inStatement;
        options.onRows?.(table, sum.rows);
        yield sql.take();
        sql.ascii(head);
        inStatement = 0;
      }
    }
    if (inStatement > 0) {
      hash.update(sql.view(head.length));
      sum.rows += inStatement;
      options.onRows?.(table, sum.rows);
      yield sql.take();
    }
    sum.checksum = hash.digest('hex');
    sums.push(sum);
  }
}

/**
 * The column list to dump when the table has generated columns (the server computes those
 * and refuses values for them); null when every column is stored, for shorter statements.
 */
async function storedColumns(connection: Connection, table: string): Promise<string | null> {
  const columns = await run<{ name: string; extra: string | null }[]>(
    connection,
    'SELECT COLUMN_NAME AS name, EXTRA AS extra FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
    [table],
  );
  if (!columns.some((column) => /(VIRTUAL|STORED|PERSISTENT) GENERATED/i.test(column.extra ?? ''))) return null;
  return columns.filter((column) => !/(VIRTUAL|STORED|PERSISTENT) GENERATED/i.test(column.extra ?? '')).map((column) => quoteIdentifier(column.name)).join(', ');
}

/** 1: written bare (numbers), 2: hex (binary strings), 0: quoted text (also dates and JSON). */
function columnKinds(fields: FieldPacket[]): Uint8Array {
  const kinds = new Uint8Array(fields.length);
  fields.forEach((field, i) => {
    const type = field.columnType ?? 0;
    if (NUMERIC.has(type)) kinds[i] = 1;
    else if (STRINGISH.has(type) && field.characterSet === BINARY_CHARSET) kinds[i] = 2;
  });
  return kinds;
}

/** Opens the snapshot every later read of this connection sees. */
export async function beginSnapshot(connection: Connection): Promise<void> {
  await run(connection, 'SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
  await run(connection, 'START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
}
