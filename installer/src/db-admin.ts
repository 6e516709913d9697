import mysql from 'mysql2/promise';
import { UsageError } from './errors.js';

/**
 * The MySQL/MariaDB accounts of an install: one database, an owner account that migrates
 * and restores, and an app account the server runs with that may only read and write rows
 * (and only append audit records). Identifiers are validated names; passwords and account
 * names always travel as parameters.
 */
export interface DbEndpoint {
  host: string;
  port: number;
  user: string;
  password: string;
}

/** Tables the app account may read and append to, never change. */
export const AUDIT_TABLES = ['audit_logs', 'audit_chain', 'audit_checkpoints'];
/** The SQL SECURITY DEFINER routine the app calls to purge audit records past retention. */
export const AUDIT_PURGE_PROCEDURE = 'huiji_audit_purge';

const APP_PRIVILEGES = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'];
const AUDIT_PRIVILEGES = ['SELECT', 'INSERT'];

/** Database names become account names `<db>_own` / `<db>_app`: MySQL allows 32 characters. */
export const DB_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,27}$/;

export function parseMysqlUrl(value: string, flag: string): DbEndpoint & { database: string } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag} must look like mysql://user:password@host:3306/ (got something that is not a URL)`);
  }
  if (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:') throw new UsageError(`${flag} must start with mysql:// (got ${url.protocol}//)`);
  if (!url.hostname) throw new UsageError(`${flag} names no host`);
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : 3306,
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.replace(/^\//, '')),
  };
}

/** Accounts for a database on this machine exist for both ways of reaching it. */
export function accountHosts(dbHost: string): string[] {
  return ['127.0.0.1', 'localhost', '::1'].includes(dbHost) ? ['localhost', '127.0.0.1'] : ['%'];
}

export function connect(endpoint: DbEndpoint, database?: string): Promise<mysql.Connection> {
  return mysql.createConnection({
    host: endpoint.host,
    port: endpoint.port,
    user: endpoint.user,
    password: endpoint.password,
    database: database || undefined,
    connectTimeout: 5000,
  });
}

const quoteName = (name: string) => `\`${name.replace(/`/g, '``')}\``;
/** In a database-level GRANT, `_` and `%` are wildcards: escaped, they mean themselves. */
const literalPattern = (name: string) => name.replace(/[\\_%]/g, '\\$&');

export interface ServerInfo {
  version: string;
  flavor: 'mariadb' | 'mysql';
  major: number;
  minor: number;
  utf8mb4: boolean;
  innodb: boolean;
  /** The server's clock minus ours, in seconds. */
  clockSkewSeconds: number;
}

export async function serverInfo(connection: mysql.Connection): Promise<ServerInfo> {
  const before = Date.now();
  const [[row]] = await connection.query<mysql.RowDataPacket[]>('SELECT VERSION() AS version, UNIX_TIMESTAMP(NOW(3)) AS now');
  const localNow = (before + Date.now()) / 2000;
  const version = String(row.version);
  const [major, minor] = version.split(/[.-]/).map(Number);
  const [charsets] = await connection.query<mysql.RowDataPacket[]>("SHOW CHARACTER SET LIKE 'utf8mb4'");
  const [engines] = await connection.query<mysql.RowDataPacket[]>("SELECT SUPPORT FROM information_schema.ENGINES WHERE ENGINE = 'InnoDB'");
  return {
    version,
    flavor: /mariadb/i.test(version) ? 'mariadb' : 'mysql',
    major,
    minor,
    utf8mb4: charsets.length > 0,
    innodb: engines.length > 0 && ['YES', 'DEFAULT'].includes(String(engines[0].SUPPORT).toUpperCase()),
    clockSkewSeconds: Number(row.now) - localNow,
  };
}

/** MySQL 8.0+ or MariaDB 10.6+; null when supported, else why not. */
export function unsupportedReason(info: ServerInfo): string | null {
  const [needMajor, needMinor] = info.flavor === 'mariadb' ? [10, 6] : [8, 0];
  const atLeast = info.major > needMajor || (info.major === needMajor && info.minor >= needMinor);
  if (!atLeast) return `${info.flavor === 'mariadb' ? 'MariaDB' : 'MySQL'} ${info.version} is older than ${needMajor}.${needMinor}`;
  if (!info.utf8mb4) return 'the server has no utf8mb4 character set';
  if (!info.innodb) return 'InnoDB is disabled';
  return null;
}

export async function databaseExists(connection: mysql.Connection, name: string): Promise<boolean> {
  const [rows] = await connection.query<mysql.RowDataPacket[]>('SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [name]);
  return rows.length > 0;
}

export async function createDatabase(connection: mysql.Connection, name: string): Promise<void> {
  await connection.query(`CREATE DATABASE IF NOT EXISTS ${quoteName(name)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
}

export async function dropDatabase(connection: mysql.Connection, name: string): Promise<void> {
  await connection.query(`DROP DATABASE IF EXISTS ${quoteName(name)}`);
}

export async function userExists(connection: mysql.Connection, user: string, host: string): Promise<boolean> {
  const [rows] = await connection.query<mysql.RowDataPacket[]>('SELECT 1 FROM mysql.user WHERE User = ? AND Host = ?', [user, host]);
  return rows.length > 0;
}

/**
 * Creates the account or sets its password to `password`, so a re-run with the remembered
 * password changes nothing and one with a lost password repairs it.
 */
export async function ensureUser(connection: mysql.Connection, user: string, host: string, password: string): Promise<void> {
  await connection.query('CREATE USER IF NOT EXISTS ?@? IDENTIFIED BY ?', [user, host, password]);
  await connection.query('ALTER USER ?@? IDENTIFIED BY ?', [user, host, password]);
}

export async function dropUser(connection: mysql.Connection, user: string, host: string): Promise<void> {
  await connection.query('DROP USER IF EXISTS ?@?', [user, host]);
}

/**
 * The owner may do anything in the database (and pass on row rights to the app account),
 * and may create the scratch databases `<db>_verify_*`, `<db>_stage_*` that verify,
 * restore and rollback use.
 */
export async function grantOwner(connection: mysql.Connection, dbName: string, owner: string, host: string): Promise<void> {
  await connection.query(`GRANT ALL PRIVILEGES ON ${quoteName(literalPattern(dbName))}.* TO ?@? WITH GRANT OPTION`, [owner, host]);
  await connection.query(`GRANT ALL PRIVILEGES ON ${quoteName(`${literalPattern(dbName)}\\_%`)}.* TO ?@?`, [owner, host]);
}

export interface AppGrantsResult {
  tables: number;
  revoked: number;
}

/**
 * Row rights on each table of the database, read and append only on the audit tables, and
 * EXECUTE on the audit purge routine. Re-applied after every migration and restore (new
 * tables need their grant). Rights on tables that are gone, or beyond what a table should
 * have, are revoked when the connection may read mysql.tables_priv (the admin may, the
 * owner may not: then it only grants).
 */
export async function applyAppGrants(connection: mysql.Connection, dbName: string, app: string, hosts: string[]): Promise<AppGrantsResult> {
  const [tables] = await connection.query<mysql.RowDataPacket[]>(
    "SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME",
    [dbName],
  );
  const wanted = new Map<string, string[]>(tables.map((row) => [String(row.name), AUDIT_TABLES.includes(String(row.name)) ? AUDIT_PRIVILEGES : APP_PRIVILEGES]));
  const [routines] = await connection.query<mysql.RowDataPacket[]>(
    "SELECT 1 FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? AND ROUTINE_NAME = ? AND ROUTINE_TYPE = 'PROCEDURE'",
    [dbName, AUDIT_PURGE_PROCEDURE],
  );
  let revoked = 0;
  for (const host of hosts) {
    for (const [table, privileges] of wanted) {
      await connection.query(`GRANT ${privileges.join(', ')} ON ${quoteName(dbName)}.${quoteName(table)} TO ?@?`, [app, host]);
    }
    if (routines.length > 0) {
      await connection.query(`GRANT EXECUTE ON PROCEDURE ${quoteName(dbName)}.${quoteName(AUDIT_PURGE_PROCEDURE)} TO ?@?`, [app, host]);
    }
    revoked += await revokeStale(connection, dbName, app, host, wanted);
  }
  return { tables: wanted.size, revoked };
}

async function revokeStale(connection: mysql.Connection, dbName: string, app: string, host: string, wanted: Map<string, string[]>): Promise<number> {
  let granted: mysql.RowDataPacket[];
  try {
    [granted] = await connection.query<mysql.RowDataPacket[]>(
      'SELECT Table_name AS name, Table_priv AS privileges FROM mysql.tables_priv WHERE User = ? AND Host = ? AND Db = ?',
      [app, host, dbName],
    );
  } catch {
    return 0;
  }
  let revoked = 0;
  for (const row of granted) {
    const allowed = wanted.get(String(row.name)) ?? [];
    const extra = String(row.privileges)
      .split(',')
      .map((privilege) => privilege.trim().toUpperCase())
      .filter((privilege) => privilege && !allowed.includes(privilege));
    if (extra.length === 0) continue;
    await connection.query(`REVOKE ${extra.join(', ')} ON ${quoteName(dbName)}.${quoteName(String(row.name))} FROM ?@?`, [app, host]);
    revoked += 1;
  }
  return revoked;
}

/** SHOW GRANTS, one line per grant, for comparing runs. */
export async function showGrants(connection: mysql.Connection, user: string, host: string): Promise<string[]> {
  const [rows] = await connection.query<mysql.RowDataPacket[]>('SHOW GRANTS FOR ?@?', [user, host]);
  return rows.map((row) => String(Object.values(row)[0])).sort();
}
