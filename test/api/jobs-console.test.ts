import { expect } from 'chai';
import ExcelJS from 'exceljs';
import type { Response } from 'superagent';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestApp, type TestApp } from '../support/app.js';
import { seedAccessFixture, type AccessFixture } from '../support/access.js';
import { TEST_DIALECT } from '../support/database.js';

function binary(res: Response, done: (error: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

describe(`jobs page and user tasks (${TEST_DIALECT})`, function () {
  this.timeout(60_000);
  let test: TestApp;
  let fixture: AccessFixture;
  const as = (who: keyof AccessFixture['tokens']) => ({
    get: (path: string) => test.http().get(path).set('Authorization', `Bearer ${fixture.tokens[who]}`),
    post: (path: string, body: object = {}) => test.http().post(path).set('Authorization', `Bearer ${fixture.tokens[who]}`).send(body),
  });

  /** Polls a task until it leaves queued/running. */
  async function settled(who: keyof AccessFixture['tokens'], id: number) {
    for (let i = 0; i < 200; i++) {
      const res = await as(who).get(`/api/v1/tasks/${id}`);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      if (res.body.status === 'succeeded' || res.body.status === 'failed') return res.body;
      await sleep(100);
    }
    throw new Error(`task ${id} did not finish`);
  }

  before(async () => {
    test = await startTestApp({ jobs: 'run' });
    fixture = await seedAccessFixture(test);
  });
  after(() => test.close());

  it('lists every registered job with its schedule in the business timezone and its next run', async () => {
    const res = await as('itops1').get('/api/v1/jobs');
    expect(res.status).to.equal(200);
    expect(res.body.runsInThisProcess).to.equal(true);
    type Item = { name: string; title: object; schedule: string | null; nextRunAt: string | null };
    const byName = Object.fromEntries((res.body.items as Item[]).map((item) => [item.name, item]));
    expect(Object.keys(byName)).to.include.members(['audit.seal', 'audit.checkpoint', 'audit.purge', 'audit.export', 'jobs.purge-outputs']);
    expect(byName['audit.purge']).to.include({ schedule: '30 3 * * *', timezone: 'Asia/Shanghai', disabled: false });
    expect(byName['audit.purge'].title).to.deep.equal({ zh: '清理过期操作日志', en: 'Purge audit records past retention' });
    // 03:30 in Shanghai is 19:30 UTC the day before.
    expect(new Date(byName['audit.purge'].nextRunAt!).toISOString()).to.match(/T19:30:00\.000Z$/);
    expect(byName['audit.export'].schedule).to.equal(null);
    expect(byName['audit.export'].nextRunAt).to.equal(null);
  });

  it('is IT business: cashiers, managers and auditors are refused', async () => {
    for (const who of ['cashier1', 'manager1', 'auditor1'] as const) {
      const res = await as(who).get('/api/v1/jobs');
      expect(res.status, who).to.equal(403);
      expect(res.body.error.code).to.equal('FORBIDDEN');
    }
  });

  it('runs a scheduled job now, logs the run and audits who asked', async () => {
    const res = await as('itops1').post('/api/v1/jobs/audit.checkpoint/run');
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    const jobId = res.body.jobId as string;
    let events: string[] = [];
    // 'complete' is logged once the run's state is saved ('success' comes before that).
    for (let i = 0; i < 100 && !events.includes('complete'); i++) {
      await sleep(100);
      const logs = await as('itops1').get(`/api/v1/jobs/logs?jobId=${jobId}`);
      expect(logs.status).to.equal(200);
      events = (logs.body.items as Array<{ event: string }>).map((item) => item.event);
    }
    expect(events).to.include.members(['start', 'success']);
    const checkpoints = await test.ctx.models.audit.AuditCheckpoint.count();
    expect(checkpoints).to.be.at.least(1);
    const listed = await as('itops1').get('/api/v1/jobs');
    const checkpoint = (listed.body.items as Array<{ name: string; lastRunAt: string | null; lastFinishedAt: string | null; running: number }>).find(
      (item) => item.name === 'audit.checkpoint',
    );
    expect(checkpoint?.lastRunAt, 'a run by hand counts as the last run').to.be.a('string');
    expect(checkpoint?.lastFinishedAt).to.be.a('string');
    expect(checkpoint?.running).to.equal(0);
    const audit = await test.ctx.models.audit.AuditLog.findOne({ where: { action: 'job.run' }, order: [['id', 'DESC']] });
    expect(audit?.actorName).to.equal('itops1');
    expect(audit?.entityId).to.equal('audit.checkpoint');
  });

  it('refuses to run by hand a job that an action starts, and names unknown jobs', async () => {
    const manual = await as('itops1').post('/api/v1/jobs/audit.export/run');
    expect(manual.status).to.equal(409);
    expect(manual.body.error.code).to.equal('JOB_NOT_RUNNABLE');
    const unknown = await as('itops1').post('/api/v1/jobs/no.such-job/run').set('Accept-Language', 'en');
    expect(unknown.status).to.equal(404);
    expect(unknown.body.error).to.include({ code: 'JOB_NOT_FOUND', message: 'No job named no.such-job' });
    const badName = await as('itops1').post('/api/v1/jobs/Bad%20Name/run');
    expect(badName.status).to.equal(422);
  });

  it('disables a job until it is enabled again, across restarts, and audits both', async () => {
    const off = await as('itops1').post('/api/v1/jobs/audit.purge/disable');
    expect(off.status).to.equal(204);
    // A restart writes the schedules again; the operator's decision must survive it.
    await test.ctx.jobRunner.init();
    const listed = await as('itops1').get('/api/v1/jobs');
    const purge = (listed.body.items as Array<{ name: string; disabled: boolean }>).find((item) => item.name === 'audit.purge');
    expect(purge?.disabled).to.equal(true);
    const refused = await as('itops1').post('/api/v1/jobs/audit.purge/run');
    expect(refused.status).to.equal(409);
    expect(refused.body.error.code).to.equal('JOB_DISABLED');

    const on = await as('itops1').post('/api/v1/jobs/audit.purge/enable');
    expect(on.status).to.equal(204);
    const again = await as('itops1').get('/api/v1/jobs');
    expect((again.body.items as Array<{ name: string; disabled: boolean }>).find((item) => item.name === 'audit.purge')?.disabled).to.equal(false);
    const actions = (await test.ctx.models.audit.AuditLog.findAll({ where: { entityType: 'job', entityId: 'audit.purge' }, order: [['id', 'ASC']] })).map(
      (record) => record.action,
    );
    expect(actions).to.deep.equal(['job.disable', 'job.enable']);
  });

  describe('a background audit export', () => {
    let taskId: number;

    it('is queued with its audit record, runs with progress, and its owner downloads the file', async () => {
      for (let i = 0; i < 1200; i++) {
        await test.ctx.services.audit.record({ action: 'probe.bulk', summary: `probe ${i}` });
      }
      const queued = await as('auditor1').post('/api/v1/audit-logs/exports', { action: 'probe.bulk' });
      expect(queued.status, JSON.stringify(queued.body)).to.equal(202);
      expect(queued.body).to.include({ jobName: 'audit.export', status: 'queued', progress: 0 });
      taskId = queued.body.id as number;
      const audit = await test.ctx.models.audit.AuditLog.findOne({ where: { action: 'audit.export' }, order: [['id', 'DESC']] });
      expect(audit?.actorName).to.equal('auditor1');
      expect(audit?.summary).to.contain(`导出操作日志 1200 条（后台任务 ${taskId}）`);

      const done = await settled('auditor1', taskId);
      expect(done).to.include({ status: 'succeeded', progress: 100 });
      expect(done.summary).to.deep.equal({ rows: 1200 });
      expect(done.output.name).to.match(/^audit-logs-\d{8}-\d{6}\.xlsx$/);
      expect(done.message).to.equal('共 1200 条');
      expect(done.jobId).to.be.a('string');
      const english = await as('auditor1').get(`/api/v1/tasks/${taskId}`).set('Accept-Language', 'en');
      expect(english.body.message).to.equal('1200 rows');

      const file = await as('auditor1').get(`/api/v1/tasks/${taskId}/output`).buffer(true).parse(binary);
      expect(file.status).to.equal(200);
      expect(file.headers['content-disposition']).to.contain('attachment');
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(file.body as unknown as ArrayBuffer);
      expect(workbook.worksheets[0].rowCount).to.equal(1201);
      const download = await test.ctx.models.audit.AuditLog.findOne({ where: { action: 'task.download' }, order: [['id', 'DESC']] });
      expect(download?.entityId).to.equal(String(taskId));
    });

    it("lists among the owner's tasks and is invisible to everyone else", async () => {
      const mine = await as('auditor1').get('/api/v1/tasks');
      expect(mine.status).to.equal(200);
      expect(mine.body.active).to.equal(0);
      expect((mine.body.items as Array<{ id: number }>).map((task) => task.id)).to.include(taskId);
      const theirs = await as('root').get('/api/v1/tasks');
      expect((theirs.body.items as Array<{ id: number }>).map((task) => task.id)).not.to.include(taskId);
      for (const path of [`/api/v1/tasks/${taskId}`, `/api/v1/tasks/${taskId}/output`]) {
        const res = await as('root').get(path);
        expect(res.status, path).to.equal(404);
        expect(res.body.error.code).to.equal('TASK_NOT_FOUND');
      }
    });

    it('keeps the store scope of the requester in the exported rows', async () => {
      const { s1, s2 } = fixture.stores;
      await test.ctx.services.audit.record({ action: 'probe.scoped', summary: 'in S001', storeId: s1.id });
      await test.ctx.services.audit.record({ action: 'probe.scoped', summary: 'in S002', storeId: s2.id });
      await test.ctx.models.access.Role.create({
        code: 'store_auditor',
        nameZh: '门店稽核',
        nameEn: 'Store auditor',
        builtin: false,
        permissions: JSON.stringify(['audit:log:view', 'audit:log:export']),
        dataScope: 'assigned',
        fieldPolicy: null,
      });
      await test.ctx.services.access.assignRole(fixture.users.manager1.id, 'store_auditor');
      const queued = await as('manager1').post('/api/v1/audit-logs/exports', { action: 'probe.scoped' });
      expect(queued.status, JSON.stringify(queued.body)).to.equal(202);
      const done = await settled('manager1', queued.body.id as number);
      expect(done.summary).to.deep.equal({ rows: 1 });
    });

    it('deletes files after retention: the download then says so', async () => {
      await test.ctx.models.jobs.JobTask.update({ expiresAt: new Date(Date.now() - 1000) }, { where: { id: taskId } });
      const expired = await as('auditor1').get(`/api/v1/tasks/${taskId}/output`);
      expect(expired.status).to.equal(410);
      expect(expired.body.error.code).to.equal('TASK_OUTPUT_EXPIRED');
      const shown = await as('auditor1').get(`/api/v1/tasks/${taskId}`);
      expect(shown.body.output, 'an expired file is no longer offered').to.equal(null);
      const purged = await test.ctx.services.tasks.purgeExpiredOutputs();
      expect(purged).to.equal(1);
      const task = await test.ctx.models.jobs.JobTask.findByPk(taskId);
      expect(task?.outputFile).to.equal(null);
    });

    it('refuses an export to a role without the export permission', async () => {
      const res = await as('cashier1').post('/api/v1/audit-logs/exports', {});
      expect(res.status).to.equal(403);
      expect(await test.ctx.models.jobs.JobTask.count({ where: { ownerUserId: fixture.users.cashier1.id } })).to.equal(0);
    });
  });
});
