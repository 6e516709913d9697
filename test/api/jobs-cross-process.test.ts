import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect } from 'chai';
import type { Sequelize } from 'sequelize';
import { createSequelize } from '../../server/src/platform/db/connect.js';
import { runMigrations } from '../../server/src/platform/db/migrate.js';
import { SequelizeJobRepository } from '../../server/src/platform/jobs/sequelize-job-repository.js';
import { PROJECT_ROOT } from '../../server/src/platform/paths.js';
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from '../support/database.js';

const JOBS = 200;
const WORKER = path.join(PROJECT_ROOT, 'test', 'support', 'jobs-worker.ts');

function runWorker(url: string, name: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, url, name, String(JOBS)], { cwd: PROJECT_ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe(`jobs across processes (${TEST_DIALECT})`, function () {
  this.timeout(120_000);
  let db: TestDatabase;
  let sequelize: Sequelize;

  before(async () => {
    db = await createTestDatabase();
    sequelize = createSequelize({ url: db.url });
    await runMigrations(sequelize);
    await sequelize.query('CREATE TABLE job_runs (job_id VARCHAR(32) NOT NULL, n INTEGER NOT NULL, worker VARCHAR(16) NOT NULL, ran_at BIGINT NOT NULL)');
  });
  after(async () => {
    await sequelize.close();
    await db.drop();
  });

  it(`two workers on one database run each of ${JOBS} one-off jobs exactly once`, async () => {
    const repository = new SequelizeJobRepository(sequelize);
    await repository.connect();
    for (let n = 0; n < JOBS; n++) {
      await repository.saveJob({ name: 'append', priority: 0, nextRunAt: new Date(), type: 'normal', data: { n } }, undefined);
    }

    const results = await Promise.all([runWorker(db.url, 'w1'), runWorker(db.url, 'w2')]);
    for (const result of results) expect(result.code, result.stderr).to.equal(0);

    const [rows] = await sequelize.query('SELECT n, worker, ran_at FROM job_runs');
    const runs = rows as Array<{ n: number; worker: string; ran_at: number | string }>;
    const perJob = new Map<number, number>();
    for (const run of runs) perJob.set(Number(run.n), (perJob.get(Number(run.n)) ?? 0) + 1);
    const duplicates = [...perJob.entries()].filter(([, times]) => times > 1);
    expect(duplicates, 'jobs that ran more than once').to.deep.equal([]);
    expect(perJob.size).to.equal(JOBS);
    expect(runs.length).to.equal(JOBS);

    const byWorker = { w1: runs.filter((r) => r.worker === 'w1').length, w2: runs.filter((r) => r.worker === 'w2').length };
    expect(byWorker.w1, 'w1 took part').to.be.above(0);
    expect(byWorker.w2, 'w2 took part').to.be.above(0);
    const times = runs.map((r) => Number(r.ran_at));
    const seconds = (Math.max(...times) - Math.min(...times)) / 1000;
    console.log(`      ${JOBS} jobs in ${seconds.toFixed(2)} s (${(JOBS / seconds).toFixed(0)} jobs/s), w1 ${byWorker.w1}, w2 ${byWorker.w2}`);

    const { jobs } = await repository.queryJobs({ name: 'append' });
    expect(jobs.filter((job) => job.lockedAt)).to.have.length(0);
    expect(jobs.filter((job) => job.nextRunAt !== null)).to.have.length(0);
  });
});
