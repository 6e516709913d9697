import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { RowDataPacket } from 'mysql2';
import mysql from 'mysql2/promise';
import { freePort } from '../support/server-process.js';
import { builtBundle, nextPatch, REPO_VERSION, sourceWithVersion, type BuiltBundle } from './bundle-fixture.js';
import { ADMIN_URL, adminConnection, dropInstall, ENTRY, explain, randomDbName, runProgram, startInstalled } from './installer-kit.js';

interface DatabaseState {
  tables: string[];
  migrations: string[];
  checksums: Record<string, string>;
}

/**
 * Installed from the repo (the "old" release), then upgraded from copies of the offline
 * bundle that call themselves the next versions. The steps build on each other, in order.
 */
describe('installer upgrade', function () {
  this.timeout(600_000);
  const next = nextPatch(REPO_VERSION);
  const later = nextPatch(REPO_VERSION, 2);
  let bundle: BuiltBundle;
  let work: string;
  let prefix: string;
  let dbName: string;
  let port: number;
  let sourceNext: string;
  let sourceLater: string;

  const current = () => fs.readlinkSync(path.join(prefix, 'opt', 'huiji', 'current'));
  const releases = () => fs.readdirSync(path.join(prefix, 'opt', 'huiji', 'releases')).sort();
  const installerState = () => JSON.parse(fs.readFileSync(path.join(prefix, 'etc', 'huiji', 'installer.json'), 'utf8')) as { version: string };
  const upgradeFrom = (source: string, env: Record<string, string> = {}) =>
    runProgram(path.join(source, 'huiji-installer'), ['upgrade', '--prefix', prefix, '--non-interactive'], { cwd: work, env });

  async function databaseState(): Promise<DatabaseState> {
    const connection = await adminConnection();
    try {
      await connection.query(`USE \`${dbName}\``);
      const [tableRows] = await connection.query<RowDataPacket[]>("SHOW FULL TABLES WHERE Table_type = 'BASE TABLE'");
      const tables = tableRows.map((row) => String(Object.values(row)[0])).sort();
      const [migrationRows] = await connection.query<RowDataPacket[]>('SELECT name FROM huiji_migrations ORDER BY name');
      const [sums] = await connection.query<RowDataPacket[]>(`CHECKSUM TABLE ${tables.map((table) => `\`${table}\``).join(', ')}`);
      const checksums = Object.fromEntries(sums.map((row) => [String(row.Table).split('.').pop(), String(row.Checksum)]));
      return { tables, migrations: migrationRows.map((row) => String(row.name)), checksums };
    } finally {
      await connection.end();
    }
  }

  const startServer = () => startInstalled(path.join(prefix, 'opt', 'huiji', 'current', 'bin', 'huiji'), port);

  before(async () => {
    bundle = await builtBundle();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'huiji-upgrade-'));
    prefix = path.join(work, 'prefix');
    dbName = randomDbName();
    port = await freePort();
    const install = await runProgram(
      process.execPath,
      [ENTRY, 'install', '--non-interactive', '--prefix', prefix, '--db-admin-url', ADMIN_URL, '--db-name', dbName, '--port', String(port), '--admin-password', 'Upgrade-test-42', '--no-service'],
      { cwd: work },
    );
    expect(install.code, explain(install)).to.equal(0);
    sourceNext = await sourceWithVersion(bundle, next, work);
    sourceLater = await sourceWithVersion(bundle, later, work);
  });

  after(async () => {
    if (dbName) await dropInstall(dbName);
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('refuses while Huiji runs outside systemd and changes nothing (exit 5)', async () => {
    const server = await startServer();
    try {
      const result = await upgradeFrom(sourceNext);
      expect(result.code, explain(result)).to.equal(5);
      expect(result.stderr).to.contain(`answers on port ${port}`);
    } finally {
      await server.stop();
    }
    expect(current()).to.equal(`releases/${REPO_VERSION}`);
    expect(releases()).to.deep.equal([REPO_VERSION]);
  });

  it('aborts before changing anything when the backup fails (exit 5)', async () => {
    const publicKey = path.join(prefix, 'etc', 'huiji', 'backup-public.pem');
    const aside = `${publicKey}.aside`;
    fs.renameSync(publicKey, aside);
    try {
      const result = await upgradeFrom(sourceNext);
      expect(result.code, explain(result)).to.equal(5);
      expect(result.stderr).to.contain('the backup failed, so nothing was changed');
      expect(result.stderr).to.contain('no backup public key');
    } finally {
      fs.renameSync(aside, publicKey);
    }
    expect(current()).to.equal(`releases/${REPO_VERSION}`);
    expect(releases()).to.deep.equal([REPO_VERSION]);
  });

  it('rolls back current and the database when a migration fails, and says so', async () => {
    const before = await databaseState();
    const backupsBefore = fs.readdirSync(path.join(prefix, 'var', 'backups', 'huiji')).filter((name) => name.endsWith('.hjbak'));

    const result = await upgradeFrom(sourceNext, { HUIJI_INJECT_FAILING_MIGRATION: '20991231000000-injected-failure' });

    expect(result.code, explain(result)).to.equal(1);
    expect(result.stdout).to.contain('injected failure in migration 20991231000000-injected-failure');
    expect(result.stdout).to.contain('undone: database migration');
    expect(result.stdout).to.contain(`Upgrade to ${next} FAILED and was rolled back`);
    expect(result.stdout).to.contain(`running 当前版本: Huiji ${REPO_VERSION}`);
    expect(result.stderr).to.contain(`failed and was rolled back to ${REPO_VERSION}`);

    expect(current()).to.equal(`releases/${REPO_VERSION}`);
    expect(releases()).to.deep.equal([REPO_VERSION]);
    expect(installerState().version).to.equal(REPO_VERSION);
    const afterward = await databaseState();
    expect(afterward.tables).to.not.include('injected_failure_probe');
    expect(afterward).to.deep.equal(before);
    // The plaintext snapshot is gone; the encrypted backup taken first stays.
    expect(fs.readdirSync(path.join(prefix, 'var', 'lib', 'huiji', 'rollback'))).to.deep.equal([]);
    const backupsAfter = fs.readdirSync(path.join(prefix, 'var', 'backups', 'huiji')).filter((name) => name.endsWith('.hjbak'));
    expect(backupsAfter.length).to.equal(backupsBefore.length + 1);

    // The server's own account still reads and writes after the rollback.
    const config = JSON.parse(fs.readFileSync(path.join(prefix, 'etc', 'huiji', 'huiji.config.json'), 'utf8')) as { databaseUrl: string };
    const app = await mysql.createConnection(config.databaseUrl);
    try {
      const [rows] = await app.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM huiji_migrations');
      expect(Number(rows[0].n)).to.equal(before.migrations.length);
    } finally {
      await app.end();
    }
    const server = await startServer();
    try {
      const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { version: string };
      expect(health.version, server.output()).to.equal(REPO_VERSION);
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status, server.output()).to.equal(200);
    } finally {
      await server.stop();
    }
  });

  it('rolls back when the operator interrupts it (SIGTERM) after the new release is copied', async () => {
    const before = await databaseState();
    const child = spawn(path.join(sourceNext, 'huiji-installer'), ['upgrade', '--prefix', prefix, '--non-interactive'], {
      cwd: work,
      env: { PATH: process.env.PATH ?? '', HOME: work },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!signalled && stdout.includes(`✔ new release releases/${next}`)) {
        signalled = true;
        child.kill('SIGTERM');
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));

    expect(signalled, stdout).to.equal(true);
    expect(code, `${stdout}\n${stderr}`).to.equal(1);
    expect(stdout).to.contain('interrupted: the upgrade stops after this step and rolls back');
    expect(stdout).to.contain(`Upgrade to ${next} FAILED and was rolled back`);
    expect(stderr).to.contain('interrupted by the operator');
    expect(current()).to.equal(`releases/${REPO_VERSION}`);
    expect(releases()).to.deep.equal([REPO_VERSION]);
    expect(await databaseState()).to.deep.equal(before);
    expect(fs.readdirSync(path.join(prefix, 'var', 'lib', 'huiji', 'rollback'))).to.deep.equal([]);
  });

  it('switches current to the new release after a clean upgrade and keeps the previous one', async () => {
    const before = await databaseState();
    const result = await upgradeFrom(sourceNext);
    expect(result.code, explain(result)).to.equal(0);
    expect(result.stdout).to.contain(`Huiji ${next} is installed`);
    expect(result.stdout.trim().split('\n').pop()).to.equal(`Start Huiji with: ${prefix}/opt/huiji/current/bin/huiji start`);

    expect(current()).to.equal(`releases/${next}`);
    expect(releases()).to.deep.equal([REPO_VERSION, next].sort());
    expect(installerState().version).to.equal(next);
    expect((await databaseState()).migrations).to.deep.equal(before.migrations);
    expect(fs.readdirSync(path.join(prefix, 'var', 'lib', 'huiji', 'rollback'))).to.deep.equal([]);

    const server = await startServer();
    try {
      const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { version: string };
      expect(health.version, server.output()).to.equal(next);
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status, server.output()).to.equal(200);
    } finally {
      await server.stop();
    }
  });

  it('does nothing when that version is already installed, and refuses a downgrade (exit 5)', async () => {
    const again = await upgradeFrom(sourceNext);
    expect(again.code, explain(again)).to.equal(0);
    expect(again.stdout).to.contain(`Huiji ${next} is already installed`);

    const downgrade = await upgradeFrom(bundle.root);
    expect(downgrade.code, explain(downgrade)).to.equal(5);
    expect(downgrade.stderr).to.contain('downgrades are refused');
    expect(current()).to.equal(`releases/${next}`);
  });

  it('keeps only the running release and the one before it', async () => {
    const result = await upgradeFrom(sourceLater);
    expect(result.code, explain(result)).to.equal(0);
    expect(result.stdout).to.contain(`removed older: ${REPO_VERSION}`);
    expect(current()).to.equal(`releases/${later}`);
    expect(releases()).to.deep.equal([next, later].sort());
  });
});
