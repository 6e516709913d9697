import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { backupCreateJob } from '../../server/src/modules/backup/index.js';
import { dailySchedule } from '../../server/src/modules/backup/jobs/create.job.js';
import { backupFileName, keyFileOf, keyFingerprint, verificationFileOf, verifyBackup } from '../../server/src/platform/backup/index.js';
import { EncryptStream } from '../../server/src/platform/backup/container.js';
import type { JobRun } from '../../server/src/platform/jobs/job-spec.js';
import { VERSION } from '../../server/src/platform/paths.js';
import { zonedClock } from '../../server/src/platform/time/zoned-clock.js';
import { seedAccessFixture, type AccessFixture } from '../support/access.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { MYSQL_ADMIN_URL, TEST_DIALECT } from '../support/database.js';
import { succeededTask } from '../support/tasks.js';

interface Item {
  name: string;
  bytes: number;
  createdAt: string;
  huijiVersion: string | null;
  dialect: string | null;
  keyFingerprint: string | null;
  hasKeyFile: boolean;
  copied: boolean | null;
  verification: { state: string; at: string | null; detail: string | null };
}

interface Overview {
  settings: {
    dir: string;
    freeBytes: number | null;
    copyTo: { dir: string; reachable: boolean; error: string | null } | null;
    time: string;
    timezone: string;
    nextRunAt: string | null;
    publicKey: { file: string; status: string; fingerprint: string | null; error: string | null };
    [key: string]: unknown;
  };
  running: { state: string; taskId: number | null; [key: string]: unknown } | null;
  items: Item[];
}

const DAY = 86_400_000;

/**
 * The IT page's backups: the list and settings, a backup started as a task (one at a
 * time), what is known of each file (verified, whole, damaged), the missing-key refusal,
 * and the run the schedule makes: copy to the second directory, then retention in both.
 */
describe(`backups: list, start, copy and retention (${TEST_DIALECT})`, function () {
  this.timeout(180_000);
  let test: TestApp;
  let f: AccessFixture;
  let work: string;
  let keyFile: string;
  let copyDir: string;
  let backupDir: string;
  let first: Item;
  const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', {
    modulusLength: 3072,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const fingerprint = keyFingerprint(publicKey);
  const as = (who: keyof AccessFixture['tokens']) => ({ Authorization: `Bearer ${f.tokens[who]}` });
  const overview = async (who: keyof AccessFixture['tokens'] = 'itops1') => {
    const res = await test.http().get('/api/v1/system/backups').set(as(who));
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body as Overview;
  };
  const item = async (name: string) => (await overview()).items.find((i) => i.name === name)!;
  /** The list once no backup runs: a task reads succeeded a moment before the job store records the run's end. */
  const settled = async () => {
    let body = await overview();
    for (const until = Date.now() + 30_000; body.running && Date.now() < until; ) {
      await sleep(100);
      body = await overview();
    }
    expect(body.running, 'a backup still running').to.equal(null);
    return body;
  };

  /** A structurally whole backup with an old date, as an earlier day's run would have left it. */
  async function oldBackup(dir: string, createdAt: Date): Promise<string> {
    const file = path.join(dir, backupFileName(createdAt));
    const header = { kind: 'backup' as const, createdAt: createdAt.toISOString(), huijiVersion: '0.0.9', schemaVersion: 'old', dialect: TEST_DIALECT, host: 'old-host' };
    await pipeline(Readable.from([crypto.randomBytes(5000)]), new EncryptStream(publicKey, header), fs.createWriteStream(file, { mode: 0o600 }));
    fs.writeFileSync(keyFileOf(file), 'key file');
    fs.writeFileSync(verificationFileOf(file), JSON.stringify({ verifiedAt: new Date().toISOString(), ok: true }));
    return path.basename(file);
  }

  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'huiji-backups-'));
    keyFile = path.join(work, 'backup-public.pem');
    fs.writeFileSync(keyFile, publicKey);
    copyDir = path.join(work, 'nas');
    fs.mkdirSync(copyDir);
    // The runner starts later: the first test needs a backup that stays queued.
    test = await startTestApp({
      jobs: 'schedule',
      env: {
        HUIJI_BACKUP_PUBLIC_KEY_FILE: keyFile,
        HUIJI_BACKUP_COPY_TO: copyDir,
        HUIJI_BACKUP_KEEP_DAILY: '2',
        HUIJI_BACKUP_KEEP_WEEKLY: '1',
        HUIJI_BACKUP_KEEP_MONTHLY: '1',
      },
    });
    backupDir = test.ctx.config.backup.dir;
    f = await seedAccessFixture(test);
  });
  after(async () => {
    await test.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('lists no backups before the first, with the settings they will be made under', async () => {
    const body = await overview();
    expect(body.items).to.deep.equal([]);
    expect(body.running).to.equal(null);
    expect(body.settings).to.deep.include({ dir: backupDir, time: '03:30', timezone: 'Asia/Shanghai', scheduleDisabled: false, lastFailure: null });
    expect(body.settings.copyTo).to.deep.equal({ dir: copyDir, reachable: true, error: null });
    expect(body.settings.retention).to.deep.equal({ keepDaily: 2, keepWeekly: 1, keepMonthly: 1 });
    expect(body.settings.publicKey).to.deep.equal({ file: keyFile, status: 'ok', fingerprint, error: null });
    expect(body.settings.freeBytes).to.be.a('number').above(0);
    // The daily run is scheduled at 03:30 on the business clock, within the next day.
    const next = new Date(body.settings.nextRunAt!);
    const clock = zonedClock('Asia/Shanghai')(next);
    expect(`${clock.hour}:${clock.minute}`).to.equal('03:30');
    expect(next.getTime() - Date.now()).to.be.within(0, DAY);
    expect(dailySchedule('03:30')).to.equal('30 3 * * *');
    expect(dailySchedule('off')).to.equal('');
  });

  it('lets IT operations look and start, and refuses cashiers, managers and auditors', async () => {
    for (const who of ['cashier1', 'manager1', 'auditor1'] as const) {
      const list = await test.http().get('/api/v1/system/backups').set(as(who));
      expect([list.status, list.body.error?.code], who).to.deep.equal([403, 'FORBIDDEN']);
      const start = await test.http().post('/api/v1/system/backups').set(as(who));
      expect([start.status, start.body.error?.code], who).to.deep.equal([403, 'FORBIDDEN']);
    }
    expect((await test.http().get('/api/v1/system/backups').set(as('root'))).status).to.equal(200);
  });

  it('starts a backup as a task, refuses a second while it waits, and lists the file once it is whole', async () => {
    const started = await test.http().post('/api/v1/system/backups').set(as('itops1'));
    expect(started.status, JSON.stringify(started.body)).to.equal(202);
    expect(started.body.task).to.include({ jobName: 'backup.create', status: 'queued' });
    const taskId = started.body.task.id as number;

    const again = await test.http().post('/api/v1/system/backups').set(as('root'));
    expect([again.status, again.body.error?.code]).to.deep.equal([409, 'BACKUP_ALREADY_RUNNING']);
    const waiting = await overview();
    expect(waiting.running).to.deep.include({ state: 'queued', taskId, scheduled: false, startedAt: null });

    await test.ctx.jobRunner.start();
    const task = await succeededTask(test, f.tokens.itops1, taskId, 120_000);
    expect(task.progress).to.equal(100);
    expect(task.summary).to.include({ copied: true, removed: 0 });
    expect(task.summary.file).to.match(/^huiji-\d{8}-\d{6}\.hjbak$/);

    const body = await settled();
    expect(body.items).to.have.length(1);
    first = body.items[0];
    const file = path.join(backupDir, first.name);
    expect(first).to.deep.include({ name: task.summary.file, bytes: fs.statSync(file).size, huijiVersion: VERSION, dialect: TEST_DIALECT, keyFingerprint: fingerprint, hasKeyFile: true, copied: true });
    expect(first.verification).to.deep.equal({ state: 'structure_ok', at: null, detail: null });
    expect(Date.now() - new Date(first.createdAt).getTime()).to.be.within(0, 120_000);
    expect(fs.statSync(file).mode & 0o777).to.equal(0o600);
    expect(fs.readdirSync(copyDir).sort()).to.deep.equal([first.name, first.name.replace(/\.hjbak$/, '.hjkey')]);
    expect(fs.readFileSync(path.join(copyDir, first.name)).equals(fs.readFileSync(file))).to.equal(true);

    const audits = await test.ctx.models.audit.AuditLog.findAll({ where: { entityType: 'backup' }, order: [['id', 'ASC']] });
    expect(audits.map((a) => [a.action, a.actorType, a.actorName])).to.deep.equal([
      ['backup.start', 'user', 'itops1'],
      ['backup.create', 'system', 'backup.create'],
    ]);
  });

  it('shows the verification a verify with the private key recorded, and ignores a record older than the file', async () => {
    const file = path.join(backupDir, first.name);
    const report = await verifyBackup({ file, privateKeyPem: privateKey, scratchUrl: TEST_DIALECT === 'mysql' ? MYSQL_ADMIN_URL : undefined });
    expect(report.ok, JSON.stringify(report)).to.equal(true);
    const verified = (await item(first.name)).verification;
    expect(verified.state).to.equal('verified');
    expect(Date.now() - new Date(verified.at!).getTime()).to.be.within(0, 60_000);

    fs.writeFileSync(verificationFileOf(file), JSON.stringify({ verifiedAt: new Date().toISOString(), ok: false, error: 'table members: checksum differs' }));
    expect((await item(first.name)).verification).to.deep.include({ state: 'failed', detail: 'table members: checksum differs' });

    const before = new Date(fs.statSync(file).mtimeMs - 60_000).toISOString();
    fs.writeFileSync(verificationFileOf(file), JSON.stringify({ verifiedAt: before, ok: true }));
    expect((await item(first.name)).verification.state).to.equal('structure_ok');
  });

  it('marks a cut file and a file with a changed header as damaged, and ignores files still being written', async () => {
    const source = fs.readFileSync(path.join(backupDir, first.name));
    fs.writeFileSync(path.join(backupDir, 'huiji-cut.hjbak'), source.subarray(0, source.length - 100));
    const flipped = Buffer.from(source);
    flipped[20] ^= 0x01;
    fs.writeFileSync(path.join(backupDir, 'huiji-flipped.hjbak'), flipped);
    fs.writeFileSync(path.join(backupDir, 'huiji-20991231-000000.hjbak.partial'), source.subarray(0, 1000));

    const { items } = await overview();
    expect(items.map((i) => i.name).sort()).to.deep.equal([first.name, 'huiji-cut.hjbak', 'huiji-flipped.hjbak'].sort());
    const cut = items.find((i) => i.name === 'huiji-cut.hjbak')!;
    expect(cut).to.deep.include({ hasKeyFile: false, copied: false, dialect: TEST_DIALECT });
    expect(cut.verification.state).to.equal('damaged');
    expect(cut.verification.detail).to.match(/truncated/);
    const changed = items.find((i) => i.name === 'huiji-flipped.hjbak')!;
    expect(changed).to.deep.include({ dialect: null, huijiVersion: null, keyFingerprint: null });
    expect(changed.verification.state).to.equal('damaged');
    expect(changed.verification.detail).to.match(/header is damaged/);
    fs.rmSync(path.join(backupDir, 'huiji-20991231-000000.hjbak.partial'));
  });

  it('refuses to start without a usable public key and says how to make one, while the list still works', async () => {
    fs.renameSync(keyFile, `${keyFile}.away`);
    try {
      const refused = await test.http().post('/api/v1/system/backups').set(as('itops1'));
      expect([refused.status, refused.body.error?.code]).to.deep.equal([409, 'BACKUP_KEY_MISSING']);
      expect(refused.body.error.message).to.include(keyFile).and.include('huiji-installer install').and.include('bin/huiji backup-key generate');
      const english = await test.http().post('/api/v1/system/backups').set(as('itops1')).set('Accept-Language', 'en');
      expect(english.body.error.message).to.match(/^No backup public key at /);
      const body = await overview();
      expect(body.settings.publicKey).to.deep.equal({ file: keyFile, status: 'missing', fingerprint: null, error: null });
      expect(body.items).to.have.length(3);

      // The private key must never be what the server holds.
      fs.writeFileSync(keyFile, privateKey);
      const wrongHalf = await test.http().post('/api/v1/system/backups').set(as('itops1'));
      expect([wrongHalf.status, wrongHalf.body.error?.code]).to.deep.equal([409, 'BACKUP_KEY_INVALID']);
      expect((await overview()).settings.publicKey).to.deep.include({ status: 'invalid', fingerprint: null });
    } finally {
      fs.renameSync(`${keyFile}.away`, keyFile);
    }
    const tasks = await test.http().get('/api/v1/tasks').query({ jobName: 'backup.create' }).set(as('itops1'));
    expect(tasks.body.items).to.have.length(1);
  });

  it('runs on schedule: copies, then keeps by the retention rules in both directories, leaving damaged files alone', async () => {
    const now = Date.now();
    const dayAgo = await oldBackup(backupDir, new Date(now - DAY));
    const older = [await oldBackup(backupDir, new Date(now - 2 * DAY)), await oldBackup(backupDir, new Date(now - 3 * DAY)), await oldBackup(backupDir, new Date(now - 40 * DAY))];
    const copyDayAgo = await oldBackup(copyDir, new Date(now - DAY - 60_000));
    const copyOlder = await oldBackup(copyDir, new Date(now - 5 * DAY));

    // The Jobs page's "run now" is the schedule's own run: no task, no user.
    const run = await test.http().post('/api/v1/jobs/backup.create/run').set(as('itops1'));
    expect(run.status, JSON.stringify(run.body)).to.equal(202);
    const made = (items: Item[]) => items.some((i) => i.huijiVersion === VERSION && i.name !== first.name);
    let body = await overview();
    for (const until = Date.now() + 120_000; Date.now() < until && (body.running || !made(body.items)); ) {
      await sleep(200);
      body = await overview();
    }
    expect(body.running).to.equal(null);
    expect(made(body.items), JSON.stringify(body)).to.equal(true);

    // Kept: today's newest (the new one; the first backup, also today, goes) and yesterday's.
    const newest = body.items[0];
    expect(newest.name).to.not.equal(first.name);
    expect(newest).to.deep.include({ copied: true, hasKeyFile: true });
    const names = (dir: string) => fs.readdirSync(dir).sort();
    const withSidecars = (name: string, verify = true) => [name, name.replace(/\.hjbak$/, '.hjkey'), ...(verify ? [`${name}.verify.json`] : [])];
    expect(names(backupDir)).to.deep.equal([...withSidecars(newest.name, false), ...withSidecars(dayAgo), 'huiji-cut.hjbak', 'huiji-flipped.hjbak'].sort());
    expect(names(copyDir)).to.deep.equal([...withSidecars(newest.name, false), ...withSidecars(copyDayAgo)].sort());
    for (const gone of [first.name, ...older]) expect(fs.existsSync(path.join(backupDir, gone)), gone).to.equal(false);
    expect(fs.existsSync(path.join(copyDir, copyOlder))).to.equal(false);

    const retention = await test.ctx.models.audit.AuditLog.findAll({ where: { action: 'backup.retention' }, order: [['id', 'ASC']] });
    expect(retention.map((a) => [a.actorType, (JSON.parse(a.diff as string) as { removed: string[] }).removed.sort()])).to.deep.equal([
      ['system', [first.name, ...older].sort()],
      ['system', [first.name, copyOlder].sort()],
    ]);
  });

  it('reports a copy that failed (the NAS is not mounted) without failing the backup or creating the directory', async () => {
    const unmounted = `${copyDir}.unmounted`;
    fs.renameSync(copyDir, unmounted);
    try {
      const started = await test.http().post('/api/v1/system/backups').set(as('root'));
      expect(started.status, JSON.stringify(started.body)).to.equal(202);
      const task = await succeededTask(test, f.tokens.root, started.body.task.id as number, 120_000);
      expect(task.summary).to.include({ copied: false });
      expect(task.summary.copyError).to.equal(`${copyDir} does not exist (is the NAS mounted?)`);
      expect(task.message).to.include('复制到副本目录失败');
      expect(fs.existsSync(copyDir)).to.equal(false);
      const body = await settled();
      expect(body.settings.copyTo).to.deep.equal({ dir: copyDir, reachable: false, error: `${copyDir} does not exist (is the NAS mounted?)` });
      expect(body.items.find((i) => i.name === task.summary.file)).to.deep.include({ copied: false, hasKeyFile: true });
    } finally {
      fs.renameSync(unmounted, copyDir);
    }
  });

  it('skips a leftover scheduled run when the daily backup is off', async () => {
    const before = fs.readdirSync(backupDir).length;
    const config = { ...test.ctx.config, backup: { ...test.ctx.config.backup, time: 'off' } };
    const run = { id: 'leftover', name: 'backup.create', data: undefined, attempt: 1, taskId: null, logger: test.ctx.logger, progress: async () => undefined, outputDir: () => work } as JobRun<unknown>;
    const result = await backupCreateJob.handler(run, { services: test.ctx.services, config });
    expect(result).to.deep.equal({ summary: { skipped: 'backup.time is off' } });
    expect(fs.readdirSync(backupDir)).to.have.length(before);
  });
});
