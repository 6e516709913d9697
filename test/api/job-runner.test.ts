import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { TaskService } from '../../server/src/modules/jobs/task-service.js';
import { AppError } from '../../server/src/platform/errors/app-error.js';
import type { Principal } from '../../server/src/platform/http/route.js';
import { JobRunner } from '../../server/src/platform/jobs/job-runner.js';
import { defineJob, type JobSpec } from '../../server/src/platform/jobs/job-spec.js';
import { SequelizeBackend } from '../../server/src/platform/jobs/sequelize-backend.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { TEST_DIALECT } from '../support/database.js';

/** The task owner: a principal as the auth middleware builds it for the first admin. */
const OWNER: Principal = {
  kind: 'user',
  userId: 1,
  username: 'admin',
  sessionId: null,
  apiKeyId: null,
  roles: ['super_admin'],
  permissions: new Set(['*']),
  storeScope: null,
  ownMembersOnly: false,
  fieldPolicies: [],
  mustChangePassword: false,
};

describe(`job runner: retries, failures, progress, draining (${TEST_DIALECT})`, function () {
  this.timeout(60_000);
  let test: TestApp;
  const runners: Array<JobRunner<unknown>> = [];

  before(async () => {
    test = await startTestApp();
  });
  after(async () => {
    for (const runner of runners) await runner.stop(1000);
    await test.close();
  });

  /** A runner of its own jobs on the test database, with a task service bound to it. */
  async function runnerOf(specs: Array<JobSpec<unknown, never>>) {
    const runner = new JobRunner<unknown>({
      backend: new SequelizeBackend({ sequelize: test.ctx.sequelize }),
      specs,
      deps: () => ({}),
      logger: test.ctx.logger,
      timezone: 'Asia/Shanghai',
      nodeName: 'test-runner',
      processEveryMs: 50,
      outputRoot: path.join(test.dataDir, 'job-output'),
    });
    const tasks = new TaskService(test.ctx.sequelize, test.ctx.models.jobs, (name, input, taskId) => runner.enqueue(name, input, taskId), {
      outputRoot: path.join(test.dataDir, 'job-output'),
      retentionDays: 7,
    });
    runner.tasks = tasks;
    runners.push(runner);
    await runner.init();
    await runner.start();
    return { runner, tasks, submit: (name: string, input: unknown = {}) => tasks.submit(OWNER, name, input, async () => {}) };
  }

  async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
    for (let i = 0; i < 300; i++) {
      const value = await read();
      if (done(value)) return value;
      await sleep(50);
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  it('retries a failing job with backoff until it succeeds, logging each failure with the job id', async () => {
    const attempts: number[] = [];
    const { runner, tasks, submit } = await runnerOf([
      defineJob<unknown>({
        name: 'test.flaky',
        title: { zh: '不稳定', en: 'Flaky' },
        retries: 3,
        retryDelayMs: 50,
        handler: async (run) => {
          attempts.push(run.attempt);
          if (run.attempt < 3) throw new Error(`flaky failure ${run.attempt}`);
        },
      }),
    ]);
    const task = await submit('test.flaky');
    const done = await until(() => tasks.get(OWNER, task.id), (t) => t.status === 'succeeded', 'the flaky task');
    expect(attempts).to.deep.equal([1, 2, 3]);
    expect(done.error, 'a success clears the earlier failure').to.equal(null);
    // agenda logs a run's end after the handler returns, without waiting: wait for the third 'complete'.
    const { entries } = await until(
      () => runner.logs({ jobId: task.jobId!, sort: 'asc' }),
      (log) => log.entries.filter((entry) => entry.event === 'complete').length === 3,
      'the job log of all three runs',
    );
    const events = entries.map((entry) => entry.event);
    expect(events.filter((event) => event === 'fail')).to.have.length(2);
    expect(events.filter((event) => event === 'retry')).to.have.length(2);
    expect(events.filter((event) => event === 'success')).to.have.length(1);
    expect(entries.filter((entry) => entry.event === 'fail').map((entry) => entry.error)).to.deep.equal(['flaky failure 1', 'flaky failure 2']);
    // Retries wait: exponential from 50 ms.
    const [firstFail, secondStart] = [entries.find((e) => e.event === 'fail')!, entries.filter((e) => e.event === 'start')[1]];
    expect(new Date(secondStart.timestamp).getTime() - new Date(firstFail.timestamp).getTime()).to.be.at.least(40);
  });

  it('gives up after its retries and tells the owner why, in their language', async () => {
    let runs = 0;
    const { tasks, submit } = await runnerOf([
      defineJob<unknown>({
        name: 'test.refused',
        title: { zh: '被拒', en: 'Refused' },
        retries: 1,
        retryDelayMs: 50,
        handler: async () => {
          runs += 1;
          throw new AppError('STORE_NOT_FOUND', { params: { id: 7 } });
        },
      }),
      defineJob<unknown>({
        name: 'test.crash',
        title: { zh: '崩溃', en: 'Crash' },
        retries: 0,
        handler: async () => {
          throw new TypeError('cannot read properties of undefined (secret detail)');
        },
      }),
    ]);
    const refused = await submit('test.refused');
    const failed = await until(() => tasks.get(OWNER, refused.id), (t) => t.status === 'failed', 'the refused task');
    expect(runs).to.equal(2);
    expect(tasks.view(failed, 'zh-CN').error).to.deep.equal({ code: 'STORE_NOT_FOUND', message: '门店 7 不存在' });
    expect(tasks.view(failed, 'en').error).to.deep.equal({ code: 'STORE_NOT_FOUND', message: 'Store 7 does not exist' });
    expect(failed.finishedAt).to.be.instanceOf(Date);

    const crash = await submit('test.crash');
    const crashed = await until(() => tasks.get(OWNER, crash.id), (t) => t.status === 'failed', 'the crashing task');
    const error = tasks.view(crashed, 'en').error!;
    expect(error.code).to.equal('TASK_FAILED');
    expect(error.message).to.contain(`task id ${crash.id}`);
    expect(error.message, 'internals stay in the server log').not.to.contain('secret');
  });

  it('reports progress with a message on the task while it runs, and renews the lock', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { runner, tasks, submit } = await runnerOf([
      defineJob<unknown>({
        name: 'test.progress',
        title: { zh: '进度', en: 'Progress' },
        handler: async (run) => {
          await run.progress(42, '已处理 42 / 100 行');
          await gate;
          await run.progress(100, '完成');
        },
      }),
    ]);
    const task = await submit('test.progress');
    const midway = await until(() => tasks.get(OWNER, task.id), (t) => t.progress === 42, 'progress 42');
    expect(midway.status).to.equal('running');
    expect(tasks.view(midway, 'zh-CN').message).to.equal('已处理 42 / 100 行');
    expect(midway.startedAt).to.be.instanceOf(Date);
    const [job] = (await runner.agenda.queryJobs({ id: task.jobId! })).jobs;
    expect(job.progress).to.equal(42);
    expect(job.lockedAt).to.be.instanceOf(Date);
    release();
    const done = await until(() => tasks.get(OWNER, task.id), (t) => t.status === 'succeeded', 'the progress task');
    expect(done).to.include({ progress: 100 });
  });

  it('drains on stop: a running job finishes before the runner stops', async () => {
    let finished = false;
    const { runner, tasks, submit } = await runnerOf([
      defineJob<unknown>({
        name: 'test.drain',
        title: { zh: '排空', en: 'Drain' },
        handler: async () => {
          await sleep(500);
          finished = true;
        },
      }),
    ]);
    const task = await submit('test.drain');
    await until(() => tasks.get(OWNER, task.id), (t) => t.status === 'running', 'the job to start');
    const result = await runner.stop(5000);
    expect(finished).to.equal(true);
    expect(result).to.deep.equal({ completed: 1, abandoned: 0 });
    expect((await tasks.get(OWNER, task.id)).status).to.equal('succeeded');
  });

  it('hands a job that outlasts the drain back to the queue, unlocked for another node', async () => {
    const { runner, tasks, submit } = await runnerOf([
      defineJob<unknown>({
        name: 'test.stuck',
        title: { zh: '卡住', en: 'Stuck' },
        handler: () => new Promise<void>(() => {}),
      }),
    ]);
    const task = await submit('test.stuck');
    await until(() => tasks.get(OWNER, task.id), (t) => t.status === 'running', 'the job to start');
    const result = await runner.stop(300);
    expect(result).to.deep.equal({ completed: 0, abandoned: 1 });
    const [job] = (await runner.agenda.queryJobs({ id: task.jobId! })).jobs;
    expect(job.lockedAt ?? null, 'unlocked').to.equal(null);
    expect(job.nextRunAt, 'still queued').to.be.instanceOf(Date);
  });

  it('purges finished one-off runs past a cutoff, never a recurring job or a queued run', async () => {
    const { runner } = await runnerOf([
      defineJob<unknown>({ name: 'test.recurring', title: { zh: '周期', en: 'Recurring' }, schedule: '1 hour', handler: async () => {} }),
    ]);
    const before = await runner.agenda.queryJobs({});
    const finished = before.jobs.filter((job) => (job.state === 'completed' || job.state === 'failed') && job.type !== 'single');
    expect(finished.length, 'the earlier tests left finished runs').to.be.at.least(3);
    expect(await runner.purgeFinished(new Date(Date.now() - 60_000)), 'nothing is that old').to.equal(0);
    expect(await runner.purgeFinished(new Date(Date.now() + 1000))).to.equal(finished.length);
    const after = await runner.agenda.queryJobs({});
    expect(after.jobs.map((job) => job.name)).to.include.members(['test.recurring', 'test.stuck']);
    expect(after.total).to.equal(before.total - finished.length);
  });
});
