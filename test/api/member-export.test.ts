import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { startTestApp, type TestApp } from '../support/app.js';
import { seedAccessFixture, type AccessFixture } from '../support/access.js';
import { TEST_DIALECT } from '../support/database.js';
import { succeededTask, taskOutput } from '../support/tasks.js';

async function sheetOf(file: Buffer): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(file as unknown as ArrayBuffer);
  const rows: string[][] = [];
  workbook.worksheets[0].eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)))));
  return rows;
}

describe(`members: export to .xlsx in the background, as the requester sees them (${TEST_DIALECT})`, function () {
  this.timeout(60_000);
  let test: TestApp;
  let f: AccessFixture;
  const phones = ['13500001111', '13500002222', '13500003333'];
  const as = (name: keyof AccessFixture['tokens']) => ({ Authorization: `Bearer ${f.tokens[name]}` });
  const exportAs = async (who: keyof AccessFixture['tokens'], body: Record<string, unknown> = {}) => {
    const res = await test.http().post('/api/v1/members/exports').set(as(who)).send(body);
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    const done = await succeededTask(test, f.tokens[who], res.body.id);
    return { task: done, rows: await sheetOf(await taskOutput(test, f.tokens[who], res.body.id)) };
  };

  before(async () => {
    test = await startTestApp({ jobs: 'run' });
    f = await seedAccessFixture(test);
    await test.http().post('/api/v1/member-fields').set(as('root')).send({
      key: 'skin_type', label: { zh: '肤质', en: 'Skin type' }, type: 'select', options: [{ value: 'oily', label: { zh: '油性', en: 'Oily' } }],
    });
    for (const [i, phone] of phones.entries()) {
      const res = await test.http().post('/api/v1/members').set(as(i < 2 ? 'manager1' : 'manager2')).send({
        name: `会员${i}`, phone, birthday: '1990-06-0' + (i + 1), channel: i === 0 ? 'poster' : 'counter', custom: { skin_type: 'oily' },
      });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
    }
  });
  after(() => test.close());

  it("gives a manager their stores' members with phones masked, labels in Chinese, values readable", async () => {
    const { task, rows } = await exportAs('manager1');
    expect(task.summary).to.deep.equal({ rows: 2 });
    const [header, ...body] = rows;
    expect(header).to.include.members(['会员卡号', '姓名', '手机号', '所属门店', '生日', '肤质', '储值余额']);
    const phone = header.indexOf('手机号');
    expect(body.map((r) => r[phone]).sort()).to.deep.equal(['135****1111', '135****2222']);
    expect(body[0][header.indexOf('所属门店')]).to.equal('徐汇店');
    expect(body[0][header.indexOf('肤质')]).to.equal('油性');
    const flat = JSON.stringify(rows);
    for (const p of phones) expect(flat).not.to.include(p);
  });

  it('honours the filter and the language, and audits the export with the unmasked fields it holds', async () => {
    const english = await test.http().post('/api/v1/members/exports').set(as('root')).set('Accept-Language', 'en').send({ channel: 'poster' });
    expect(english.status).to.equal(202);
    const done = await succeededTask(test, f.tokens.root, english.body.id);
    const rows = await sheetOf(await taskOutput(test, f.tokens.root, english.body.id));
    expect(done.summary).to.deep.equal({ rows: 1 });
    expect(rows[0]).to.include.members(['Card number', 'Phone', 'Skin type']);
    expect(rows[1][rows[0].indexOf('Phone')]).to.equal(phones[0]);
    const record = await test.ctx.models.audit.AuditLog.findOne({ where: { action: 'member.export' }, order: [['id', 'DESC']] });
    const diff = JSON.parse(record!.diff!);
    expect(diff).to.deep.include({ matched: 1, taskId: english.body.id });
    expect(diff.unmasked).to.include('phone');
    expect(record!.summary).to.include('channel=poster');
  });

  it('refuses roles without the export permission and filters the role may not use', async () => {
    expect((await test.http().post('/api/v1/members/exports').set(as('cashier1')).send({})).status).to.equal(403);
    const tasksBefore = await test.ctx.models.jobs.JobTask.count();
    const unsearchable = await test.http().post('/api/v1/members/exports').set(as('manager1')).send({ 'custom.skin_type': 'oily' });
    expect(unsearchable.status, 'refused when asked, not when the job runs').to.equal(400);
    expect(unsearchable.body.error.code).to.equal('FIELD_NOT_FILTERABLE');
    expect(await test.ctx.models.jobs.JobTask.count()).to.equal(tasksBefore);
    const junk = await test.http().post('/api/v1/members/exports').set(as('manager1')).send({ cursor: 'x' });
    expect(junk.status).to.equal(422);
  });
});
