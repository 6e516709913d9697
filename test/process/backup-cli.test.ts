import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { PROJECT_ROOT } from '../../server/src/platform/paths.js';
import { freePort, startServerProcess } from '../support/server-process.js';

const HUIJI = path.join(PROJECT_ROOT, 'bin', 'huiji');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `bin/huiji` as an installed server runs it: no npm, no sources, only the config it is given. */
function huiji(args: string[], env: Record<string, string>, cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(HUIJI, args, { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('bin/huiji backup commands (SQLite, built release)', function () {
  this.timeout(120_000);
  let dir: string;
  let env: Record<string, string>;
  let backupFile: string;
  const run = (...args: string[]) => huiji(args, env, dir);

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huiji-bin-'));
    const port = await freePort();
    fs.writeFileSync(
      path.join(dir, 'huiji.config.json'),
      JSON.stringify({ port, host: '127.0.0.1', dataDir: path.join(dir, 'data'), logDir: path.join(dir, 'logs'), backup: { publicKeyFile: path.join(dir, 'backup-public.pem') } }),
    );
    env = { HUIJI_CONFIG: path.join(dir, 'huiji.config.json'), HUIJI_LOG_LEVEL: 'warn' };
    const migrated = await run('migrate', '--bootstrap-admin');
    expect(migrated.code, migrated.stderr).to.equal(0);
    expect(migrated.stdout.trim().split('\n').at(-1)).to.match(/^admin password: \S{8,}$/);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses a backup without a public key, naming the command that makes one (exit 2)', async () => {
    const result = await run('backup', 'create');
    expect(result.code).to.equal(2);
    expect(result.stderr).to.contain('backup-key generate');
  });

  it('generates the key pair once: the private key 0600, never overwritten', async () => {
    const made = await run('backup-key', 'generate', '--public-out', 'backup-public.pem', '--private-out', 'private.pem', '--json');
    expect(made.code, made.stderr).to.equal(0);
    expect(JSON.parse(made.stdout).fingerprint).to.match(/^[0-9a-f]{32}$/);
    expect((fs.statSync(path.join(dir, 'private.pem')).mode & 0o777).toString(8)).to.equal('600');
    const again = await run('backup-key', 'generate', '--public-out', 'backup-public.pem', '--private-out', 'other.pem');
    expect(again.code).to.equal(2);
    const paper = await run('backup-key', 'export', '--private-key', 'private.pem', '--paper');
    expect(paper.code).to.equal(0);
    expect(paper.stdout).to.contain(JSON.parse(made.stdout).fingerprint.slice(0, 4));
    expect(paper.stdout).to.contain('  1  -----BEGIN PRIVATE KEY-----');
  });

  it('refuses a private key put where the public key belongs (exit 2)', async () => {
    const publicFile = path.join(dir, 'backup-public.pem');
    const publicPem = fs.readFileSync(publicFile);
    fs.copyFileSync(path.join(dir, 'private.pem'), publicFile);
    try {
      const result = await run('backup', 'create');
      expect(result.code).to.equal(2);
      expect(result.stderr).to.contain('PRIVATE key');
    } finally {
      fs.writeFileSync(publicFile, publicPem);
    }
  });

  it('creates a backup and verifies it (exit 0, --json report)', async () => {
    const created = await run('backup', 'create', '--json');
    expect(created.code, created.stderr).to.equal(0);
    backupFile = JSON.parse(created.stdout).file;
    const verified = await run('backup', 'verify', '--file', backupFile, '--private-key', 'private.pem', '--json');
    expect(verified.code, verified.stderr).to.equal(0);
    const report = JSON.parse(verified.stdout);
    expect(report).to.include({ ok: true, keys: 'ok' });
    expect(report.tables).to.be.greaterThan(40);
  });

  it('exits 3 for a flipped byte or a cut file, 4 for another key, 2 for a missing option', async () => {
    const bytes = fs.readFileSync(backupFile);
    const flipped = path.join(dir, 'flipped.hjbak');
    const copy = Buffer.from(bytes);
    copy[Math.floor(copy.length / 2)] ^= 0x80;
    fs.writeFileSync(flipped, copy);
    const cut = path.join(dir, 'cut.hjbak');
    fs.writeFileSync(cut, bytes.subarray(0, bytes.length - 10));
    expect((await run('backup', 'verify', '--file', flipped, '--private-key', 'private.pem')).code).to.equal(3);
    expect((await run('backup', 'verify', '--file', cut, '--private-key', 'private.pem')).code).to.equal(3);
    await run('backup-key', 'generate', '--public-out', 'other-public.pem', '--private-out', 'other.pem');
    const wrong = await run('backup', 'verify', '--file', backupFile, '--private-key', 'other.pem');
    expect(wrong.code).to.equal(4);
    expect(wrong.stderr).to.contain('wrong private key');
    expect((await run('backup', 'verify', '--file', backupFile, '--private-key', 'backup-public.pem')).code).to.equal(4);
    expect((await run('backup', 'verify', '--file', backupFile)).code).to.equal(2);
  });

  it('restores only when confirmed and only while Huiji is stopped', async () => {
    const unconfirmed = await run('backup', 'restore', '--file', backupFile, '--private-key', 'private.pem');
    expect(unconfirmed.code).to.equal(2);
    const config = JSON.parse(fs.readFileSync(env.HUIJI_CONFIG, 'utf8')) as { port: number };
    const server = await startServerProcess({ HUIJI_CONFIG: env.HUIJI_CONFIG, HUIJI_PORT: String(config.port) }, dir);
    try {
      await server.waitForReady();
      const running = await run('backup', 'restore', '--file', backupFile, '--private-key', 'private.pem', '--yes');
      expect(running.code, running.stderr).to.equal(5);
      expect(running.stderr).to.contain('stop it first');
    } finally {
      await server.stop();
    }
    const restored = await run('backup', 'restore', '--file', backupFile, '--private-key', 'private.pem', '--yes');
    expect(restored.code, restored.stderr).to.equal(0);
    expect(restored.stdout).to.contain('checksums equal the manifest');
  });
});
