import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { startTestApp, type TestApp } from '../support/app.js';
import { seedAccessFixture, type AccessFixture } from '../support/access.js';
import { TEST_DIALECT } from '../support/database.js';
import { succeededTask, taskOutput } from '../support/tasks.js';
import { readSheets } from '../support/xlsx.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function xlsx(rows: unknown[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('会员');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const HEADERS = ['姓名', '手机号', '性别', '生日', '地区', '肤质'];

describe(`members: import from .xlsx and .csv (${TEST_DIALECT})`, function () {
  this.timeout(90_000);
  let test: TestApp;
  let f: AccessFixture;
  const as = (name: keyof AccessFixture['tokens']) => ({ Authorization: `Bearer ${f.tokens[name]}` });
  const count = () => test.ctx.models.members.Member.count();
  const upload = async (body: Buffer, type = XLSX, who: keyof AccessFixture['tokens'] = 'manager1') => {
    const res = await test.http().post('/api/v1/members/import-files').set(as(who)).set('Content-Type', type).send(body);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body as { fileId: string; headers: string[]; rows: number; mapping: Record<string, string | null> };
  };
  const importFile = async (preview: { fileId: string; mapping: Record<string, string | null> }, options: Record<string, unknown>) => {
    const res = await test.http().post('/api/v1/members/imports').set(as('manager1')).send({ fileId: preview.fileId, mapping: preview.mapping, ...options });
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    const done = await succeededTask(test, f.tokens.manager1, res.body.id, 60_000);
    return { summary: done.summary, report: await readSheets(await taskOutput(test, f.tokens.manager1, res.body.id)) };
  };

  before(async () => {
    test = await startTestApp({ jobs: 'run' });
    f = await seedAccessFixture(test);
    const field = await test.http().post('/api/v1/member-fields').set(as('root')).send({
      key: 'skin_type', label: { zh: '肤质', en: 'Skin type' }, type: 'select',
      options: [{ value: 'dry', label: { zh: '干性' } }, { value: 'oily', label: { zh: '油性' } }],
    });
    expect(field.status).to.equal(201);
  });
  after(() => test.close());

  it('offers a template with the columns the caller may import and how to fill each in', async () => {
    const res = await test.http().get('/api/v1/members/import-template').set(as('manager1')).buffer(true).parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(res.status).to.equal(200);
    const [data, help] = await readSheets(res.body as Buffer);
    expect(res.headers['content-disposition']).to.equal(`attachment; filename="member-import-template.xlsx"; filename*=UTF-8''${encodeURIComponent('会员导入模板.xlsx')}`);
    expect(data[0]).to.include.members(['手机号', '姓名', '肤质', '所属门店']);
    expect(data[0]).not.to.include('积分余额');
    expect(help.find((row) => row[0] === '肤质')?.[2]).to.include('干性 / 油性');
    expect((await test.http().get('/api/v1/members/import-template').set(as('cashier1'))).status).to.equal(403);
  });

  it('previews an upload: headers, rows and a mapping by label', async () => {
    const preview = await upload(await xlsx([HEADERS, ['甲', '13700000001', '男', '1990-01-02', '广东省/深圳市/南山区', '油性'], ['备注列不导入']]));
    expect(preview.rows).to.equal(2);
    expect(preview.mapping).to.deep.equal({ 姓名: 'name', 手机号: 'phone', 性别: 'gender', 生日: 'birthday', 地区: 'region', 肤质: 'custom.skin_type' });
  });

  describe('a file with bad rows', () => {
    let file: Buffer;
    before(async () => {
      file = await xlsx([
        HEADERS,
        ['周一', '13711110001', '男', new Date(Date.UTC(1990, 0, 2)), '广东省/深圳市/南山区', '油性'],
        ['周二', '12345', '女', '1991-02-03', '', ''],
        ['周三', '13711110003', '女', '1992-13-01', '', '中性'],
        ['周四', '13711110004', '', '', '北京', '干性'],
        ['周一again', '13711110001', '', '', '', ''],
      ]);
    });

    it('checks without writing on a dry run, listing each bad row and why', async () => {
      const before = await count();
      const { summary, report } = await importFile(await upload(file), { dryRun: true });
      expect(summary).to.include({ total: 5, created: 2, failed: 3, dryRun: true });
      expect(await count()).to.equal(before);
      const failed = report[1];
      expect(failed[0].slice(0, 2)).to.deep.equal(['行号', '原因']);
      expect(failed.slice(1).map((r) => r[0])).to.deep.equal(['3', '4', '6']);
      expect(failed[1][1]).to.include('手机号');
      expect(failed[2][1]).to.include('生日').and.include('肤质');
      expect(failed[3][1]).to.include('第 2 行');
      expect(failed[1].slice(2)).to.deep.equal(['周二', '12345', '女', '1991-02-03']);
    });

    it('imports nothing when all-or-nothing is chosen', async () => {
      const before = await count();
      const { summary } = await importFile(await upload(file), { badRows: 'abort' });
      expect(summary).to.include({ aborted: true, created: 0, failed: 3 });
      expect(await count()).to.equal(before);
    });

    it('imports only the good rows when asked, each whole, audited per chunk', async () => {
      const before = await count();
      const { summary } = await importFile(await upload(file), { badRows: 'skip' });
      expect(summary).to.include({ total: 5, created: 2, failed: 3, aborted: false });
      expect(await count()).to.equal(before + 2);
      const one = await test.http().get('/api/v1/members/lookup').query({ phone: '13711110001' }).set(as('root'));
      expect(one.body).to.include({ name: '周一', gender: 'male', birthday: '1990-01-02', region: '440305', homeStoreId: f.stores.s1.id });
      expect(one.body.custom).to.deep.equal({ skin_type: 'oily' });
      const four = await test.http().get('/api/v1/members/lookup').query({ phone: '13711110004' }).set(as('root'));
      expect(four.body).to.include({ region: '11' });
      const record = await test.ctx.models.audit.AuditLog.findOne({ where: { action: 'member.import' }, order: [['id', 'DESC']] });
      expect(JSON.parse(record!.diff!).created).to.include(one.body.id);
    });
  });

  it('updates or fills existing members, matched by phone, as the duplicate policy says', async () => {
    const existing = await test.http().post('/api/v1/members').set(as('manager1')).send({ phone: '13722220001', name: '旧名' });
    expect(existing.status).to.equal(201);
    const sheet = await xlsx([HEADERS, ['新名', '13722220001', '女', '', '', '干性']]);
    const skipped = await importFile(await upload(sheet), {});
    expect(skipped.summary).to.include({ created: 0, skipped: 1 });
    const filled = await importFile(await upload(sheet), { duplicates: 'fill' });
    expect(filled.summary).to.include({ updated: 1 });
    let member = (await test.http().get(`/api/v1/members/${existing.body.id}`).set(as('manager1'))).body;
    expect(member).to.include({ name: '旧名', gender: 'female' });
    expect(member.custom).to.deep.equal({ skin_type: 'dry' });
    await importFile(await upload(sheet), { duplicates: 'update' });
    member = (await test.http().get(`/api/v1/members/${existing.body.id}`).set(as('manager1'))).body;
    expect(member.name).to.equal('新名');
  });

  it('fails only the row a write conflict hits, retrying its chunk row by row', async () => {
    const holder = await test.http().post('/api/v1/members').set(as('manager1')).send({ phone: '13744440001' });
    // Matched by phone, this row looks new, but its card number is taken: the insert fails.
    const sheet = await xlsx([
      ['姓名', '手机号', '会员卡号'],
      ['吴一', '13744440002', ''],
      ['吴二', '13744440003', holder.body.cardNo],
      ['吴三', '13744440004', ''],
    ]);
    const { summary, report } = await importFile(await upload(sheet), { badRows: 'skip' });
    expect(summary).to.include({ created: 2, failed: 1 });
    expect(report[1][1].slice(0, 2)).to.deep.equal(['3', '手机号、卡号或唯一字段已被其他会员使用']);
    const found = await test.http().get('/api/v1/members/lookup').query({ phone: '13744440004' }).set(as('manager1'));
    expect(found.status).to.equal(200);
  });

  it('reads CSV with a BOM, and refuses files it cannot take', async () => {
    const csv = Buffer.from('\ufeff姓名,手机号\n陈一,13733330001\n', 'utf8');
    const preview = await upload(csv, 'text/csv');
    expect(preview.mapping).to.deep.equal({ 姓名: 'name', 手机号: 'phone' });
    const { summary } = await importFile(preview, {});
    expect(summary).to.include({ created: 1 });

    const wrongType = await test.http().post('/api/v1/members/import-files').set(as('manager1')).set('Content-Type', 'application/pdf').send(Buffer.from('%PDF'));
    expect(wrongType.status).to.equal(415);
    const garbage = await test.http().post('/api/v1/members/import-files').set(as('manager1')).set('Content-Type', XLSX).send(Buffer.from('not a zip'));
    expect(garbage.status).to.equal(422);
    expect(garbage.body.error.code).to.equal('MEMBER_IMPORT_FILE_UNREADABLE');
    const huge = await test.http().post('/api/v1/members/import-files').set(as('manager1')).set('Content-Type', 'text/csv').send(Buffer.alloc(31 * 1024 * 1024, 0x41));
    expect(huge.status).to.equal(413);
    expect(huge.body.error.code).to.equal('PAYLOAD_TOO_LARGE');
    const others = await test.http().post('/api/v1/members/imports').set(as('manager2')).send({ fileId: preview.fileId, mapping: preview.mapping });
    expect(others.status).to.equal(404);
    const noPhone = await test.http().post('/api/v1/members/imports').set(as('manager1')).send({ fileId: preview.fileId, mapping: { 姓名: 'name' } });
    expect(noPhone.status).to.equal(422);
  });
});
