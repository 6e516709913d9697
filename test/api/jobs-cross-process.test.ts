import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import type { Sequelize } from 'sequelize';
import { createSequelize } from '../../server/src/platform/db/connect.js';
import { runMigrations } from '../../server/src/platform/db/migrate.js';
import { SequelizeJobRepository } from '../../server/src/platform/jobs/sequelize-job-repository.js';
import { PROJECT_ROOT } from '../../server/src/platform/paths.js';
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from '../support/database.js';

const JOBS = 500;
const LOCK_LIFETIME_MS = 2000;
const WORKER = path.join(PROJECT_ROOT, 'test', 'support', 'jobs-worker.ts');

interface WorkerResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

interface Run {
  job_id: string;
  n: number;
  worker: string;
  phase: 'started' | 'finished';
  locked_at: number | string;
  ran_at: number | string;
}

const children: ChildProcess[] = [];

/**
 * One test/support/jobs-worker.ts process. `readyAt()` is when it began polling (0 before);
 * `done` settles when it exits, however it exits.
 */
function startWorker(url: string, name: string, expectedRuns: number, options: string[] = []) {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, url, name, String(expectedRuns), ...options], { cwd: PROJECT_ROOT });
  children.push(child);
  let stdout = '';
  let stderr = '';
  let readyAt = 0;
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
    if (!readyAt && stdout.includes(`ready ${name}`)) readyAt = Date.now();
  });
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const done = new Promise<WorkerResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done, readyAt: () => readyAt };
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(20);
  }
}

describe(`jobs across processes (${TEST_DIALECT})`, function () {
  // Longer than a worker's own two-minute limit, so a stuck run fails on its counts.
  this.timeout(150_000);
  let db: TestDatabase;
  let sequelize: Sequelize;
  let repository: SequelizeJobRepository;

  const runs = async () => {
    const [rows] = await sequelize.query('SELECT job_id, n, worker, phase, locked_at, ran_at FROM job_runs ORDER BY ran_at');
    return rows as Run[];
  };
  const enqueue = (n: number) => repository.saveJob({ name: 'append', priority: 0, nextRunAt: new Date(), type: 'normal', data: { n } }, undefined);

  before(async () => {
    db = await createTestDatabase();
    sequelize = createSequelize({ url: db.url });
    await runMigrations(sequelize);
    await sequelize.query(
      'CREATE TABLE job_runs (job_id VARCHAR(32) NOT NULL, n INTEGER NOT NULL, worker VARCHAR(16) NOT NULL, phase VARCHAR(8) NOT NULL, locked_at BIGINT, ran_at BIGINT NOT NULL)',
    );
    repository = new SequelizeJobRepository(sequelize);
    await repository.connect();
  });
  beforeEach(async () => {
    await repository.purgeAllJobs();
    await sequelize.query('DELETE FROM job_runs');
  });
  afterEach(() => {
    // A test that failed half-way leaves no worker behind.
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  after(async () => {
    await sequelize.close();
    await db.drop();
  });

  it(`two workers on one database run each of ${JOBS} one-off jobs exactly once`, async () => {
    for (let n = 0; n < JOBS; n++) await enqueue(n);

    const results = await Promise.all([startWorker(db.url, 'w1', JOBS).done, startWorker(db.url, 'w2', JOBS).done]);
    for (const result of results) expect(result.code, result.stderr).to.equal(0);

    const finished = await runs();
    const perJob = new Map<number, number>();
    for (const run of finished) perJob.set(Number(run.n), (perJob.get(Number(run.n)) ?? 0) + 1);
    const duplicates = [...perJob.entries()].filter(([, times]) => times > 1);
    expect(duplicates, 'jobs that ran more than once').to.deep.equal([]);
    expect(perJob.size).to.equal(JOBS);
    expect(finished.length).to.equal(JOBS);

    const byWorker = { w1: finished.filter((r) => r.worker === 'w1').length, w2: finished.filter((r) => r.worker === 'w2').length };
    expect(byWorker.w1, 'w1 took part').to.be.above(0);
    expect(byWorker.w2, 'w2 took part').to.be.above(0);
    const times = finished.map((r) => Number(r.ran_at));
    const seconds = (Math.max(...times) - Math.min(...times)) / 1000;
    console.log(`      ${JOBS} jobs in ${seconds.toFixed(2)} s (${(JOBS / seconds).toFixed(0)} jobs/s), w1 ${byWorker.w1}, w2 ${byWorker.w2}`);

    const { jobs } = await repository.queryJobs({ name: 'append' });
    expect(jobs.filter((job) => job.lockedAt)).to.have.length(0);
    expect(jobs.filter((job) => job.nextRunAt !== null)).to.have.length(0);
  });

  it('runs a job again on the other worker once a killed worker’s lock has expired', async () => {
    const job = await enqueue(1);
    const lockLifetime = ['--lock-lifetime', String(LOCK_LIFETIME_MS)];

    // A takes the job, records that it started, and hangs until it is killed.
    const a = startWorker(db.url, 'a', 1, ['--hang', ...lockLifetime]);
    await until(async () => (await runs()).length > 0, 'a starts the job');
    a.child.kill('SIGKILL');
    expect((await a.done).signal, 'a was killed').to.equal('SIGKILL');

    const b = startWorker(db.url, 'b', 1, lockLifetime);
    const giveUp = setTimeout(() => b.child.kill(), 20_000);
    const bResult = await b.done;
    clearTimeout(giveUp);
    expect(bResult.signal, 'b finished the job within 20 s').to.equal(null);
    expect(bResult.code, bResult.stderr).to.equal(0);

    const [started, finished, ...more] = await runs();
    expect(more, 'runs after the first two').to.deep.equal([]);
    expect(started).to.include({ job_id: String(job._id), worker: 'a', phase: 'started' });
    expect(finished).to.include({ job_id: String(job._id), worker: 'b', phase: 'finished' });
    const waited = Number(finished.locked_at) - Number(started.locked_at);
    expect(waited, 'ms from a locking the job to b locking it').to.be.at.least(LOCK_LIFETIME_MS);
    expect(Number(finished.ran_at) - Number(started.locked_at)).to.be.at.least(LOCK_LIFETIME_MS);
    const polling = Number(finished.locked_at) - b.readyAt();
    console.log(`      b took the job over ${waited} ms after a locked it (lock lifetime ${LOCK_LIFETIME_MS} ms; b had been polling ${polling} ms)`);

    const stored = await repository.getJobById(String(job._id));
    expect(stored).to.include({ lastModifiedBy: 'b', nextRunAt: null });
    expect(stored?.lockedAt, 'unlocked after b finished').to.equal(undefined);
    expect(stored?.lastFinishedAt).to.be.instanceOf(Date);
  });
});
