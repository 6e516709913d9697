import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { startTestApp, type TestApp } from '../support/app.js';
import { seedAccessFixture, type AccessFixture } from '../support/access.js';
import { createCouponTemplate } from '../support/coupons.js';
import { TEST_DIALECT } from '../support/database.js';
import { createMember, phoneSequence } from '../support/members.js';
import { succeededTask, taskOutput } from '../support/tasks.js';
import { readSheets } from '../support/xlsx.js';

type Row = Record<string, string | number | null>;

/**
 * Batch issues: the preview counts what the job then issues; stock, limits and store scope
 * hold; a list of phone and card numbers reports what it could not use in a file; and a
 * batch run again after a crash issues nothing twice.
 */
describe(`coupons: batch issue (${TEST_DIALECT})`, function () {
  this.timeout(180_000);
  let test: TestApp;
  let f: AccessFixture;
  type Who = keyof AccessFixture['tokens'];
  const as = (who: Who) => ({ Authorization: `Bearer ${f.tokens[who]}` });
  const rows = (sql: string, replacements: unknown[] = []) => test.ctx.sequelize.query<Row>(sql, { replacements, type: QueryTypes.SELECT });
  const batchCoupons = async (batchId: number) => rows("SELECT member_id, source_seq FROM coupons WHERE source = 'batch' AND source_ref = ? ORDER BY member_id, source_seq", [String(batchId)]);

  const nextPhone = phoneSequence('1380020');
  const newMember = async (storeId: number) => {
    const phone = nextPhone();
    const { id, cardNo } = await createMember(test, f.tokens.root, { name: '批量', phone, homeStoreId: storeId });
    return { id, phone, cardNo };
  };
  const createTemplate = async (body: Record<string, unknown> = {}) =>
    (await createCouponTemplate(test, f.tokens.root, { name: '批量满100减10', kind: 'full_reduction', amountOff: 1_000, threshold: 10_000, ...body })).id;
  const preview = async (body: Record<string, unknown>, who: Who = 'root') => {
    const res = await test.http().post('/api/v1/coupon-batches/preview').set(as(who)).send(body);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body as { matched: number; issuable: number; coupons: number; skipped: Record<string, number> };
  };
  /** Queues a batch, waits for its task, and answers the batch as it ended and the task. */
  const runBatch = async (body: Record<string, unknown>, who: Who = 'root') => {
    const res = await test.http().post('/api/v1/coupon-batches').set(as(who)).send(body);
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    expect(res.body.batch).to.include({ status: 'queued', templateId: body.templateId });
    expect(res.body.task.id).to.equal(res.body.batch.taskId);
    const task = await succeededTask(test, f.tokens[who], res.body.task.id, 60_000);
    const batch = await test.http().get(`/api/v1/coupon-batches/${res.body.batch.id}`).set(as(who));
    expect(batch.status, JSON.stringify(batch.body)).to.equal(200);
    return { batch: batch.body, task };
  };

  let s1Members: Array<{ id: number; phone: string; cardNo: string }>;
  let s2Members: Array<{ id: number; phone: string; cardNo: string }>;

  before(async () => {
    test = await startTestApp({ jobs: 'run' });
    f = await seedAccessFixture(test);
    s1Members = [];
    for (let i = 0; i < 8; i++) s1Members.push(await newMember(f.stores.s1.id));
    s2Members = [];
    for (let i = 0; i < 4; i++) s2Members.push(await newMember(f.stores.s2.id));
    const frozen = await test.http().post(`/api/v1/members/${s1Members[7].id}/freeze`).set(as('root')).send({ reason: '挂失' });
    expect(frozen.status, JSON.stringify(frozen.body)).to.equal(200);
  });
  after(() => test.close());

  it('issues to a filtered member list exactly what its preview counted, one audit record per chunk and an event per coupon', async () => {
    const templateId = await createTemplate();
    const body = { templateId, target: { type: 'filter', query: { storeId: f.stores.s1.id } } };
    const counted = await preview(body);
    expect(counted).to.deep.include({ matched: 8, issuable: 7, coupons: 7 });
    expect(counted.skipped).to.include({ frozen: 1, stock: 0, perMember: 0, notFound: 0, outOfScope: 0 });

    const { batch, task } = await runBatch(body);
    expect(batch).to.include({ status: 'done', matched: counted.matched, issued: counted.coupons, count: 1 });
    expect(batch.skipped).to.deep.equal(counted.skipped);
    expect(batch.target).to.deep.include({ type: 'filter', size: null });
    expect(task.summary).to.include({ matched: 8, members: 7, coupons: 7 });
    const issued = await batchCoupons(batch.id);
    expect(issued.map((c) => Number(c.member_id))).to.deep.equal(s1Members.slice(0, 7).map((m) => m.id));
    const [events] = await rows("SELECT COUNT(*) AS n FROM coupon_events e JOIN coupons c ON c.id = e.coupon_id WHERE c.source_ref = ? AND e.type = 'issued'", [String(batch.id)]);
    expect(Number(events.n)).to.equal(7);
    const [template] = await rows('SELECT issued_count FROM coupon_templates WHERE id = ?', [templateId]);
    expect(Number(template.issued_count)).to.equal(7);
    const audits = await test.ctx.models.audit.AuditLog.findAll({ where: { entityType: 'coupon_batch', entityId: String(batch.id) }, order: [['id', 'ASC']] });
    expect(audits.map((a) => a.action)).to.deep.equal(['coupon.batch_create', 'coupon.batch_issue']);

    const list = await test.http().get('/api/v1/coupon-batches').query({ templateId }).set(as('root'));
    expect(list.body.items.map((b: { id: number }) => b.id)).to.deep.equal([batch.id]);
  });

  it('issues what is left when the stock runs out in the middle, skipping the rest for stock', async () => {
    const templateId = await createTemplate({ stock: 5 });
    const body = { templateId, target: { type: 'members', ids: s1Members.slice(0, 7).map((m) => m.id) } };
    const counted = await preview(body);
    expect(counted).to.deep.include({ matched: 7, issuable: 5, coupons: 5 });
    expect(counted.skipped.stock).to.equal(2);
    const { batch } = await runBatch(body);
    expect(batch).to.include({ issued: 5, matched: 7 });
    expect(batch.skipped.stock).to.equal(2);
    expect((await batchCoupons(batch.id)).map((c) => Number(c.member_id))).to.deep.equal(s1Members.slice(0, 5).map((m) => m.id));
    const [template] = await rows('SELECT issued_count, stock FROM coupon_templates WHERE id = ?', [templateId]);
    expect([Number(template.issued_count), Number(template.stock)]).to.deep.equal([5, 5]);
    // Nothing left: a preview now counts everyone out of stock.
    expect((await preview(body)).skipped.stock).to.equal(7);
  });

  it('holds each member to the per-member limit, counting coupons they already hold', async () => {
    const templateId = await createTemplate({ perMemberLimit: 2 });
    const [a, b, c] = s1Members;
    const give = async (memberId: number, count: number) =>
      expect((await test.http().post(`/api/v1/coupon-templates/${templateId}/issue`).set(as('root')).send({ memberId, count })).status).to.be.oneOf([200, 201]);
    await give(a.id, 2);
    await give(b.id, 1);
    const body = { templateId, count: 2, target: { type: 'members', ids: [a.id, b.id, c.id] } };
    const counted = await preview(body);
    expect(counted).to.deep.include({ matched: 3, issuable: 2, coupons: 3 });
    expect(counted.skipped.perMember).to.equal(1);
    const { batch } = await runBatch(body);
    expect(batch).to.include({ issued: 3, count: 2 });
    expect((await batchCoupons(batch.id)).map((r) => [Number(r.member_id), Number(r.source_seq)])).to.deep.equal([
      [b.id, 0],
      [c.id, 0],
      [c.id, 1],
    ]);
    const held = await rows('SELECT member_id, COUNT(*) AS n FROM coupons WHERE template_id = ? GROUP BY member_id ORDER BY member_id', [templateId]);
    expect(held.map((r) => Number(r.n))).to.deep.equal([2, 2, 2]);
  });

  it('takes a list of phones and card numbers and reports every value it could not use in a downloadable file', async () => {
    const templateId = await createTemplate();
    const [m1, m2, m3] = s1Members;
    const values = [m1.phone, '13999990000', m2.cardNo, 'not-a-phone', m1.cardNo, s2Members[0].phone, `+86 ${m3.phone.slice(0, 3)} ${m3.phone.slice(3)}`, s1Members[7].phone];
    const body = { templateId, target: { type: 'list', values } };
    const counted = await preview(body, 'manager1');
    expect(counted).to.deep.include({ matched: 4, issuable: 3, coupons: 3 });
    expect(counted.skipped).to.include({ notFound: 1, invalid: 1, duplicate: 1, outOfScope: 1, frozen: 1 });

    const res = await test.http().post('/api/v1/coupon-batches').set(as('manager1')).send(body);
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    expect(res.body.batch.target).to.deep.equal({ type: 'list', size: values.length, query: null });
    await succeededTask(test, f.tokens.manager1, res.body.task.id, 60_000);
    expect((await batchCoupons(res.body.batch.id)).map((c) => Number(c.member_id))).to.deep.equal([m1.id, m2.id, m3.id]);
    const [notIssued, summary] = await readSheets(await taskOutput(test, f.tokens.manager1, res.body.task.id));
    const reasons = Object.fromEntries(notIssued.slice(1).map(([value, reason]) => [value, reason]));
    expect(reasons).to.deep.equal({
      '13999990000': '找不到该会员（或已注销）',
      'not-a-phone': '不是完整的手机号或有效卡号',
      [m1.cardNo]: '重复：同一会员已在名单中',
      [s2Members[0].phone]: '会员不属于您管辖的门店',
      [s1Members[7].phone]: '会员已冻结',
    });
    expect(summary.find(([label]) => label === '发出张数')?.[1]).to.equal('3');
    // The owner downloads it; another user cannot.
    expect((await test.http().get(`/api/v1/tasks/${res.body.task.id}/output`).set(as('root'))).status).to.equal(404);
  });

  it('keeps a store manager to their stores: a filter reaches their members only, other stores read as out of reach', async () => {
    const templateId = await createTemplate();
    const everyone = await preview({ templateId, target: { type: 'filter', query: {} } }, 'manager1');
    expect(everyone).to.deep.include({ matched: 8, issuable: 7 });
    const other = await preview({ templateId, target: { type: 'filter', query: { storeId: f.stores.s2.id } } }, 'manager1');
    expect(other).to.deep.include({ matched: 0, issuable: 0, coupons: 0 });
    const ids = await preview({ templateId, target: { type: 'members', ids: [s1Members[0].id, s2Members[0].id, 99_999_999] } }, 'manager1');
    expect(ids).to.deep.include({ matched: 1, issuable: 1 });
    expect(ids.skipped).to.include({ outOfScope: 1, notFound: 1 });

    const { batch } = await runBatch({ templateId, target: { type: 'filter', query: {} } }, 'manager1');
    const reached = (await batchCoupons(batch.id)).map((c) => Number(c.member_id));
    expect(reached).to.deep.equal(s1Members.slice(0, 7).map((m) => m.id));
    // Batches reach many stores: another store's manager does not see this one.
    expect((await test.http().get(`/api/v1/coupon-batches/${batch.id}`).set(as('manager2'))).status).to.equal(404);
    expect((await test.http().get('/api/v1/coupon-batches').set(as('manager2'))).body.items).to.deep.equal([]);
  });

  it('refuses callers without marketing:coupon:issue, segments (not yet), inactive templates and an oversized list, writing nothing', async () => {
    const templateId = await createTemplate();
    const body = { templateId, target: { type: 'members', ids: [s1Members[0].id] } };
    const before = await rows('SELECT COUNT(*) AS n FROM coupon_batches');
    for (const path of ['/api/v1/coupon-batches/preview', '/api/v1/coupon-batches']) {
      const res = await test.http().post(path).set(as('cashier1')).send(body);
      expect([res.status, res.body.error.code]).to.deep.equal([403, 'FORBIDDEN']);
    }
    const segment = await test.http().post('/api/v1/coupon-batches').set(as('root')).send({ templateId, target: { type: 'segment', segmentId: 3 } });
    expect([segment.status, segment.body.error.code]).to.deep.equal([422, 'COUPON_BATCH_SEGMENT_UNAVAILABLE']);
    expect(segment.body.error.message).to.include('标签与分群');
    const draft = await createTemplate({ status: 'draft' });
    const inactive = await test.http().post('/api/v1/coupon-batches').set(as('root')).send({ ...body, templateId: draft });
    expect([inactive.status, inactive.body.error.code]).to.deep.equal([409, 'COUPON_TEMPLATE_NOT_ACTIVE']);
    const long = Array.from({ length: 10_001 }, (_, i) => `135${String(i).padStart(8, '0')}`);
    const tooLarge = await test.http().post('/api/v1/coupon-batches').set(as('root')).send({ templateId, target: { type: 'list', values: long } });
    expect([tooLarge.status, tooLarge.body.error.code]).to.deep.equal([422, 'VALIDATION_FAILED']);
    expect(await rows('SELECT COUNT(*) AS n FROM coupon_batches')).to.deep.equal(before);
  });

  it('issues nothing twice when a batch runs again: after a crash it issues only what is missing, after success nothing', async () => {
    const { Store } = test.ctx.models.stores;
    const store = await Store.create({ code: 'S900', name: '重试店', region: '上海', address: null, phone: null });
    const now = new Date();
    const total = 1_500;
    for (let from = 0; from < total; from += 500) {
      const values = Array.from({ length: 500 }, (_, j) => [`RT${String(from + j).padStart(7, '0')}`, `重试${from + j}`, store.id, now, '{}', now, now]);
      await test.ctx.sequelize.query(`INSERT INTO members (card_no, name, home_store_id, registered_at, custom, created_at, updated_at) VALUES ${values.map(() => '(?,?,?,?,?,?,?)').join(',')}`, {
        replacements: values.flat(),
      });
    }
    const templateId = await createTemplate({ perMemberLimit: 5 });
    const coupons = test.ctx.services.coupons;
    const batch = await coupons.models.CouponBatch.create({
      templateId,
      target: JSON.stringify({ target: { type: 'filter', query: { storeId: store.id, sort: 'registeredAt', order: 'desc' } }, count: 2 }),
      status: 'queued',
      createdBy: f.users.root.id,
      createdAt: now,
    });
    const root = (await test.ctx.services.auth.principalOf(f.users.root.id))!;
    const crash = new Error('the process died after the first chunk');
    let chunks = 0;
    const failing = { skipped: () => {}, progress: async () => void (chunks++ === 0 && (() => { throw crash; })()) };
    const error = await coupons.batches.execute(root, batch.id, failing).catch((e: Error) => e);
    expect(error).to.equal(crash);
    expect((await batchCoupons(batch.id)).length, 'the first chunk committed').to.equal(2_000);

    const again = await coupons.batches.execute(root, batch.id, { skipped: () => {}, progress: async () => {} });
    expect(again.tally).to.deep.include({ matched: total, issuable: total, coupons: 2 * total });
    const issued = await batchCoupons(batch.id);
    expect(issued.length).to.equal(2 * total);
    expect(new Set(issued.map((c) => `${c.member_id}:${c.source_seq}`)).size, 'each member once per sequence').to.equal(2 * total);

    const third = await coupons.batches.execute(root, batch.id, { skipped: () => {}, progress: async () => {} });
    expect((await batchCoupons(batch.id)).length).to.equal(2 * total);
    expect(third.tally.skipped.perMember).to.equal(0);
    const [template] = await rows('SELECT issued_count FROM coupon_templates WHERE id = ?', [templateId]);
    expect(Number(template.issued_count), 'stock counted once per coupon').to.equal(2 * total);
    const [row] = await rows('SELECT status, issued FROM coupon_batches WHERE id = ?', [batch.id]);
    expect([row.status, Number(row.issued)]).to.deep.equal(['done', 2 * total]);
  });
});
