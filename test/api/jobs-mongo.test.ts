import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { MongoClient } from 'mongodb';
import { startJobs } from '../../server/src/jobs.js';
import { createJobsBackend } from '../../server/src/platform/jobs/backend.js';
import { JobRunner } from '../../server/src/platform/jobs/job-runner.js';
import { defineJob } from '../../server/src/platform/jobs/job-spec.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { TEST_DIALECT } from '../support/database.js';

const MONGODB_URL = process.env.HUIJI_TEST_MONGODB_URL ?? 'mongodb://127.0.0.1:27017';

function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url.replace(/^mongodb(\+srv)?:/, 'http:'));
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 27017) });
    socket.setTimeout(1000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
  });
}

describe(`jobs on MongoDB when HUIJI_JOBS_MONGODB_URL is set (${TEST_DIALECT})`, function () {
  this.timeout(60_000);

  it("uses agenda's official MongoDB backend, and keeps serving while that MongoDB is down", async () => {
    const test = await startTestApp({ env: { HUIJI_JOBS_MONGODB_URL: 'mongodb://127.0.0.1:1/huiji' }, jobs: 'off' });
    try {
      expect(test.ctx.jobBackend.name).to.equal('MongoDB');
      expect(test.ctx.config.jobs.mongodbUrl).to.equal('mongodb://127.0.0.1:1/huiji');
      // Nothing answers on port 1: the job store keeps retrying, the server stays usable.
      void startJobs(test.ctx, { process: true });
      for (let i = 0; i < 150 && !test.ctx.jobBackend.lastError; i++) await sleep(100);
      const ready = await test.http().get('/readyz');
      expect(ready.status).to.equal(200);
      expect(ready.body.status).to.equal('ready');
      expect(ready.body.checks.jobs).to.match(/^job store unavailable: .*ECONNREFUSED/);
    } finally {
      await test.close();
    }
  });

  describe('against a real MongoDB', () => {
    let test: TestApp;
    let database: string;

    before(async function () {
      if (!(await reachable(MONGODB_URL))) {
        console.log(`      SKIPPED: no MongoDB answers at ${MONGODB_URL} (set HUIJI_TEST_MONGODB_URL to run these tests)`);
        this.skip();
      }
      database = `huiji_test_${process.pid}`;
      test = await startTestApp();
    });
    after(async () => {
      if (!test) return;
      await test.close();
      const client = await MongoClient.connect(MONGODB_URL);
      await client.db(database).dropDatabase();
      await client.close();
    });

    it('runs a queued job exactly once and keeps its event log', async () => {
      const url = new URL(MONGODB_URL);
      url.pathname = `/${database}`;
      const runs: string[] = [];
      const runner = new JobRunner<unknown>({
        backend: await createJobsBackend({ sequelize: test.ctx.sequelize, mongodbUrl: url.toString() }),
        specs: [defineJob<unknown>({ name: 'test.mongo', title: { zh: '测试', en: 'Test' }, handler: async (run) => void runs.push(run.id) })],
        deps: () => ({}),
        logger: test.ctx.logger,
        timezone: 'Asia/Shanghai',
        nodeName: 'mongo-test',
        processEveryMs: 50,
        outputRoot: path.join(test.dataDir, 'job-output'),
      });
      await runner.init();
      await runner.start();
      const id = await runner.enqueue('test.mongo', {});
      for (let i = 0; i < 100 && runs.length === 0; i++) await sleep(50);
      await sleep(200);
      await runner.stop(1000);
      expect(runs).to.deep.equal([id]);
      const { entries } = await runner.logs({ jobId: id });
      expect(entries.map((entry) => entry.event)).to.include.members(['start', 'success', 'complete']);
    });
  });
});
