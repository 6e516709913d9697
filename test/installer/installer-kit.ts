import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import mysql from 'mysql2/promise';
import type { CommandContext } from '../../installer/src/context.js';
import { layoutFor, SOURCE_ROOT } from '../../installer/src/layout.js';
import { System } from '../../installer/src/system.js';
import { Ui } from '../../installer/src/ui.js';
import { PROJECT_ROOT } from '../../server/src/platform/paths.js';
import { MYSQL_ADMIN_URL } from '../support/database.js';

/** The installer as operators run it: its real entry, as a child process. */
export const ENTRY = path.join(PROJECT_ROOT, 'installer', 'bin', 'huiji-installer.mjs');

/** The admin URL given to --db-admin-url: the test server's root, no database. */
export const ADMIN_URL = (() => {
  const url = new URL(MYSQL_ADMIN_URL);
  url.pathname = '/';
  return url.toString();
})();

export interface InstallerRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export const explain = (run: InstallerRun) => `exit ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;

/** Runs a program with only PATH and HOME from this environment, so no HUIJI_* leaks in. */
export function runProgram(command: string, args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<InstallerRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? os.tmpdir(),
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Builds what is stale once, before the children start: the entry would otherwise build in
 * every child, and children started together would build at the same time.
 */
export function buildOnce(): void {
  const result = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'scripts', 'build-if-stale.mjs')], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`build failed: ${result.stdout}${result.stderr}`);
}

export function runInstaller(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<InstallerRun> {
  return runProgram(process.execPath, [ENTRY, ...args], options);
}

export function tempPrefix(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'huiji-inst-'));
}

/** hjt_<hex>: short enough for the <name>_own / <name>_app accounts. */
export function randomDbName(): string {
  return `hjt_${crypto.randomBytes(5).toString('hex')}`;
}

export async function adminConnection(): Promise<mysql.Connection> {
  const url = new URL(MYSQL_ADMIN_URL);
  return mysql.createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
  });
}

/** Whatever an install of `dbName` may have left: its database, scratch databases and accounts. */
export async function dropInstall(dbName: string): Promise<void> {
  const admin = await adminConnection();
  try {
    const [databases] = await admin.query<mysql.RowDataPacket[]>('SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ? OR SCHEMA_NAME LIKE ?', [dbName, `${dbName}\\_%`]);
    for (const row of databases) await admin.query(`DROP DATABASE IF EXISTS \`${String(row.name)}\``);
    const [users] = await admin.query<mysql.RowDataPacket[]>('SELECT User AS user, Host AS host FROM mysql.user WHERE User IN (?, ?)', [`${dbName}_own`, `${dbName}_app`]);
    for (const row of users) await admin.query('DROP USER IF EXISTS ?@?', [row.user, row.host]);
  } finally {
    await admin.end();
  }
}

export async function grantsOf(dbName: string): Promise<string[]> {
  const admin = await adminConnection();
  try {
    const lines: string[] = [];
    for (const user of [`${dbName}_own`, `${dbName}_app`]) {
      for (const host of ['localhost', '127.0.0.1']) {
        const [rows] = await admin.query<mysql.RowDataPacket[]>('SHOW GRANTS FOR ?@?', [user, host]);
        lines.push(...rows.map((row) => `${host}: ${String(Object.values(row)[0])}`).sort());
      }
    }
    return lines;
  } finally {
    await admin.end();
  }
}

export async function accountsOf(dbName: string): Promise<string[]> {
  const admin = await adminConnection();
  try {
    const [rows] = await admin.query<mysql.RowDataPacket[]>('SELECT CONCAT(User, "@", Host) AS account FROM mysql.user WHERE User IN (?, ?) ORDER BY 1', [`${dbName}_own`, `${dbName}_app`]);
    return rows.map((row) => String(row.account));
  } finally {
    await admin.end();
  }
}

export async function databaseExists(dbName: string): Promise<boolean> {
  const admin = await adminConnection();
  try {
    const [rows] = await admin.query<mysql.RowDataPacket[]>('SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [dbName]);
    return rows.length > 0;
  } finally {
    await admin.end();
  }
}

export const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

/** The install's files as the layout names them (the same paths the contract lists). */
export function installedPaths(prefix: string) {
  return {
    bin: path.join(prefix, 'opt', 'huiji', 'current', 'bin', 'huiji'),
    config: path.join(prefix, 'etc', 'huiji', 'huiji.config.json'),
    state: path.join(prefix, 'etc', 'huiji', 'installer.json'),
    publicKey: path.join(prefix, 'etc', 'huiji', 'backup-public.pem'),
    unit: path.join(prefix, 'etc', 'systemd', 'system', 'huiji.service'),
    log: path.join(prefix, 'var', 'log', 'huiji', 'installer.log'),
    rootHome: path.join(prefix, 'root'),
  };
}

/** A command context on a temp prefix whose output is captured (in-process tests of stages). */
export function quietContext(prefix: string, system: System = new System()): { ctx: CommandContext; output: () => string } {
  const sink = new PassThrough();
  let output = '';
  sink.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const ui = new Ui({ color: false, json: false, interactive: false, log: null, stdout: sink, stderr: sink });
  return { ctx: { layout: layoutFor(prefix), ui, system, sourceRoot: SOURCE_ROOT }, output: () => output };
}

const GOLDEN = path.join(import.meta.dirname, 'golden');

/** Compares with test/installer/golden/<name>; HUIJI_UPDATE_GOLDEN=1 rewrites the file instead. */
export function expectGolden(name: string, actual: string): void {
  const file = path.join(GOLDEN, name);
  if (process.env.HUIJI_UPDATE_GOLDEN === '1') fs.writeFileSync(file, actual);
  expect(actual, `golden file ${name} (HUIJI_UPDATE_GOLDEN=1 to accept a change)`).to.equal(fs.readFileSync(file, 'utf8'));
}

/** The unit as an install into "/" renders it. */
export const ROOT_UNIT_VALUES = {
  user: 'huiji',
  configFile: '/etc/huiji/huiji.config.json',
  huijiBin: '/opt/huiji/current/bin/huiji',
  readWritePaths: ['/var/lib/huiji', '/var/log/huiji', '/var/backups/huiji'],
};


export interface RunningServer {
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

/** `<P>/opt/huiji/current/bin/huiji start`, exactly as the installer told the operator, until /readyz answers 200. */
export async function startInstalled(bin: string, port: number, timeoutMs = 60_000): Promise<RunningServer> {
  const child = spawn(bin, ['start'], { cwd: os.tmpdir(), env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir() }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`huiji start exited with ${child.exitCode}: ${output}`);
    const status = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status, () => 0);
    if (status === 200) break;
    if (Date.now() > deadline) throw new Error(`not ready on ${port}: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
