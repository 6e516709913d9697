// One job worker process for test/api/jobs-cross-process.test.ts:
//   node --import tsx test/support/jobs-worker.ts <database-url> <worker-name> <expected-runs>
// Starts an Agenda on the SequelizeBackend; each 'append' job writes one row to job_runs.
// Stops when job_runs holds <expected-runs> rows (or after 60 s) and prints its own count.
import { Agenda } from 'agenda';
import { setTimeout as sleep } from 'node:timers/promises';
import { createSequelize } from '../../server/src/platform/db/connect.js';
import { withTransaction } from '../../server/src/platform/db/transaction.js';
import { SequelizeBackend } from '../../server/src/platform/jobs/sequelize-backend.js';

const [url, worker, expectedText] = process.argv.slice(2);
const expected = Number(expectedText);
const sequelize = createSequelize({ url, poolMax: 10 });
const agenda = new Agenda({
  backend: new SequelizeBackend({ sequelize }),
  name: worker,
  processEvery: 100,
  // A small lock limit so one worker cannot claim the whole queue in one scan.
  defaultLockLimit: 10,
  defaultConcurrency: 10,
  maxConcurrency: 20,
});

let ran = 0;
agenda.define<{ n: number }>('append', async (job) => {
  await withTransaction(sequelize, (transaction) =>
    sequelize.query('INSERT INTO job_runs (job_id, n, worker, ran_at) VALUES (?, ?, ?, ?)', {
      replacements: [String(job.attrs._id), job.attrs.data.n, worker, Date.now()],
      transaction,
    }),
  );
  ran++;
});

const count = async () => {
  const [rows] = await sequelize.query('SELECT COUNT(*) AS n FROM job_runs');
  return Number((rows as Array<{ n: number }>)[0].n);
};

await agenda.start();
process.stdout.write(`ready ${worker}\n`);
const deadline = Date.now() + 60_000;
while ((await count()) < expected && Date.now() < deadline) await sleep(100);
// Let a job that is still running finish (and show up as a duplicate, if it is one).
await sleep(300);
await agenda.stop();
await sequelize.close();
process.stdout.write(`${JSON.stringify({ worker, ran })}\n`);
// agenda leaves a timer behind after stop(); the work is done, so leave without waiting for it.
process.exit(0);
