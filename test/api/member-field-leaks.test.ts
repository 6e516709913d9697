import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { startTestApp, type TestApp } from '../support/app.js';
import { STAFF_PASSWORD, seedAccessFixture, type AccessFixture } from '../support/access.js';
import { TEST_DIALECT } from '../support/database.js';
import { succeededTask, taskOutput } from '../support/tasks.js';
import { createStaff, tokenFor } from '../support/users.js';

/**
 * The field-policy promise, checked path by path: a reader who may not see a member's
 * birthday, and sees the phone masked, finds neither in lists, details, lookups, searches,
 * sorts, exports, audit diffs (listed and exported), the 360 view or error messages.
 */
describe(`members: no output path leaks a field the reader may not see (${TEST_DIALECT})`, function () {
  this.timeout(90_000);
  let test: TestApp;
  let f: AccessFixture;
  let exporter: string;
  let member: { id: number; cardNo: string };
  const PHONE = '13912345678';
  const NEW_PHONE = '13987654321';
  const BIRTHDAY = '1988-07-19';
  const secrets = [PHONE, NEW_PHONE, PHONE.slice(3, 7), NEW_PHONE.slice(3, 7), '1988-07', '07-19', '07-20', '1988-07-20'];
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const noSecrets = (what: string, payload: unknown) => {
    const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
    for (const secret of secrets) expect(text, `${what} holds ${secret}`).not.to.include(secret);
  };
  const sheetText = async (file: Buffer) => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file as unknown as ArrayBuffer);
    const cells: string[] = [];
    workbook.eachSheet((sheet) => sheet.eachRow((row) => cells.push(JSON.stringify(row.values))));
    return cells.join('\n');
  };

  before(async () => {
    test = await startTestApp({ jobs: 'run' });
    f = await seedAccessFixture(test);
    await test.ctx.models.access.Role.create({
      code: 'exporter',
      nameZh: '导出员',
      nameEn: 'Exporter',
      builtin: false,
      permissions: JSON.stringify(['member:member:view', 'member:member:export', 'audit:log:view', 'audit:log:export']),
      dataScope: 'all',
      fieldPolicy: JSON.stringify({ defaults: { member: { normal: 'read', financial: 'read', contact: 'masked', personal: 'masked' } }, fields: { 'member.birthday': 'hidden' } }),
    });
    await createStaff(test, { username: 'exporter1', password: STAFF_PASSWORD, roles: ['exporter'] });
    exporter = await tokenFor(test, 'exporter1', STAFF_PASSWORD);
    const created = await test.http().post('/api/v1/members').set(auth(f.tokens.root)).send({ name: '林黛玉', phone: PHONE, birthday: BIRTHDAY, homeStoreId: f.stores.s1.id, channel: 'poster' });
    expect(created.status).to.equal(201);
    member = created.body;
    const changed = await test.http().patch(`/api/v1/members/${member.id}`).set(auth(f.tokens.root)).send({ phone: NEW_PHONE, birthday: '1988-07-20' });
    expect(changed.status, JSON.stringify(changed.body)).to.equal(200);
  });
  after(() => test.close());

  it('lists, details, 360 view', async () => {
    for (const token of [exporter, f.tokens.auditor1]) {
      const list = await test.http().get('/api/v1/members').set(auth(token));
      expect(list.status).to.equal(200);
      expect(list.body.items[0]).not.to.have.property('birthday');
      expect(list.body.items[0].phone).to.equal('139****4321');
      noSecrets('list', list.body);
      const detail = await test.http().get(`/api/v1/members/${member.id}`).set(auth(token));
      noSecrets('detail', detail.body);
      const overview = await test.http().get(`/api/v1/members/${member.id}/overview`).set(auth(token));
      expect(overview.status).to.equal(200);
      noSecrets('overview', overview.body);
    }
  });

  it('searches and sorts, and their refusals', async () => {
    const sorted = await test.http().get('/api/v1/members').query({ sort: 'birthday' }).set(auth(exporter));
    expect(sorted.status).to.equal(403);
    const filtered = await test.http().get('/api/v1/members').query({ birthdayMonth: 7 }).set(auth(exporter));
    expect(filtered.status).to.equal(403);
    const prefix = await test.http().get('/api/v1/members').query({ keyword: '1398765' }).set(auth(exporter));
    expect(prefix.status, 'a partial phone is a card-number prefix search, which finds nothing here').to.equal(200);
    expect(prefix.body.items).to.deep.equal([]);
    for (const res of [sorted, filtered]) noSecrets('refusal', res.body);
  });

  it('the member export', async () => {
    const queued = await test.http().post('/api/v1/members/exports').set(auth(exporter)).send({});
    expect(queued.status).to.equal(202);
    await succeededTask(test, exporter, queued.body.id);
    const text = await sheetText(await taskOutput(test, exporter, queued.body.id));
    expect(text).to.include('139****4321');
    expect(text).not.to.include('生日');
    noSecrets('member export', text);
  });

  it('audit diffs, listed and exported', async () => {
    const logs = await test.http().get('/api/v1/audit-logs').query({ entityType: 'member' }).set(auth(exporter));
    expect(logs.status).to.equal(200);
    const update = logs.body.items.find((item: { action: string }) => item.action === 'member.update');
    expect(update.diff.map((d: { field: string }) => d.field)).to.deep.equal(['phone']);
    noSecrets('audit list', logs.body);
    const one = await test.http().get(`/api/v1/audit-logs/${update.id}`).set(auth(exporter));
    noSecrets('audit record', one.body);

    const queued = await test.http().post('/api/v1/audit-logs/exports').set(auth(exporter)).send({ entityType: 'member' });
    expect(queued.status).to.equal(202);
    await succeededTask(test, exporter, queued.body.id);
    noSecrets('audit export', await sheetText(await taskOutput(test, exporter, queued.body.id)));

    const rootView = await test.http().get(`/api/v1/audit-logs/${update.id}`).set(auth(f.tokens.root));
    expect(rootView.body.diff.map((d: { field: string }) => d.field), 'a reader who may see birthdays sees the change').to.deep.equal(['birthday', 'phone']);
  });

  it('error messages of a duplicate phone at another store', async () => {
    const res = await test.http().post('/api/v1/members').set(auth(f.tokens.manager2)).send({ phone: NEW_PHONE });
    expect(res.status).to.equal(409);
    noSecrets('409', { ...res.body, error: { ...res.body.error } });
    expect(JSON.stringify(res.body)).not.to.include(member.cardNo);
  });
});
