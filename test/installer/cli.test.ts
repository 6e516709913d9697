import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { expect } from 'chai';
import { buildProgram } from '../../installer/src/cli.js';
import { freePort } from '../support/server-process.js';
import { ADMIN_URL, buildOnce, databaseExists, explain, modeOf, randomDbName, runInstaller, tempPrefix } from './installer-kit.js';

interface DoctorReport {
  ok: boolean;
  counts: Record<'ok' | 'info' | 'warn' | 'fail', number>;
  checks: Array<{ group: string; id: string; status: string; message: string; hint?: { zh: string; en: string } }>;
}

/** Runs `fn` with a server listening on 127.0.0.1:<port>, as another program would. */
async function withTakenPort<T>(fn: (port: number) => Promise<T>): Promise<T> {
  const sockets = new Set<net.Socket>();
  const blocker = net.createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  try {
    return await fn((blocker.address() as net.AddressInfo).port);
  } finally {
    // It never answers; the probes' connections are cut so close() can finish.
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => blocker.close(resolve));
  }
}

describe('huiji-installer command line', function () {
  this.timeout(60_000);
  const prefix = tempPrefix();
  before(buildOnce);
  after(() => fs.rmSync(prefix, { recursive: true, force: true }));

  it('prints --help for every command with the global options, exit 0', async () => {
    const names = buildProgram().commands.map((command) => command.name()).filter((name) => name !== 'help');
    expect(names).to.include.members(['doctor', 'install', 'upgrade', 'backup', 'verify-backup', 'restore', 'uninstall', 'backup-key', 'bundle']);
    const runs = await Promise.all([[], ...names.map((name) => [name]), ['backup-key', 'export']].map((args) => runInstaller([...args, '--help'])));
    for (const run of runs) {
      expect(run.code, explain(run)).to.equal(0);
      expect(run.stdout).to.contain('--prefix <dir>');
    }
    expect(runs[names.indexOf('install') + 1].stdout).to.contain('--db-admin-url <url>');
  });

  it('ends with 2 on an unknown flag or a bad value, saying which', async () => {
    const unknown = await runInstaller(['install', '--bogus']);
    expect(unknown.code, explain(unknown)).to.equal(2);
    expect(unknown.stderr).to.contain("unknown option '--bogus'");
    const badPort = await runInstaller(['doctor', '--port', '99999']);
    expect(badPort.code, explain(badPort)).to.equal(2);
    expect(badPort.stderr).to.contain('expected a port number from 1 to 65535');
  });

  it('ends with 2 naming the flag when --non-interactive lacks a required value', async () => {
    const install = await runInstaller(['install', '--non-interactive', '--prefix', prefix]);
    expect(install.code, explain(install)).to.equal(2);
    expect(install.stderr).to.contain('--db-admin-url is required');
    expect(fs.existsSync(path.join(prefix, 'opt'))).to.equal(false);
    const verify = await runInstaller(['verify-backup', '--non-interactive', '--prefix', prefix]);
    expect(verify.code, explain(verify)).to.equal(2);
    expect(verify.stderr).to.contain('--file is required');
    const restore = await runInstaller(['restore', '--non-interactive', '--prefix', prefix, '--file', 'x.hjbak', '--private-key', 'k.pem']);
    expect(restore.code, explain(restore)).to.equal(2);
    expect(restore.stderr).to.contain('not installed under');
  });

  it('reports every check as JSON with a zh-CN and en hint where one is due (doctor --json)', async () => {
    const port = await freePort();
    const run = await runInstaller(['doctor', '--json', '--prefix', prefix, '--db-admin-url', ADMIN_URL, '--port', String(port)]);
    expect(run.code, explain(run)).to.equal(0);
    const report = JSON.parse(run.stdout) as DoctorReport;
    expect(report.ok).to.equal(true);
    expect(Object.keys(report.counts)).to.have.members(['ok', 'info', 'warn', 'fail']);
    expect(report.counts.fail).to.equal(0);
    expect(report.checks.map((check) => check.id)).to.include.members(['os', 'node', 'memory', 'disk', 'write-access', 'private-key', 'database', 'clock', 'port', 'nginx', 'systemd']);
    for (const check of report.checks) {
      expect(check.group).to.be.oneOf(['system', 'files', 'database', 'network', 'services']);
      expect(check.status).to.be.oneOf(['ok', 'info', 'warn', 'fail']);
      expect(check.message).to.be.a('string').and.not.equal('');
      if (check.status === 'warn' || check.status === 'fail') expect(check.hint).to.have.keys('zh', 'en');
    }
    expect(report.checks.find((check) => check.id === 'database')!.message).to.match(/MariaDB|MySQL/);
    expect(report.checks.find((check) => check.id === 'port')!.message).to.equal(`port ${port} is free on 0.0.0.0`);
  });

  it('takes values from --answers, lets flags win, and refuses an unknown answer', async () => {
    const [fromFile, fromFlag] = [await freePort(), await freePort()];
    const answers = path.join(prefix, 'answers.json');
    fs.writeFileSync(answers, JSON.stringify({ 'db-admin-url': ADMIN_URL, port: fromFile }));
    const portOf = (stdout: string) => (JSON.parse(stdout) as DoctorReport).checks.find((check) => check.id === 'port')!.message;

    const viaFile = await runInstaller(['doctor', '--json', '--prefix', prefix, '--answers', answers]);
    expect(viaFile.code, explain(viaFile)).to.equal(0);
    expect(portOf(viaFile.stdout)).to.contain(`port ${fromFile} `);
    expect((JSON.parse(viaFile.stdout) as DoctorReport).checks.find((check) => check.id === 'database')!.status).to.equal('ok');

    const flagWins = await runInstaller(['doctor', '--json', '--prefix', prefix, '--answers', answers, '--port', String(fromFlag)]);
    expect(portOf(flagWins.stdout)).to.contain(`port ${fromFlag} `);

    fs.writeFileSync(answers, JSON.stringify({ dbAdminURL: ADMIN_URL }));
    const typo = await runInstaller(['doctor', '--prefix', prefix, '--answers', answers]);
    expect(typo.code, explain(typo)).to.equal(2);
    expect(typo.stderr).to.contain('"dbAdminURL" is not an option of doctor');
  });

  it('refuses a taken port with exit 5: doctor fails the check, install changes nothing', async () => {
    await withTakenPort(async (port) => {
      const doctor = await runInstaller(['doctor', '--json', '--prefix', prefix, '--port', String(port)]);
      expect(doctor.code, explain(doctor)).to.equal(5);
      const check = (JSON.parse(doctor.stdout) as DoctorReport).checks.find((c) => c.id === 'port')!;
      expect(check.status).to.equal('fail');
      expect(check.message).to.match(new RegExp(`^port ${port} on (0\\.0\\.0\\.0|127\\.0\\.0\\.1) is taken`));
      expect(check.hint!.zh).to.contain('--port');

      const dbName = randomDbName();
      const installPrefix = tempPrefix();
      try {
        const install = await runInstaller(['install', '--non-interactive', '--prefix', installPrefix, '--db-admin-url', ADMIN_URL, '--db-name', dbName, '--port', String(port), '--no-service']);
        expect(install.code, explain(install)).to.equal(5);
        expect(install.stderr).to.match(new RegExp(`port: port ${port} on \\S+ is taken`));
        expect(install.stdout).to.contain('✖ check this server (doctor)');
        expect(await databaseExists(dbName)).to.equal(false);
        // Only the installer's own log was written.
        expect(fs.readdirSync(installPrefix)).to.deep.equal(['var']);
      } finally {
        fs.rmSync(installPrefix, { recursive: true, force: true });
      }
    });
  });

  it('writes its log where --log-file says, mode 0600', async () => {
    const logFile = path.join(prefix, 'logs', 'doctor.log');
    const run = await runInstaller(['doctor', '--prefix', prefix, '--log-file', logFile, '--port', String(await freePort())]);
    expect(run.code, explain(run)).to.be.oneOf([0, 5]);
    expect(modeOf(logFile)).to.equal(0o600);
    expect(fs.readFileSync(logFile, 'utf8')).to.match(/\[check\] (ok|info|warn|fail) system\/node: /);
  });
});
