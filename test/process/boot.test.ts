import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { expect } from 'chai';
import { startServerProcess } from '../support/server-process.js';

/** A fatal start-up message is one line with no stack trace. */
function expectOneLine(text: string) {
  const lines = text.trim().split('\n');
  expect(lines, text).to.have.length(1);
  expect(text).to.not.match(/\n\s+at /);
}

describe('the server process', () => {
  it('stops with one clear line on a bad database URL', async () => {
    const server = await startServerProcess({ HUIJI_DATABASE_URL: 'postgresql://localhost/huiji' });
    expect(await server.exited).to.equal(2);
    expectOneLine(server.stderr());
    expect(server.stderr()).to.contain('HUIJI_DATABASE_URL="postgresql://localhost/huiji" is invalid: expected sqlite:<path>');
  });

  it('stops with one clear line on a bad port', async () => {
    const server = await startServerProcess({ HUIJI_PORT: '99999' });
    expect(await server.exited).to.equal(2);
    expectOneLine(server.stderr());
    expect(server.stderr().trim()).to.equal(
      'Configuration error: HUIJI_PORT="99999" is invalid: expected an integer between 1 and 65535, e.g. 8080.',
    );
  });

  it('stops with one clear line when the port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const server = await startServerProcess({ HUIJI_PORT: String(port) });
      expect(await server.exited).to.equal(3);
      expectOneLine(server.stderr());
      expect(server.stderr()).to.contain('the port is already in use');
    } finally {
      blocker.close();
    }
  });

  it('creates the first admin on first start, prints the password once and keeps it in a 0600 file', async () => {
    const first = await startServerProcess();
    try {
      await first.waitForReady();
      const file = path.join(first.dataDir, 'data', 'initial-admin-password');
      expect(fs.statSync(file).mode & 0o777).to.equal(0o600);
      const password = fs.readFileSync(file, 'utf8').trim();
      expect(first.stdout()).to.contain(`password / 初始密码: ${password}`);
      // The password reaches the terminal only, never the log files.
      const logs = fs.readdirSync(path.join(first.dataDir, 'logs')).map((f) => fs.readFileSync(path.join(first.dataDir, 'logs', f), 'utf8'));
      expect(logs.join('')).to.not.contain(password);

      const res = await fetch(`${first.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password }),
      });
      expect(res.status).to.equal(200);
      expect(((await res.json()) as { user: { mustChangePassword: boolean } }).user.mustChangePassword).to.equal(true);
    } finally {
      expect(await first.stop()).to.equal(0);
    }
    const second = await startServerProcess({}, first.dataDir);
    try {
      await second.waitForReady();
      expect(second.stdout()).to.not.contain('初始密码');
    } finally {
      await second.stop();
    }
  });

  it('uses HUIJI_BOOTSTRAP_ADMIN_PASSWORD when given and writes no password file', async () => {
    const server = await startServerProcess({ HUIJI_BOOTSTRAP_ADMIN_PASSWORD: 'Given#Pass2026' });
    try {
      await server.waitForReady();
      expect(fs.existsSync(path.join(server.dataDir, 'data', 'initial-admin-password'))).to.equal(false);
      expect(server.stdout()).to.not.contain('Given#Pass2026');
    } finally {
      await server.stop();
    }
  });

  it('keeps retrying an unreachable database, saying why on /readyz and in the log', async () => {
    const server = await startServerProcess({ HUIJI_DATABASE_URL: 'mysql://huiji:x@127.0.0.1:1/huiji' });
    try {
      let ready: Response | undefined;
      for (let i = 0; i < 100 && !ready; i++) {
        ready = await fetch(`${server.url}/readyz`).catch(() => undefined);
        if (!ready) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(ready!.status).to.equal(503);
      const body = (await ready!.json()) as { status: string; checks: { database: string } };
      expect(body.status).to.equal('not_ready');
      expect(body.checks.database).to.match(/ECONNREFUSED/);
      expect((await fetch(`${server.url}/healthz`)).status).to.equal(200);
      const api = await fetch(`${server.url}/api/v1/auth/me`, { headers: { 'accept-language': 'en' } });
      expect(api.status).to.equal(503);
      expect(((await api.json()) as { error: { code: string } }).error.code).to.equal('SERVICE_UNAVAILABLE');
      await new Promise((resolve) => setTimeout(resolve, 1200));
      expect(server.stdout()).to.match(/database unreachable, retrying in \d+ s: .*ECONNREFUSED/);
      expect(server.child.exitCode).to.equal(null);
    } finally {
      expect(await server.stop()).to.equal(0);
    }
  });
});
