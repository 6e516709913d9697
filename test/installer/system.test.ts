import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import { maskedArgs, OptionValues } from '../../installer/src/context.js';
import { UsageError } from '../../installer/src/errors.js';
import { handOverPrivateKey } from '../../installer/src/install/backup-key.js';
import { Journal } from '../../installer/src/install/journal.js';
import type { InstallPlan } from '../../installer/src/install/plan.js';
import { startService } from '../../installer/src/install/service.js';
import { ensureServiceUser, makeDirectories } from '../../installer/src/install/system-setup.js';
import { LogFile } from '../../installer/src/log-file.js';
import { Redactor } from '../../installer/src/redact.js';
import { System } from '../../installer/src/system.js';
import { Ui } from '../../installer/src/ui.js';
import { modeOf, quietContext, tempPrefix } from './installer-kit.js';

describe('the system adapter', () => {
  const prefix = tempPrefix();
  after(() => fs.rmSync(prefix, { recursive: true, force: true }));

  it('records what a root install on a systemd server would run, and runs nothing in a dry run', async () => {
    const system = new System({ dryRun: true });
    // As on a server where neither the account nor the service exists yet.
    system.lookupUser = async () => null;
    system.query = async () => ({ code: 1, stdout: '', stderr: '' });
    const { ctx } = quietContext(prefix, system);
    const journal = new Journal();
    const user = await ensureServiceUser(ctx, journal);
    await makeDirectories(ctx, journal, user);
    await startService(ctx, journal, 8080);
    const changes = system.actions.filter((action) => action.changes).map((action) => action.summary);
    expect(changes).to.include('useradd --system --user-group --home-dir ' + path.join(prefix, 'var/lib/huiji') + ' --no-create-home --shell /usr/sbin/nologin huiji');
    expect(changes).to.include(`mkdir ${path.join(prefix, 'etc/huiji')} (0750 root:huiji)`);
    expect(changes).to.include(`mkdir ${path.join(prefix, 'var/lib/huiji')} (0750 huiji:huiji)`);
    expect(changes.slice(-3)).to.deep.equal(['systemctl daemon-reload', 'systemctl enable huiji', 'systemctl restart huiji']);
    expect(fs.readdirSync(prefix)).to.deep.equal([]);

    await journal.rollback(ctx.ui);
    const undone = system.actions.filter((action) => action.changes).map((action) => action.summary).slice(changes.length);
    expect(undone[0]).to.equal('systemctl disable --now huiji');
    expect(undone[undone.length - 1]).to.equal('userdel huiji');
  });

  it('writes files atomically with the mode asked for, whatever the umask, and returns what was there', async () => {
    const system = new System();
    const file = path.join(prefix, 'secret.json');
    const previousUmask = process.umask(0o000);
    try {
      expect((await system.writeFile(file, 'one', { mode: 0o600 })).previous).to.equal(null);
    } finally {
      process.umask(previousUmask);
    }
    expect(modeOf(file)).to.equal(0o600);
    expect(String((await system.writeFile(file, 'two', { mode: 0o600 })).previous)).to.equal('one');
    expect(fs.readdirSync(prefix).filter((name) => name.includes('.tmp-'))).to.deep.equal([]);
  });

  it('replaces a symlink in one step and says where it pointed', async () => {
    const system = new System();
    const link = path.join(prefix, 'current');
    expect((await system.symlink('releases/1', link)).previousTarget).to.equal(null);
    expect((await system.symlink('releases/2', link)).previousTarget).to.equal('releases/1');
    expect(fs.readlinkSync(link)).to.equal('releases/2');
  });

  it('shreds a private key: overwritten in place, then gone', async () => {
    const system = new System();
    const file = path.join(prefix, 'key.pem');
    fs.writeFileSync(file, 'PRIVATE', { mode: 0o600 });
    await system.shred(file);
    expect(fs.existsSync(file)).to.equal(false);
    expect(system.actions.at(-1)!.summary).to.equal(`shred -u ${file}`);
  });

  it('reports a missing program as exit 127 instead of throwing', async () => {
    expect((await new System().query('huiji-no-such-program', [])).code).to.equal(127);
  });
});

describe('the installer log', () => {
  const dir = tempPrefix();
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('hides registered secrets, URL passwords, password lines and private keys', () => {
    const redactor = new Redactor();
    redactor.add('generated-Secret-123');
    const text = [
      'owner uses generated-Secret-123',
      'HUIJI_DATABASE_URL=mysql://hjt_own:abc%2Fdef@127.0.0.1:3306/hjt',
      'admin password: Hx9-kk2LmPq',
      'HUIJI_BOOTSTRAP_ADMIN_PASSWORD=Install#Test2026 bin/huiji migrate',
      '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----',
    ].join('\n');
    const shown = redactor.apply(text);
    for (const secret of ['generated-Secret-123', 'abc%2Fdef', 'Hx9-kk2LmPq', 'Install#Test2026', 'MIIE']) expect(shown).to.not.contain(secret);
    expect(shown).to.contain('mysql://hjt_own:***@127.0.0.1:3306/hjt');
  });

  it('masks password flags on the logged command line', () => {
    expect(maskedArgs(['install', '--admin-password', 'Pw#123456789', '--db-name', 'x', '--admin-password=Other#123456'])).to.deep.equal([
      'install',
      '--admin-password',
      '***',
      '--db-name',
      'x',
      '--admin-password=***',
    ]);
  });

  it('is 0600 even when the file was readable before, and falls back when the first place cannot be written', () => {
    const existing = path.join(dir, 'installer.log');
    fs.writeFileSync(existing, '', { mode: 0o644 });
    const first = LogFile.open([existing], new Redactor());
    first.log!.close();
    expect(modeOf(existing)).to.equal(0o600);

    const blocked = path.join(dir, 'a-file');
    fs.writeFileSync(blocked, '');
    const fallback = path.join(dir, 'fallback.log');
    const second = LogFile.open([path.join(blocked, 'installer.log'), fallback], new Redactor());
    expect(second.log!.file).to.equal(fallback);
    expect(second.problems).to.have.length(1);
    second.log!.write('step', 'password: hunter22');
    second.log!.close();
    expect(fs.readFileSync(fallback, 'utf8')).to.match(/\[step\] password: \*\*\*\n$/);
  });
});

describe('values: flag, --answers, prompt, default', () => {
  /** A terminal session answering `answers`, one line per question. */
  function terminal(answers: string[], interactive = true) {
    const input = new PassThrough() as PassThrough & { isTTY?: boolean };
    const output = new PassThrough();
    let shown = '';
    output.on('data', (chunk: Buffer) => (shown += chunk.toString()));
    const ui = new Ui({ color: false, json: false, interactive, log: null, stdout: output, stdin: input as unknown as NodeJS.ReadStream });
    const feed = async () => {
      for (const answer of answers) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        input.write(`${answer}\n`);
      }
    };
    return { ui, feed, shown: () => shown };
  }

  it('asks for what is missing, offers defaults, and does not echo secrets', async () => {
    const session = terminal(['', 'Typed#Secret2026']);
    const values = new OptionValues({ port: 9000 }, session.ui);
    const feeding = session.feed();
    expect(await values.string('port', { flag: '--port', question: 'Port' })).to.equal('9000');
    expect(await values.string('dbName', { flag: '--db-name', question: 'Database name', defaultValue: 'huiji' })).to.equal('huiji');
    expect(await values.string('adminPassword', { flag: '--admin-password', question: 'Password', secret: true })).to.equal('Typed#Secret2026');
    await feeding;
    expect(session.shown()).to.contain('Database name [huiji]: ');
    expect(session.shown()).to.not.contain('Typed#Secret2026');
  });

  it('names the flag when a required value is missing and nobody can be asked', async () => {
    const values = new OptionValues({}, terminal([], false).ui);
    let error: Error | null = null;
    await values.requiredString('file', { flag: '--file', question: 'Backup file' }).catch((e: Error) => (error = e));
    expect(error).to.be.instanceOf(UsageError);
    expect(error!.message).to.equal('--file is required (non-interactive: nothing to ask on); give it as a flag or as "file" in --answers');
  });
});

describe('custody of a new backup private key', () => {
  const dir = tempPrefix();
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('interactively waits for Enter (the operator copies it), then overwrites and deletes it', async () => {
    const file = path.join(dir, 'huiji-backup-private-0123abcd.pem');
    fs.writeFileSync(file, 'PRIVATE KEY', { mode: 0o600 });
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (chunk: Buffer) => (shown += chunk.toString()));
    const ui = new Ui({ color: false, json: false, interactive: true, log: null, stdout: output, stdin: input as unknown as NodeJS.ReadStream });
    const { ctx } = quietContext(dir);
    const handing = handOverPrivateKey({ ...ctx, ui }, { privateKeyOut: null, keepPrivateKey: false } as InstallPlan, { fingerprint: '0123abcd'.repeat(4), privateKeyFile: file });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fs.existsSync(file), 'deleted before Enter').to.equal(true);
    input.write('\n');
    expect(await handing).to.equal('deleted');
    expect(fs.existsSync(file)).to.equal(false);
    expect(shown).to.contain('Without this key NO backup can ever be read');
    expect(shown).to.contain('0123 abcd 0123 abcd');
  });

  it('keeps it when no terminal can confirm a copy was taken, and says how to remove it', async () => {
    const file = path.join(dir, 'huiji-backup-private-4567abcd.pem');
    fs.writeFileSync(file, 'PRIVATE KEY', { mode: 0o600 });
    const { ctx, output } = quietContext(dir);
    const kept = await handOverPrivateKey(ctx, { privateKeyOut: null, keepPrivateKey: false } as InstallPlan, { fingerprint: '4567abcd'.repeat(4), privateKeyFile: file });
    expect(kept).to.equal('kept');
    expect(fs.existsSync(file)).to.equal(true);
    expect(output()).to.contain(`shred -u ${file}`);
  });
});
