import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { renderUnit } from '../../installer/src/templates.js';
import { freePort } from '../support/server-process.js';
import {
  accountsOf,
  ADMIN_URL,
  buildOnce,
  databaseExists,
  dropInstall,
  explain,
  grantsOf,
  installedPaths,
  modeOf,
  randomDbName,
  ROOT_UNIT_VALUES,
  runInstaller,
  runProgram,
  startInstalled,
  tempPrefix,
  type InstallerRun,
  type RunningServer,
} from './installer-kit.js';

const ADMIN_PASSWORD = 'Install#Test2026';

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>>;

describe('huiji-installer install into a temp prefix (local MariaDB, no systemd)', function () {
  this.timeout(180_000);
  const prefix = tempPrefix();
  const files = installedPaths(prefix);
  const dbName = randomDbName();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'huiji-inst-work-'));
  let port: number;
  let installArgs: string[];
  let first: InstallerRun;
  let server: RunningServer | null = null;
  let privateKey: string;

  before(async () => {
    buildOnce();
    port = await freePort();
    installArgs = ['install', '--non-interactive', '--prefix', prefix, '--db-admin-url', ADMIN_URL, '--db-name', dbName, '--port', String(port), '--admin-password', ADMIN_PASSWORD, '--no-service'];
    first = await runInstaller(installArgs);
  });

  after(async () => {
    await server?.stop();
    await dropInstall(dbName);
    fs.rmSync(prefix, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('installs with --no-service and prints the start command on its last line', () => {
    expect(first.code, explain(first)).to.equal(0);
    const lines = first.stdout.trim().split('\n');
    expect(lines[lines.length - 1]).to.equal(`${files.bin} start`);
    expect(first.stdout).to.contain('--no-service: the unit is written but not enabled or started');
    expect(first.stdout).to.match(/✔ database migrations and first admin \(\d+ migrations applied, first admin created\)/);
  });

  it('writes the config (0600) with generated secrets, the state (0600), the public key (0644) and keeps the private key (0600)', () => {
    expect(modeOf(files.config)).to.equal(0o600);
    expect(modeOf(files.state)).to.equal(0o600);
    expect(modeOf(files.publicKey)).to.equal(0o644);
    const config = readJson(files.config);
    expect(config.port).to.equal(port);
    expect(config.host).to.equal('0.0.0.0');
    expect(config.databaseUrl).to.match(new RegExp(`^mysql://${dbName}_app:[\\w-]{32}@127\\.0\\.0\\.1:3306/${dbName}$`));
    expect(config.database).to.deep.equal({ migrateOnStart: false });
    expect(config.backup).to.deep.equal({ dir: path.join(prefix, 'var/backups/huiji'), publicKeyFile: files.publicKey });
    expect(Buffer.from(String((config.crypto.fieldKeys as Record<string, string>).k1), 'base64')).to.have.length(32);
    expect(config.crypto.activeFieldKey).to.equal('k1');
    expect(Buffer.from(String(config.crypto.blindIndexKey), 'base64')).to.have.length(32);
    expect(Buffer.from(String(config.audit.hmacKey), 'base64')).to.have.length(32);
    const state = readJson(files.state) as unknown as Record<string, unknown>;
    expect(state).to.include({ version: '0.1.0', prefix, dbName, appUser: `${dbName}_app`, ownerUser: `${dbName}_own`, dbHost: '127.0.0.1', dbPort: 3306, service: false, nginx: false });
    expect(String(state.ownerPassword)).to.match(/^[\w-]{32}$/);
    expect(fs.readFileSync(path.join(prefix, 'opt/huiji/huiji.env'), 'utf8')).to.contain(`HUIJI_CONFIG=${files.config}\n`);
    expect(fs.readlinkSync(path.join(prefix, 'opt/huiji/current'))).to.equal('releases/0.1.0');

    const keys = fs.readdirSync(files.rootHome).filter((name) => name.startsWith('huiji-backup-private-'));
    expect(keys).to.have.length(1);
    privateKey = path.join(files.rootHome, keys[0]);
    expect(modeOf(privateKey)).to.equal(0o600);
    expect(first.stdout).to.contain(`non-interactive: nobody confirmed a copy, so the private key stays at ${privateKey}`);
  });

  it('keeps every password and key out of its 0600 log', () => {
    expect(modeOf(files.log)).to.equal(0o600);
    const log = fs.readFileSync(files.log, 'utf8');
    expect(log).to.contain('✔ database migrations and first admin');
    const config = readJson(files.config);
    const secrets = [
      ADMIN_PASSWORD,
      String(readJson(files.state).ownerPassword),
      new URL(String(config.databaseUrl)).password,
      String((config.crypto.fieldKeys as Record<string, string>).k1),
      String(config.crypto.blindIndexKey),
      String(config.audit.hmacKey),
    ];
    for (const secret of secrets) expect(log, 'a secret in the log').to.not.contain(secret);
    expect(log).to.not.contain('PRIVATE KEY-----');
  });

  it('leaves a server that bin/huiji start serves: /readyz 200 and the admin can log in', async () => {
    server = await startInstalled(files.bin, port);
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    expect(response.status, await response.clone().text()).to.equal(200);
    expect(((await response.json()) as { user: { mustChangePassword: boolean } }).user.mustChangePassword).to.equal(true);
  });

  it('gives the app account row rights only, append-only on the audit tables, and EXECUTE on the purge routine', async () => {
    const grants = await grantsOf(dbName);
    const app = grants.filter((line) => line.startsWith('localhost:') && line.includes(`\`${dbName}_app\``));
    expect(app.find((line) => line.includes('`audit_logs`'))).to.contain('GRANT SELECT, INSERT ON');
    expect(app.find((line) => line.includes('`members`'))).to.contain('GRANT SELECT, INSERT, UPDATE, DELETE ON');
    expect(app.some((line) => line.includes('EXECUTE ON PROCEDURE') && line.includes('huiji_audit_purge'))).to.equal(true);
    expect(app.some((line) => /ALL PRIVILEGES|CREATE|DROP|ALTER/.test(line))).to.equal(false);
    const owner = grants.filter((line) => line.startsWith('localhost:') && line.includes(`\`${dbName}_own\``));
    expect(owner.some((line) => line.includes('ALL PRIVILEGES ON') && line.includes('WITH GRANT OPTION'))).to.equal(true);
  });

  it('converges on a second run while Huiji runs: same grants, secrets, key pair; nothing new', async () => {
    const grantsBefore = await grantsOf(dbName);
    const configBefore = fs.readFileSync(files.config, 'utf8');
    const stateBefore = fs.readFileSync(files.state, 'utf8');
    const publicKeyBefore = fs.readFileSync(files.publicKey, 'utf8');
    const second = await runInstaller(installArgs);
    expect(second.code, explain(second)).to.equal(0);
    expect(fs.readFileSync(files.log, 'utf8')).to.contain(`ok network/port: port ${port} is this install's Huiji`);
    expect(second.stdout).to.contain('configuration (unchanged, secrets kept)');
    expect(second.stdout).to.contain('public key kept');
    expect(second.stdout).to.contain('already there, password kept');
    expect(await grantsOf(dbName)).to.deep.equal(grantsBefore);
    expect(fs.readFileSync(files.config, 'utf8')).to.equal(configBefore);
    expect(fs.readFileSync(files.state, 'utf8')).to.equal(stateBefore);
    expect(fs.readFileSync(files.publicKey, 'utf8')).to.equal(publicKeyBefore);
    expect(fs.readdirSync(files.rootHome).filter((name) => name.startsWith('huiji-backup-private-'))).to.have.length(1);
    // The running server was not disturbed.
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).to.equal(200);
  });

  it('writes the golden unit for its prefix, which passes systemd-analyze verify', async function () {
    expect(fs.readFileSync(files.unit, 'utf8').split(prefix).join('')).to.equal(renderUnit(ROOT_UNIT_VALUES));
    if (!fs.existsSync('/usr/bin/systemd-analyze')) return;
    const verified = await runProgram('/usr/bin/systemd-analyze', ['verify', files.unit]);
    expect(verified.code, explain(verified)).to.equal(0);
    expect(`${verified.stdout}${verified.stderr}`.trim()).to.equal('');
  });

  it('backs up, verifies, refuses to restore while Huiji runs (5), restores once it is stopped and grants again', async () => {
    const backupFile = path.join(work, 'nightly.hjbak');
    const backup = await runInstaller(['backup', '--prefix', prefix, '--out', backupFile]);
    expect(backup.code, explain(backup)).to.equal(0);
    expect(modeOf(backupFile)).to.equal(0o600);

    const verify = await runInstaller(['verify-backup', '--prefix', prefix, '--file', backupFile, '--private-key', privateKey, '--json']);
    expect(verify.code, explain(verify)).to.equal(0);
    expect(JSON.parse(verify.stdout)).to.include({ ok: true });

    const refused = await runInstaller(['restore', '--prefix', prefix, '--file', backupFile, '--private-key', privateKey, '--yes']);
    expect(refused.code, explain(refused)).to.equal(5);
    expect(refused.stderr).to.contain(`Huiji answers on port ${port}: stop it first`);

    await server!.stop();
    server = null;
    const grantsBefore = await grantsOf(dbName);
    const restored = await runInstaller(['restore', '--prefix', prefix, '--file', backupFile, '--private-key', privateKey, '--yes']);
    expect(restored.code, explain(restored)).to.equal(0);
    expect(restored.stdout).to.contain(`privileges of ${dbName}_app`);
    expect(await grantsOf(dbName)).to.deep.equal(grantsBefore);
    server = await startInstalled(files.bin, port);
  });

  it('passes bin/huiji exit codes through: a flipped byte 3, a wrong private key 4', async () => {
    const backupFile = path.join(work, 'nightly.hjbak');
    const tampered = path.join(work, 'tampered.hjbak');
    const bytes = fs.readFileSync(backupFile);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    fs.writeFileSync(tampered, bytes);
    fs.copyFileSync(backupFile.replace(/\.hjbak$/, '.hjkey'), tampered.replace(/\.hjbak$/, '.hjkey'));
    const broken = await runInstaller(['verify-backup', '--prefix', prefix, '--file', tampered, '--private-key', privateKey]);
    expect(broken.code, explain(broken)).to.equal(3);

    const otherKey = path.join(work, 'other-private.pem');
    const { privateKey: other } = crypto.generateKeyPairSync('rsa', { modulusLength: 3072 });
    fs.writeFileSync(otherKey, other.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    const wrongKey = await runInstaller(['verify-backup', '--prefix', prefix, '--file', backupFile, '--private-key', otherKey]);
    expect(wrongKey.code, explain(wrongKey)).to.equal(4);
  });

  it('uninstall removes the releases and unit but keeps data, config and database; --purge --yes drops them', async () => {
    const refused = await runInstaller(['uninstall', '--prefix', prefix, '--non-interactive']);
    expect(refused.code, explain(refused)).to.equal(5);
    await server!.stop();
    server = null;

    const kept = await runInstaller(['uninstall', '--prefix', prefix, '--non-interactive']);
    expect(kept.code, explain(kept)).to.equal(0);
    expect(fs.existsSync(path.join(prefix, 'opt/huiji'))).to.equal(false);
    expect(fs.existsSync(files.unit)).to.equal(false);
    expect(fs.existsSync(files.config)).to.equal(true);
    expect(await databaseExists(dbName)).to.equal(true);

    const unconfirmed = await runInstaller(['uninstall', '--prefix', prefix, '--purge', '--non-interactive', '--db-admin-url', ADMIN_URL]);
    expect(unconfirmed.code, explain(unconfirmed)).to.equal(2);
    expect(await databaseExists(dbName)).to.equal(true);

    const purged = await runInstaller(['uninstall', '--prefix', prefix, '--purge', '--yes', '--db-admin-url', ADMIN_URL]);
    expect(purged.code, explain(purged)).to.equal(0);
    expect(await databaseExists(dbName)).to.equal(false);
    expect(await accountsOf(dbName)).to.deep.equal([]);
    expect(fs.existsSync(path.join(prefix, 'etc/huiji'))).to.equal(false);
    // The private key is the operator's: uninstall never touches it.
    expect(fs.existsSync(privateKey)).to.equal(true);
  });
});
