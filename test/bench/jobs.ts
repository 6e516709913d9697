/**
 * Jobs benchmark: agenda on SequelizeBackend with 1 and then 2 worker processes
 * (test/support/jobs-worker.ts). Target (jobs issue): >= 200 jobs/s with 2 workers, on MySQL.
 * The backend has no notification channel, so workers find jobs only by polling every
 * --process-every ms; each worker locks at most --lock-limit jobs per scan (0: no limit).
 * The defaults are Huiji's own: jobs.processEverySeconds 1, agenda's lock limit 0.
 *   Throughput: --jobs one-off jobs queued up front (disabled), the workers started, then
 *     the jobs enabled at once; jobs/s counts from enabling them to the last handler start.
 *   Latency: with the workers idle and polling, --samples jobs queued one at a time with
 *     agenda.now() at random gaps; from just before agenda.now() to the handler's start.
 *   npx tsx test/bench/jobs.ts [--db mysql|sqlite] [--jobs 1000] [--samples 200] [--process-every 1000] [--lock-limit 0]
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agenda } from 'agenda';
import { createSequelize } from '../../server/src/platform/db/connect.js';
import { runMigrations } from '../../server/src/platform/db/migrate.js';
import { SequelizeBackend } from '../../server/src/platform/jobs/sequelize-backend.js';
import { PROJECT_ROOT } from '../../server/src/platform/paths.js';
import { createTestDatabase } from '../support/database.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const dialect = arg('db', 'mysql') as 'mysql' | 'sqlite';
const jobs = Number(arg('jobs', '1000'));
const samples = Number(arg('samples', '200'));
const processEvery = arg('process-every', '1000');
const lockLimit = arg('lock-limit', '0');
const TARGET_JOBS_PER_SECOND = 200;
const WORKER = path.join(PROJECT_ROOT, 'test', 'support', 'jobs-worker.ts');

const db = await createTestDatabase(dialect);
const sequelize = createSequelize({ url: db.url });
await runMigrations(sequelize);
await sequelize.query(
  'CREATE TABLE job_runs (job_id VARCHAR(32) NOT NULL, n INTEGER NOT NULL, worker VARCHAR(16) NOT NULL, phase VARCHAR(8) NOT NULL, locked_at BIGINT, ran_at BIGINT NOT NULL)',
);
const backend = new SequelizeBackend({ sequelize });
// Only queues jobs: never started, so it takes none.
const client = new Agenda({ backend });
await client.ready;

/** A worker process; resolves once it polls, with the promise of its exit. */
function startWorker(name: string, expectedRuns: number): Promise<{ exited: Promise<void> }> {
  const options = ['--process-every', processEvery, '--lock-limit', lockLimit];
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, db.url, name, String(expectedRuns), ...options], { cwd: PROJECT_ROOT });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<void>((resolve, reject) =>
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`worker ${name} exited with ${code}: ${stderr}`)))),
  );
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => String(chunk).includes(`ready ${name}`) && resolve({ exited }));
    exited.catch(reject);
  });
}

async function handlerStarts(fromN: number): Promise<Map<number, number>> {
  const [rows] = await sequelize.query("SELECT n, ran_at FROM job_runs WHERE phase = 'finished' AND n >= ?", { replacements: [fromN] });
  return new Map((rows as Array<{ n: number; ran_at: number | string }>).map((row) => [Number(row.n), Number(row.ran_at)]));
}

async function waitForRuns(count: number): Promise<void> {
  while ((await handlerStarts(0)).size < count) await sleep(50);
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function run(workers: number): Promise<number> {
  await backend.repository.purgeAllJobs();
  await sequelize.query('DELETE FROM job_runs');
  // Queued disabled, and enabled in one statement once every worker polls, so the figure
  // counts neither the queueing nor the workers' start-up.
  for (let n = 0; n < jobs; n++) await client.create('append', { n }).disable().save();
  const names = Array.from({ length: workers }, (_, i) => `w${i + 1}`);
  const started = await Promise.all(names.map((name) => startWorker(name, jobs + samples)));
  const enabledAt = Date.now();
  await client.enable({ name: 'append' });

  await waitForRuns(jobs);
  const seconds = (Math.max(...(await handlerStarts(0)).values()) - enabledAt) / 1000;
  const perSecond = jobs / seconds;
  const label = `${workers} worker${workers > 1 ? 's' : ' '}`;
  console.log(`${label}: ${perSecond.toFixed(0)} jobs/s (${jobs} jobs in ${seconds.toFixed(2)} s)`);

  const queuedAt = new Map<number, number>();
  for (let n = jobs; n < jobs + samples; n++) {
    await sleep(Math.random() * 50);
    queuedAt.set(n, Date.now());
    await client.now('append', { n });
  }
  await waitForRuns(jobs + samples);
  const latencies = [...(await handlerStarts(jobs)).entries()].map(([n, at]) => at - queuedAt.get(n)!).sort((a, b) => a - b);
  const ms = (value: number) => `${value.toFixed(0)} ms`;
  console.log(
    `${' '.repeat(label.length)}  agenda.now() to handler start (${samples} jobs): p50 ${ms(percentile(latencies, 50))}, p95 ${ms(percentile(latencies, 95))}, max ${ms(latencies[latencies.length - 1])}`,
  );
  await Promise.all(started.map((worker) => worker.exited));
  return perSecond;
}

console.log(`Huiji jobs on ${dialect}: node ${process.version}, processEvery ${processEvery} ms, lock limit ${lockLimit} per worker, no notifications (polling)`);
await run(1);
const two = await run(2);
const verdict = two >= TARGET_JOBS_PER_SECOND ? 'within target' : 'BELOW TARGET';
console.log(`2 workers: ${two.toFixed(0)} jobs/s [${verdict}: >= ${TARGET_JOBS_PER_SECOND}]`);
await sequelize.close();
await db.drop();
