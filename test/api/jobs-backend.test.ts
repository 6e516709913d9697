// The behaviours of agenda's shared backend suite (packages/agenda/test/shared in the agenda
// repository: repository, debounce, job logger, processing), as mocha tests against
// SequelizeBackend. agenda's own suite ships as vitest sources outside the npm package, so
// it cannot be run here directly.
import { Agenda, type JobParameters } from 'agenda';
import { expect } from 'chai';
import type { Sequelize } from 'sequelize';
import { createSequelize } from '../../server/src/platform/db/connect.js';
import { runMigrations } from '../../server/src/platform/db/migrate.js';
import { withTransaction } from '../../server/src/platform/db/transaction.js';
import { SequelizeBackend } from '../../server/src/platform/jobs/sequelize-backend.js';
import type { SequelizeJobRepository } from '../../server/src/platform/jobs/sequelize-job-repository.js';
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from '../support/database.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const job = (overrides: Partial<JobParameters> = {}): JobParameters => ({
  name: 'test-job',
  priority: 0,
  nextRunAt: new Date(),
  type: 'normal',
  data: {},
  ...overrides,
});
const ago = (ms: number) => new Date(Date.now() - ms);
const ahead = (ms: number) => new Date(Date.now() + ms);

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await sleep(20);
  }
}

describe(`SequelizeBackend for agenda (${TEST_DIALECT})`, function () {
  this.timeout(30_000);
  let db: TestDatabase;
  let sequelize: Sequelize;
  let backend: SequelizeBackend;
  let repo: SequelizeJobRepository;

  before(async () => {
    db = await createTestDatabase();
    sequelize = createSequelize({ url: db.url });
    await runMigrations(sequelize);
    backend = new SequelizeBackend({ sequelize });
    repo = backend.repository;
    await backend.connect();
  });
  after(async () => {
    await backend.logger.flush();
    await sequelize.close();
    await db.drop();
  });
  beforeEach(async () => {
    await repo.purgeAllJobs();
    await backend.logger.clearLogs();
  });

  describe('saveJob', () => {
    it('inserts a job, assigns an id and keeps data, dates and flags', async () => {
      const nextRunAt = new Date('2030-01-02T03:04:05.678Z');
      const saved = await repo.saveJob(job({ priority: 10, nextRunAt, data: { foo: 'bar', n: [1, 2] }, disabled: true }), undefined);
      expect(saved._id).to.match(/^\d+$/);
      const read = await repo.getJobById(saved._id as string);
      expect(read).to.include({ name: 'test-job', priority: 10, type: 'normal', disabled: true });
      expect(read?.data).to.deep.equal({ foo: 'bar', n: [1, 2] });
      expect(read?.nextRunAt?.toISOString()).to.equal('2030-01-02T03:04:05.678Z');
    });

    it('updates an existing job by id and returns a removed job unchanged', async () => {
      const saved = await repo.saveJob(job({ priority: 5, data: { version: 1 } }), undefined);
      const updated = await repo.saveJob({ ...saved, priority: 20, data: { version: 2 } }, undefined);
      expect(updated._id).to.equal(saved._id);
      expect(updated).to.include({ priority: 20 });
      expect(updated.data).to.deep.equal({ version: 2 });
      await repo.removeJobs({ id: saved._id });
      const gone = { ...saved, priority: 30 };
      expect(await repo.saveJob(gone, undefined)).to.equal(gone);
    });

    it('keeps one "single" job per name and protects its scheduled time from a re-save with "now"', async () => {
      const later = ahead(60_000);
      const first = await repo.saveJob(job({ name: 'single-job', type: 'single', nextRunAt: later, data: { run: 1 } }), undefined);
      const second = await repo.saveJob(job({ name: 'single-job', type: 'single', priority: 10, nextRunAt: new Date(), data: { run: 2 } }), undefined);
      expect(second._id).to.equal(first._id);
      expect(second.priority).to.equal(10);
      expect(second.data).to.deep.equal({ run: 2 });
      expect(second.nextRunAt?.getTime()).to.equal(later.getTime());
      const moved = await repo.saveJob(job({ name: 'single-job', type: 'single', nextRunAt: ahead(120_000) }), undefined);
      expect(moved.nextRunAt!.getTime()).to.be.above(later.getTime());
      expect((await repo.queryJobs({ name: 'single-job' })).total).to.equal(1);
    });

    it('upserts on a unique query, or only inserts with insertOnly', async () => {
      const a = await repo.saveJob(job({ name: 'u', data: { userId: 7, v: 1 }, unique: { 'data.userId': 7 } }), undefined);
      const b = await repo.saveJob(job({ name: 'u', data: { userId: 7, v: 2 }, unique: { 'data.userId': 7 } }), undefined);
      const c = await repo.saveJob(job({ name: 'u', data: { userId: 8, v: 1 }, unique: { 'data.userId': 8 } }), undefined);
      expect(b._id).to.equal(a._id);
      expect(b.data).to.deep.equal({ userId: 7, v: 2 });
      expect(c._id).to.not.equal(a._id);
      const d = await repo.saveJob(
        job({ name: 'u', data: { userId: 7, v: 3 }, unique: { 'data.userId': 7 }, uniqueOpts: { insertOnly: true } }),
        undefined,
      );
      expect(d._id).to.equal(a._id);
      expect(d.data).to.deep.equal({ userId: 7, v: 2 });
      expect((await repo.queryJobs({ name: 'u' })).total).to.equal(2);
    });

    it('creates a unique job once when many saves race for it', async () => {
      const saves = Array.from({ length: 10 }, (_, i) =>
        repo.saveJob(job({ name: 'race', data: { key: 'k', i }, unique: { 'data.key': 'k' } }), undefined),
      );
      const saved = await Promise.all(saves);
      expect(new Set(saved.map((s) => s._id)).size).to.equal(1);
      expect((await repo.queryJobs({ name: 'race' })).total).to.equal(1);
    });

    it('joins the caller\'s transaction: a job scheduled in a rolled-back transaction does not exist', async () => {
      const failed = withTransaction(sequelize, async () => {
        await repo.saveJob(job({ name: 'in-tx' }), undefined);
        throw new Error('rollback');
      });
      expect(await failed.then(() => 'committed', (error: Error) => error.message)).to.equal('rollback');
      await withTransaction(sequelize, () => repo.saveJob(job({ name: 'in-tx-ok' }), undefined));
      expect(await repo.getDistinctJobNames()).to.deep.equal(['in-tx-ok']);
    });
  });

  describe('queries', () => {
    beforeEach(async () => {
      await repo.saveJob(job({ name: 'job-a', priority: 10, nextRunAt: ahead(60_000), data: { type: 'alpha', count: 1 } }), undefined);
      await repo.saveJob(job({ name: 'job-b', priority: 5, nextRunAt: ahead(120_000), data: { type: 'beta', count: 2 } }), undefined);
      await repo.saveJob(job({ name: 'job-a', priority: 15, nextRunAt: ahead(180_000), data: { type: 'alpha', count: 3 } }), undefined);
    });

    it('filters by name, names, search, data, state and disabled, and pages after counting', async () => {
      expect((await repo.queryJobs()).total).to.equal(3);
      expect((await repo.queryJobs({ name: 'job-a' })).jobs.map((j) => j.name)).to.deep.equal(['job-a', 'job-a']);
      expect((await repo.queryJobs({ names: ['job-a', 'job-b'] })).total).to.equal(3);
      expect((await repo.queryJobs({ search: 'zzz' })).total).to.equal(0);
      expect((await repo.queryJobs({ search: '-b' })).total).to.equal(1);
      expect((await repo.queryJobs({ search: 'job' })).total).to.equal(3);
      expect((await repo.queryJobs({ data: { type: 'alpha' } })).total).to.equal(2);
      expect((await repo.queryJobs({ state: 'scheduled' })).total).to.equal(3);
      const page = await repo.queryJobs({ skip: 1, limit: 1, sort: { nextRunAt: 'asc' } });
      expect(page.total).to.equal(3);
      expect(page.jobs.map((j) => j.priority)).to.deep.equal([5]);
      await repo.saveJob(job({ name: 'disabled-job', disabled: true }), undefined);
      expect((await repo.queryJobs({ includeDisabled: false })).total).to.equal(3);
      expect((await repo.queryJobs({ state: 'paused' })).total).to.equal(1);
    });

    it('lists distinct names, counts the due queue and gives an overview per name', async () => {
      await repo.saveJob(job({ name: 'job-b', nextRunAt: ago(1000) }), undefined);
      await repo.saveJob(job({ name: 'job-b', nextRunAt: null, lastFinishedAt: new Date() }), undefined);
      expect(await repo.getDistinctJobNames()).to.deep.equal(['job-a', 'job-b']);
      expect(await repo.getQueueSize()).to.equal(1);
      const overview = await repo.getJobsOverview();
      expect(overview.find((o) => o.name === 'job-b')).to.include({ total: 3, scheduled: 1, queued: 1, completed: 1 });
    });

    it('removes, disables and enables by id, ids, name, names, notNames and data', async () => {
      const { jobs } = await repo.queryJobs({ name: 'job-a' });
      expect(await repo.disableJobs({ name: 'job-a' })).to.equal(2);
      expect((await repo.queryJobs({ includeDisabled: false })).total).to.equal(1);
      expect(await repo.enableJobs({ ids: jobs.map((j) => j._id) })).to.equal(2);
      expect(await repo.removeJobs({ data: { count: 3 } })).to.equal(1);
      expect(await repo.removeJobs({ notNames: ['job-a'] })).to.equal(1);
      expect(await repo.removeJobs({ name: 'nope' })).to.equal(0);
      expect(await repo.removeJobs({})).to.equal(0);
      expect(await repo.removeJobs({ id: 'not-an-id' })).to.equal(0);
      expect(await repo.getJobById('not-an-id')).to.equal(null);
      expect(await repo.removeJobs({ names: ['job-a'] })).to.equal(1);
    });
  });

  describe('locking', () => {
    const scan = (name: string, lockLifetime = 600_000) => repo.getNextJobToRun(name, ahead(5000), ago(lockLifetime), new Date(), { lastModifiedBy: 'node-1' });

    it('locks a job once; a second lock with the same parameters fails', async () => {
      const saved = await repo.saveJob(job({ nextRunAt: ago(1000) }), undefined);
      const locked = await repo.lockJob(saved, undefined);
      expect(locked?._id).to.equal(saved._id);
      expect(locked?.lockedAt).to.be.instanceOf(Date);
      expect(await repo.lockJob(saved, undefined)).to.equal(undefined);
    });

    it('unlocks one job, or many by id, leaving finished jobs alone', async () => {
      const a = await repo.saveJob(job({ nextRunAt: ago(1000) }), undefined);
      const b = await repo.saveJob(job({ nextRunAt: ago(1000) }), undefined);
      await repo.lockJob(a, undefined);
      await repo.lockJob(b, undefined);
      await repo.unlockJob(a);
      expect((await repo.getJobById(a._id as string))?.lockedAt).to.equal(undefined);
      await repo.unlockJobs([b._id as string]);
      expect((await repo.getJobById(b._id as string))?.lockedAt).to.equal(undefined);
    });

    it('hands out the earliest due job, highest priority first, and never a disabled or future one', async () => {
      const due = ago(60_000);
      await repo.saveJob(job({ name: 'p', priority: 5, nextRunAt: due, data: { priority: 'low' } }), undefined);
      await repo.saveJob(job({ name: 'p', priority: 10, nextRunAt: due, data: { priority: 'high' } }), undefined);
      await repo.saveJob(job({ name: 'p', nextRunAt: ago(1000), disabled: true }), undefined);
      await repo.saveJob(job({ name: 'p', nextRunAt: ahead(60_000) }), undefined);
      const first = await scan('p');
      expect(first?.data).to.deep.equal({ priority: 'high' });
      expect(first?.lastModifiedBy).to.equal('node-1');
      expect((await scan('p'))?.data).to.deep.equal({ priority: 'low' });
      expect(await scan('p')).to.equal(undefined);
    });

    it('hands a job whose lock outlived its lifetime to another node (a crashed worker)', async () => {
      await repo.saveJob(job({ name: 'crash', nextRunAt: ago(1000) }), undefined);
      const taken = await scan('crash', 200);
      expect(taken).to.not.equal(undefined);
      expect(await scan('crash', 200)).to.equal(undefined);
      await sleep(300);
      const retaken = await scan('crash', 200);
      expect(retaken?._id).to.equal(taken?._id);
    });

    it('never hands the same job to two concurrent scanners', async () => {
      for (let i = 0; i < 30; i++) await repo.saveJob(job({ name: 'many', nextRunAt: ago(1000), data: { i } }), undefined);
      const claims = await Promise.all(Array.from({ length: 40 }, () => scan('many')));
      const ids = claims.filter((c) => c !== undefined).map((c) => c!._id);
      expect(ids).to.have.length(30);
      expect(new Set(ids).size).to.equal(30);
    });

    it('saves the processor state and clears the lock', async () => {
      const saved = await repo.saveJob(job({ nextRunAt: ago(1000) }), undefined);
      const locked = (await repo.lockJob(saved, undefined))!;
      const now = new Date();
      await repo.saveJobState({ ...locked, lockedAt: undefined, lastRunAt: now, lastFinishedAt: now, progress: 50, failCount: 1, failReason: 'Test error', failedAt: now }, undefined);
      const read = (await repo.getJobById(saved._id as string))!;
      expect(read).to.include({ progress: 50, failCount: 1, failReason: 'Test error' });
      expect(read.lockedAt).to.equal(undefined);
      expect(read.lastFinishedAt?.getTime()).to.equal(now.getTime());
      await repo.removeJobs({ id: saved._id });
      let error: unknown;
      await repo.saveJobState(read, undefined).catch((e: unknown) => (error = e));
      expect(String(error)).to.match(/cannot be updated/);
    });
  });

  describe('with Agenda', () => {
    let agenda: Agenda;
    beforeEach(() => {
      agenda = new Agenda({ backend, processEvery: 50, logging: true });
    });
    afterEach(() => agenda.stop());

    it('runs a one-off job once, records its run and logs its events', async () => {
      let runs = 0;
      agenda.define('hello', async () => {
        runs++;
      });
      await agenda.start();
      const scheduled = await agenda.now('hello', { to: '会籍' });
      await until(async () => (await agenda.getLogs({ jobId: String(scheduled.attrs._id), event: 'complete' })).total === 1);
      await sleep(150);
      expect(runs).to.equal(1);
      const stored = (await repo.getJobById(String(scheduled.attrs._id)))!;
      expect(stored.nextRunAt).to.equal(null);
      expect(stored.lastFinishedAt).to.be.instanceOf(Date);
      expect(stored.lockedAt).to.equal(undefined);
      const { entries, total } = await agenda.getLogs({ jobName: 'hello', sort: 'asc' });
      expect(entries.map((e) => e.event)).to.include.members(['start', 'success', 'complete']);
      expect(total).to.equal(entries.length);
      expect(entries[0].timestamp).to.be.instanceOf(Date);
    });

    it('retries a failing job with backoff and records the failure', async () => {
      let attempts = 0;
      agenda.define(
        'flaky',
        async () => {
          attempts++;
          if (attempts < 3) throw new Error(`boom ${attempts}`);
        },
        { backoff: (context) => (context.attempt <= 5 ? 50 : null) },
      );
      await agenda.start();
      const scheduled = await agenda.now('flaky');
      await until(() => attempts === 3);
      await until(async () => (await repo.getJobById(String(scheduled.attrs._id)))?.lastFinishedAt !== undefined && attempts === 3);
      const fails = await agenda.getLogs({ jobName: 'flaky', event: 'fail' });
      expect(fails.total).to.equal(2);
      expect(fails.entries[0].error).to.match(/boom/);
      expect((await agenda.getLogs({ jobName: 'flaky', event: ['retry'] })).total).to.equal(2);
    });

    it('repeats an `every` job and keeps a single row for it', async () => {
      let runs = 0;
      agenda.define('tick', async () => {
        runs++;
      });
      await agenda.start();
      await agenda.every(200, 'tick');
      await agenda.every(200, 'tick');
      await until(() => runs >= 2, 5000);
      const { jobs } = await repo.queryJobs({ name: 'tick' });
      expect(jobs).to.have.length(1);
      expect(jobs[0]).to.include({ type: 'single', repeatInterval: 200 });
    });

    it('debounces (trailing): saves push the run back and it runs once with the latest data', async () => {
      const seen: unknown[] = [];
      agenda.define('debounced', async (j) => {
        seen.push(j.attrs.data);
      });
      const save = (value: number) => agenda.create('debounced', { key: 'k', value }).unique({ 'data.key': 'k' }).debounce(300).save();
      const first = await save(1);
      await sleep(100);
      const second = await save(2);
      expect(second.attrs._id).to.equal(first.attrs._id);
      expect(second.attrs.nextRunAt!.getTime()).to.be.above(first.attrs.nextRunAt!.getTime());
      await save(3);
      await agenda.start();
      await until(() => seen.length === 1, 3000);
      await sleep(200);
      expect(seen).to.deep.equal([{ key: 'k', value: 3 }]);
    });

    it('debounces (leading) and honours maxWait', async () => {
      agenda.define('lead', async () => {});
      const lead = (v: number) => agenda.create('lead', { key: 'l', v }).unique({ 'data.key': 'l' }).debounce(5000, { strategy: 'leading' }).save();
      const before = Date.now();
      const l1 = await lead(1);
      expect(l1.attrs.nextRunAt!.getTime()).to.be.within(before - 100, Date.now() + 100);
      await sleep(50);
      const l2 = await lead(2);
      expect(l2.attrs.nextRunAt!.getTime()).to.equal(l1.attrs.nextRunAt!.getTime());
      expect(l2.attrs.data).to.deep.equal({ key: 'l', v: 2 });

      const capped = (v: number) => agenda.create('cap', { key: 'c', v }).unique({ 'data.key': 'c' }).debounce(2000, { maxWait: 300 }).save();
      const c1 = await capped(1);
      expect(c1.attrs.debounceStartedAt).to.be.instanceOf(Date);
      const deadline = c1.attrs.debounceStartedAt!.getTime() + 300;
      await sleep(100);
      const c2 = await capped(2);
      expect(c2.attrs.nextRunAt!.getTime()).to.be.at.most(deadline + 5);
      await sleep(300);
      const c3 = await capped(3);
      expect(c3.attrs.nextRunAt!.getTime()).to.be.at.most(Date.now() + 5);
      expect(c3.attrs.debounceStartedAt ?? undefined).to.equal(undefined);
    });

    it('disables and enables jobs through agenda', async () => {
      let runs = 0;
      agenda.define('paused', async () => {
        runs++;
      });
      await agenda.schedule(new Date(Date.now() + 100), 'paused');
      expect(await agenda.disable({ name: 'paused' })).to.equal(1);
      await agenda.start();
      await sleep(400);
      expect(runs).to.equal(0);
      expect(await agenda.enable({ name: 'paused' })).to.equal(1);
      await until(() => runs === 1);
    });
  });

  describe('job logger', () => {
    it('filters by job, level, event and time, pages newest first, and clears by query', async () => {
      const base = Date.now();
      for (let i = 0; i < 5; i++) {
        await backend.logger.log({
          timestamp: new Date(base + i),
          level: i === 4 ? 'error' : 'info',
          event: i === 4 ? 'fail' : 'start',
          jobId: i % 2 === 0 ? '1' : '2',
          jobName: 'logged',
          message: `m${i}`,
          duration: 12.6,
          meta: { i },
        });
      }
      const page = await backend.logger.getLogs({ limit: 2, offset: 1 });
      expect(page.total).to.equal(5);
      expect(page.entries.map((e) => e.message)).to.deep.equal(['m3', 'm2']);
      expect(page.entries[0]).to.deep.include({ duration: 13, meta: { i: 3 }, jobId: '2' });
      expect((await backend.logger.getLogs({ jobId: '1' })).total).to.equal(3);
      expect((await backend.logger.getLogs({ level: ['error'] })).entries.map((e) => e.event)).to.deep.equal(['fail']);
      expect((await backend.logger.getLogs({ from: new Date(base + 3), to: new Date(base + 4) })).total).to.equal(2);
      expect(await backend.logger.clearLogs({ event: 'start' })).to.equal(4);
      expect(await backend.logger.clearLogs()).to.equal(1);
    });
  });
});
