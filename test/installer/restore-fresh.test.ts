import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { freePort } from '../support/server-process.js';
import { ADMIN_URL, adminConnection, buildOnce, dropInstall, explain, installedPaths, randomDbName, runInstaller, startInstalled, tempPrefix } from './installer-kit.js';

const FIRST_PASSWORD = 'Fresh#Restore2026';
const OWN_PASSWORD = 'Chosen#Restore2026';

async function api(port: number, method: string, route: string, body?: unknown, token?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${port}${route}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

async function signIn(port: number, password: string): Promise<string> {
  const login = await api(port, 'POST', '/api/v1/auth/login', { username: 'admin', password });
  expect(login.status, JSON.stringify(login.body)).to.equal(200);
  return login.body.token as string;
}

/**
 * The disaster the backups exist for: server A's disk dies, a new server B gets a fresh
 * install (with its own new secrets), and A's backup, with A's private key, is restored on B.
 * B must then show A's members, phone numbers included: the restore brought A's secrets.
 */
describe('restore on a fresh server after install', function () {
  this.timeout(300_000);
  const a = { prefix: tempPrefix(), db: randomDbName(), port: 0 };
  const b = { prefix: tempPrefix(), db: randomDbName(), port: 0 };
  let backupFile: string;
  let memberId: number;

  before(async () => {
    buildOnce();
    a.port = await freePort();
    b.port = await freePort();
    for (const site of [a, b]) {
      const run = await runInstaller([
        'install', '--non-interactive', '--prefix', site.prefix, '--db-admin-url', ADMIN_URL, '--db-name', site.db,
        '--port', String(site.port), '--admin-password', FIRST_PASSWORD, '--no-service',
      ]);
      expect(run.code, explain(run)).to.equal(0);
    }
  });
  after(async () => {
    for (const site of [a, b]) {
      await dropInstall(site.db);
      fs.rmSync(site.prefix, { recursive: true, force: true });
    }
  });

  it('backs up server A with a member whose phone is encrypted', async () => {
    const server = await startInstalled(installedPaths(a.prefix).bin, a.port);
    try {
      let token = await signIn(a.port, FIRST_PASSWORD);
      const changed = await api(a.port, 'POST', '/api/v1/auth/password', { currentPassword: FIRST_PASSWORD, newPassword: OWN_PASSWORD }, token);
      expect(changed.status, JSON.stringify(changed.body)).to.equal(200);
      token = await signIn(a.port, OWN_PASSWORD);
      const store = await api(a.port, 'POST', '/api/v1/stores', { code: 'S1', name: '一号店' }, token);
      expect(store.status, JSON.stringify(store.body)).to.equal(201);
      const member = await api(a.port, 'POST', '/api/v1/members', { name: '灾备', phone: '13912345678', homeStoreId: store.body.id }, token);
      expect(member.status, JSON.stringify(member.body)).to.equal(201);
      memberId = member.body.id as number;
    } finally {
      await server.stop();
    }
    backupFile = path.join(a.prefix, 'a.hjbak');
    const run = await runInstaller(['backup', '--prefix', a.prefix, '--out', backupFile]);
    expect(run.code, explain(run)).to.equal(0);
    expect(fs.existsSync(backupFile.replace(/\.hjbak$/, '.hjkey'))).to.equal(true);
  });

  it("restores A's backup on B with A's private key: B's secrets are replaced and A's phone numbers read", async () => {
    const privateKey = fs.readdirSync(path.join(a.prefix, 'root')).find((name) => name.endsWith('.pem'));
    expect(privateKey, 'the install kept the private key under <prefix>/root').to.be.a('string');
    const keyFile = path.join(a.prefix, 'root', privateKey as string);
    const configB = path.join(b.prefix, 'etc', 'huiji', 'huiji.config.json');
    const secretsBefore = (JSON.parse(fs.readFileSync(configB, 'utf8')) as { crypto: unknown }).crypto;
    const secretsA = (JSON.parse(fs.readFileSync(path.join(a.prefix, 'etc', 'huiji', 'huiji.config.json'), 'utf8')) as { crypto: unknown }).crypto;

    const run = await runInstaller(['restore', '--prefix', b.prefix, '--file', backupFile, '--private-key', keyFile, '--yes']);
    expect(run.code, explain(run)).to.equal(0);
    const config = JSON.parse(fs.readFileSync(configB, 'utf8')) as { crypto: unknown; port: number };
    expect(config.crypto).to.deep.equal(secretsA);
    expect(config.crypto).to.not.deep.equal(secretsBefore);
    expect(config.port, "B keeps its own settings").to.equal(b.port);

    const server = await startInstalled(installedPaths(b.prefix).bin, b.port);
    try {
      const token = await signIn(b.port, OWN_PASSWORD);
      const member = await api(b.port, 'GET', `/api/v1/members/${memberId}`, undefined, token);
      expect(member.status, JSON.stringify(member.body)).to.equal(200);
      const reveal = await api(b.port, 'POST', `/api/v1/members/${memberId}/reveal`, { fields: ['phone'], reason: '灾备恢复核对' }, token);
      expect(reveal.status, JSON.stringify(reveal.body)).to.equal(200);
      expect(JSON.stringify(reveal.body)).to.contain('13912345678');
    } finally {
      await server.stop();
    }
  });

  it('restores beside the live database while Huiji runs, leaving the live database and secrets alone', async () => {
    const keyFile = path.join(a.prefix, 'root', fs.readdirSync(path.join(a.prefix, 'root')).find((name) => name.endsWith('.pem')) as string);
    const configB = path.join(b.prefix, 'etc', 'huiji', 'huiji.config.json');
    const configBefore = fs.readFileSync(configB, 'utf8');
    const server = await startInstalled(installedPaths(b.prefix).bin, b.port);
    const beside = `${b.db}_lookup`;
    try {
      const wrongName = await runInstaller(['restore', '--prefix', b.prefix, '--file', backupFile, '--private-key', keyFile, '--into-database', 'elsewhere']);
      expect(wrongName.code, explain(wrongName)).to.equal(2);
      const run = await runInstaller(['restore', '--prefix', b.prefix, '--file', backupFile, '--private-key', keyFile, '--into-database', beside]);
      expect(run.code, explain(run)).to.equal(0);
      expect((await fetch(`http://127.0.0.1:${b.port}/readyz`)).status, 'the live server kept serving').to.equal(200);
      expect(fs.readFileSync(configB, 'utf8'), 'the live configuration and its secrets').to.equal(configBefore);
      const connection = await adminConnection();
      try {
        const [rows] = await connection.query(`SELECT name FROM \`${beside}\`.members WHERE id = ?`, [memberId]);
        expect(rows).to.deep.equal([{ name: '灾备' }]);
      } finally {
        await connection.query(`DROP DATABASE IF EXISTS \`${beside}\``);
        await connection.end();
      }
      const again = await runInstaller(['restore', '--prefix', b.prefix, '--file', backupFile, '--private-key', keyFile, '--into-database', `${b.db}_restored`]);
      expect(again.code, explain(again)).to.equal(0);
      const taken = await runInstaller(['restore', '--prefix', b.prefix, '--file', backupFile, '--private-key', keyFile, '--into-database', `${b.db}_restored`]);
      expect(taken.code, 'an existing database is not overwritten').to.equal(5);
    } finally {
      await server.stop();
      const connection = await adminConnection();
      await connection.query(`DROP DATABASE IF EXISTS \`${b.db}_restored\``);
      await connection.end();
    }
  });
});
