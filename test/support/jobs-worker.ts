// One job worker process, for test/api/jobs-cross-process.test.ts and test/bench/jobs.ts:
//   node --import tsx test/support/jobs-worker.ts <database-url> <worker-name> <expected-runs> [options]
//     --hang               each job writes a 'started' row and never finishes: a worker to be killed
//     --lock-lifetime MS   the 'append' job's lock lifetime (agenda's default: 10 minutes)
//     --process-every MS   how often agenda polls the database (default 100)
//     --lock-limit N       how many jobs this worker holds locked at once (default 10)
// Starts an Agenda on the SequelizeBackend; each 'append' job writes one row to job_runs
// (job_id, n, worker, phase, locked_at, ran_at; times in ms, ran_at when the handler starts).
// Prints "ready <worker>" once polling, stops when job_runs holds <expected-runs> finished
// rows (or after two minutes) and prints its own count.
import { Agenda, type Job } from 'agenda';
import { setTimeout as sleep } from 'node:timers/promises';
import { createSequelize } from '../../server/src/platform/db/connect.js';
import { withTransaction } from '../../server/src/platform/db/transaction.js';
import { SequelizeBackend } from '../../server/src/platform/jobs/sequelize-backend.js';

const [url, worker, expectedText] = process.argv.slice(2);
const option = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : undefined;
};
const expected = Number(expectedText);
const hang = process.argv.includes('--hang');
const lockLifetime = option('lock-lifetime');
const sequelize = createSequelize({ url, poolMax: 10 });
const backend = new SequelizeBackend({ sequelize });
const agenda = new Agenda({
  backend,
  name: worker,
  processEvery: option('process-every') ?? 100,
  // A small lock limit so one worker cannot claim the whole queue in one scan.
  defaultLockLimit: option('lock-limit') ?? 10,
  defaultConcurrency: 10,
  maxConcurrency: 20,
});
agenda.on('error', (error: Error) => process.stderr.write(`${worker}: ${error.message}\n`));

const record = (job: Job<{ n: number }>, phase: 'started' | 'finished', ranAt: number) =>
  withTransaction(sequelize, (transaction) =>
    sequelize.query('INSERT INTO job_runs (job_id, n, worker, phase, locked_at, ran_at) VALUES (?, ?, ?, ?, ?, ?)', {
      replacements: [String(job.attrs._id), job.attrs.data.n, worker, phase, job.attrs.lockedAt?.getTime() ?? null, ranAt],
      transaction,
    }),
  );

let ran = 0;
agenda.define<{ n: number }>(
  'append',
  async (job) => {
    const ranAt = Date.now();
    if (hang) {
      await record(job, 'started', ranAt);
      await new Promise<never>(() => undefined);
    }
    await record(job, 'finished', ranAt);
    ran++;
  },
  { lockLifetime },
);

const finished = async () => {
  const [rows] = await sequelize.query("SELECT COUNT(*) AS n FROM job_runs WHERE phase = 'finished'");
  return Number((rows as Array<{ n: number }>)[0].n);
};

await agenda.start();
process.stdout.write(`ready ${worker}\n`);
const deadline = Date.now() + 120_000;
while ((await finished()) < expected && Date.now() < deadline) await sleep(100);
// Let a job that is still running finish (and show up as a duplicate, if it is one).
await sleep(300);
await agenda.stop();
// agenda writes its job log without waiting: let those writes land before closing.
await backend.logger.flush();
await sequelize.close();
process.stdout.write(`${JSON.stringify({ worker, ran })}\n`);
// agenda leaves a timer behind after stop(); the work is done, so leave without waiting for it.
process.exit(0);
