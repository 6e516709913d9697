import { expect } from 'chai';
import ExcelJS from 'exceljs';
import type { Response } from 'superagent';
import { startTestApp, type TestApp } from '../support/app.js';
import { TEST_DIALECT } from '../support/database.js';
import { createStaff, tokenFor } from '../support/users.js';

const GOOD = 'Counter#2026a';
const EXPORT = '/api/v1/audit-logs/export';

/** supertest buffers a binary body only when asked to. */
function binary(res: Response, done: (error: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

async function sheetOf(body: Buffer): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  const rows: string[][] = [];
  workbook.worksheets[0].eachRow((row) => {
    const values = (row.values as unknown[]).slice(1);
    rows.push(values.map((value) => (value === null || value === undefined ? '' : String(value))));
  });
  return rows;
}

describe(`audit log export (${TEST_DIALECT})`, () => {
  let test: TestApp;
  let auditor: string;

  before(async () => {
    test = await startTestApp();
    await createStaff(test, { username: 'auditor1', password: GOOD, roles: ['auditor'] });
    await createStaff(test, { username: 'cashier1', password: GOOD, roles: ['cashier'] });
    auditor = await tokenFor(test, 'auditor1', GOOD);
    for (let i = 0; i < 3; i++) {
      await test.ctx.services.audit.record({ action: 'probe.export', summary: `probe ${i}`, diff: { points: { from: i, to: i + 1 } } });
    }
    await test.ctx.services.audit.record({ action: 'probe.other', summary: 'not exported' });
  });
  after(() => test.close());

  const download = (query: Record<string, string>, language?: string) => {
    const request = test.http().get(EXPORT).query(query).set('Authorization', `Bearer ${auditor}`).buffer(true).parse(binary);
    return language ? request.set('Accept-Language', language) : request;
  };

  it('streams the filtered records newest first as an .xlsx with Chinese headers', async () => {
    const res = await download({ action: 'probe.export' });
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).to.match(/^attachment; filename="audit-logs-\d{8}-\d{6}\.xlsx"$/);
    expect(res.headers['x-total-count']).to.equal('3');
    const [header, ...rows] = await sheetOf(res.body as Buffer);
    expect(header).to.deep.equal([
      '记录号', '时间', '操作人', '操作人类型', '操作人 ID', '角色', '门店 ID', '操作',
      '对象类型', '对象 ID', '结果', '摘要', '变更内容', 'IP 地址', '请求 ID', '客户端',
    ]);
    const column = (name: string) => header.indexOf(name);
    expect(rows.map((row) => row[column('摘要')])).to.deep.equal(['probe 2', 'probe 1', 'probe 0']);
    expect(rows.map((row) => row[column('操作')])).to.deep.equal(['probe.export', 'probe.export', 'probe.export']);
    expect(rows[0][column('结果')]).to.equal('成功');
    expect(JSON.parse(rows[0][column('变更内容')])).to.deep.equal({ points: { from: 2, to: 3 } });
  });

  it('writes times in the business time zone (Asia/Shanghai)', async () => {
    const [record] = await test.ctx.models.audit.AuditLog.findAll({ where: { action: 'probe.export' }, order: [['id', 'DESC']], limit: 1 });
    const shanghai = new Date(record.occurredAt.getTime() + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);
    const [header, first] = await sheetOf((await download({ action: 'probe.export' })).body as Buffer);
    expect(first[header.indexOf('时间')]).to.equal(shanghai);
  });

  it('uses English headers and labels for Accept-Language: en', async () => {
    const res = await download({ action: 'probe.export' }, 'en-US,en;q=0.9');
    const [header, first] = await sheetOf(res.body as Buffer);
    expect(header.slice(0, 4)).to.deep.equal(['Record ID', 'Time', 'Actor', 'Actor type']);
    expect(first[header.indexOf('Result')]).to.equal('Success');
    expect(first[header.indexOf('Actor type')]).to.equal('Anonymous');
  });

  it('records each export as audit.export with its filter and row count, before the file is sent', async () => {
    const res = await download({ action: 'probe.*', result: 'success' });
    expect(res.status).to.equal(200);
    const [record] = await test.ctx.models.audit.AuditLog.findAll({ where: { action: 'audit.export' }, order: [['id', 'DESC']], limit: 1 });
    expect(record).to.deep.include({ actorName: 'auditor1', result: 'success' });
    expect(record.summary).to.equal('导出操作日志 4 条，筛选：action=probe.*, result=success');
    expect(JSON.parse(record.diff!)).to.deep.equal({ filter: 'action=probe.*, result=success', matched: 4, rows: 4 });
    // The export's own record is newer than the snapshot, so the file does not hold it.
    const rows = (await sheetOf(res.body as Buffer)).slice(1);
    expect(rows).to.have.length(4);
  });

  it('keeps the newest rows when more match than the cap, and says so in the record', async () => {
    const exported = await test.ctx.services.audit.startExport({ action: 'probe.export' }, 2);
    expect(exported).to.include({ matched: 3, rows: 2 });
    const summaries: string[] = [];
    for await (const record of exported.records) summaries.push(record.summary);
    expect(summaries).to.deep.equal(['probe 2', 'probe 1']);
    const [record] = await test.ctx.models.audit.AuditLog.findAll({ where: { action: 'audit.export' }, order: [['id', 'DESC']], limit: 1 });
    expect(record.summary).to.equal('导出操作日志 2 条，筛选：action=probe.export（共匹配 3 条，超出上限，只导出最新 2 条）');
  });

  it('refuses the list’s paging parameters and a cashier', async () => {
    const paged = await test.http().get(EXPORT).query({ limit: 10 }).set('Authorization', `Bearer ${auditor}`);
    expect(paged.status).to.equal(422);
    const cashier = await tokenFor(test, 'cashier1', GOOD);
    const denied = await test.http().get(EXPORT).set('Authorization', `Bearer ${cashier}`);
    expect(denied.status).to.equal(403);
    expect(denied.body.error.code).to.equal('FORBIDDEN');
  });

  it('is in the OpenAPI document under its permission', async () => {
    const spec = (await test.http().get('/api/v1/openapi.json')).body as { paths: Record<string, { get?: { description?: string } }> };
    expect(spec.paths['/api/v1/audit-logs/export']?.get?.description).to.contain('audit:log:export');
  });
});
