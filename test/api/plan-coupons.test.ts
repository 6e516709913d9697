import { expect } from 'chai';
import crypto from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { startTestApp, type TestApp } from '../support/app.js';
import { seedAccessFixture, type AccessFixture } from '../support/access.js';
import { placed } from '../support/checkout.js';
import { createCouponTemplate } from '../support/coupons.js';
import { TEST_DIALECT } from '../support/database.js';
import { assertAllWalletInvariants } from '../support/ledger-invariants.js';
import { createMember, phoneSequence } from '../support/members.js';

type Row = Record<string, string | number | null>;

/**
 * Top-up plans that give coupons (充值送券): issued in the top-up's transaction, once per
 * top-up however often the request is replayed, and voided (the unused ones) when the
 * top-up is refunded.
 */
describe(`wallet: coupons on top-up plans (${TEST_DIALECT})`, function () {
  this.timeout(90_000);
  let test: TestApp;
  let f: AccessFixture;
  type Who = keyof AccessFixture['tokens'];
  const as = (who: Who) => ({ Authorization: `Bearer ${f.tokens[who]}` });
  const rows = (sql: string, replacements: unknown[] = []) => test.ctx.sequelize.query<Row>(sql, { replacements, type: QueryTypes.SELECT });
  const couponsOf = (topupId: number) => rows("SELECT id, code, status, member_id, store_id, source_seq FROM coupons WHERE source = 'topup' AND source_ref = ? ORDER BY source_seq", [String(topupId)]);

  const nextPhone = phoneSequence('1370099');
  const newMember = async () => (await createMember(test, f.tokens.manager1, { name: '充值送券', phone: nextPhone() })).id;
  const createTemplate = async (body: Record<string, unknown> = {}) =>
    (await createCouponTemplate(test, f.tokens.root, { name: '充值礼 10 元券', kind: 'voucher', amountOff: 1_000, validDays: 90, ...body })).id;
  const createPlan = async (body: Record<string, unknown>) => {
    const res = await test.http().post('/api/v1/wallet/plans').set(as('root')).send({ name: '充 500 送 2 张券', amount: 50_000, bonus: 0, points: 0, ...body });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body as { id: number; couponTemplateId: number | null; couponCount: number };
  };
  const topUp = (memberId: number, planId: number, key: string) =>
    test.http().post(`/api/v1/members/${memberId}/wallet/topups`).set(as('cashier1')).set('Idempotency-Key', key).send({ amount: 50_000, planId, payMethod: 'cash' });

  before(async () => {
    test = await startTestApp({ jobs: 'off' });
    f = await seedAccessFixture(test);
  });
  after(() => test.close());
  afterEach(() => assertAllWalletInvariants(test.ctx.sequelize));

  it('issues the plan’s coupons with the top-up, once however often the same Idempotency-Key is replayed', async () => {
    const templateId = await createTemplate();
    const plan = await createPlan({ couponTemplateId: templateId, couponCount: 2 });
    expect(plan).to.include({ couponTemplateId: templateId, couponCount: 2 });
    const memberId = await newMember();
    const key = crypto.randomUUID();
    const first = await topUp(memberId, plan.id, key);
    expect(first.status, JSON.stringify(first.body)).to.equal(201);
    expect(first.body).to.include({ couponsIssued: 2, planId: plan.id });
    const coupons = await couponsOf(first.body.id);
    expect(coupons.map((c) => [Number(c.member_id), c.status, Number(c.store_id), Number(c.source_seq)])).to.deep.equal([
      [memberId, 'available', f.stores.s1.id, 0],
      [memberId, 'available', f.stores.s1.id, 1],
    ]);
    const [template] = await rows('SELECT issued_count FROM coupon_templates WHERE id = ?', [templateId]);
    expect(Number(template.issued_count)).to.equal(2);
    const audit = await test.ctx.models.audit.AuditLog.findOne({ where: { action: 'wallet.topup', entityId: String(first.body.id) } });
    expect(audit!.summary).to.include('2 张券');

    const replay = await topUp(memberId, plan.id, key);
    expect(replay.status).to.equal(201);
    expect(replay.body).to.deep.equal(first.body);
    expect(await couponsOf(first.body.id)).to.have.length(2);
    const [all] = await rows('SELECT COUNT(*) AS n FROM coupons WHERE member_id = ?', [memberId]);
    expect(Number(all.n)).to.equal(2);
  });

  it('voids the unused coupons when the top-up is refunded; a used one stays used', async () => {
    const templateId = await createTemplate({ name: '退款测试券' });
    const plan = await createPlan({ name: '充 500 送 3 张', couponTemplateId: templateId, couponCount: 3 });
    const memberId = await newMember();
    const topup = await topUp(memberId, plan.id, crypto.randomUUID());
    expect(topup.status, JSON.stringify(topup.body)).to.equal(201);
    const [used] = await couponsOf(topup.body.id);
    await placed(test, f.tokens.cashier1, {
      memberId,
      storeId: f.stores.s1.id,
      items: [{ sku: 'TEA', name: '花茶', quantity: 1, unitPrice: 5_000 }],
      couponCodes: [String(used.code)],
      payments: [{ method: 'cash', amount: 4_000 }],
    });

    const refund = await test.http().post(`/api/v1/wallet/topups/${topup.body.id}/refunds`).set(as('manager1')).set('Idempotency-Key', crypto.randomUUID()).send({ reason: '顾客退卡' });
    expect(refund.status, JSON.stringify(refund.body)).to.equal(201);
    expect(refund.body).to.include({ refundedPrincipal: 50_000, couponsVoided: 2 });
    const after = await couponsOf(topup.body.id);
    expect(after.map((c) => c.status)).to.deep.equal(['used', 'voided', 'voided']);
    const events = await rows("SELECT e.type, e.reason FROM coupon_events e JOIN coupons c ON c.id = e.coupon_id WHERE c.source_ref = ? AND c.source = 'topup' AND e.type = 'voided'", [String(topup.body.id)]);
    expect(events).to.have.length(2);
    expect(String(events[0].reason)).to.include('顾客退卡');
    const audit = await test.ctx.models.audit.AuditLog.findOne({ where: { action: 'wallet.topup_refund', entityId: String(topup.body.id) } });
    expect(audit!.summary).to.include('作废 2 张赠券');
  });

  it('refuses a top-up whose plan template was paused since, writing nothing', async () => {
    const templateId = await createTemplate({ name: '会暂停的券' });
    const plan = await createPlan({ name: '充 500 送 1 张', couponTemplateId: templateId, couponCount: 1 });
    const paused = await test.http().patch(`/api/v1/coupon-templates/${templateId}`).set(as('root')).send({ status: 'paused' });
    expect(paused.status, JSON.stringify(paused.body)).to.equal(200);
    const memberId = await newMember();
    const before = await rows('SELECT COUNT(*) AS n FROM wallet_topups');
    const res = await topUp(memberId, plan.id, crypto.randomUUID());
    expect([res.status, res.body.error.code]).to.deep.equal([409, 'COUPON_TEMPLATE_NOT_ACTIVE']);
    expect(await rows('SELECT COUNT(*) AS n FROM wallet_topups')).to.deep.equal(before);
    const member = await test.ctx.models.members.Member.findByPk(memberId);
    expect([member!.walletPrincipal, member!.walletBonus]).to.deep.equal([0, 0]);
  });

  it('checks a plan’s coupons when it is saved: a template with a count of 1 or more, active, or none at all', async () => {
    const active = await createTemplate({ name: '方案校验券' });
    const draft = await createTemplate({ name: '草稿券', status: 'draft' });
    const send = (body: Record<string, unknown>) => test.http().post('/api/v1/wallet/plans').set(as('root')).send({ name: '校验', amount: 10_000, bonus: 0, points: 0, ...body });
    const noCount = await send({ couponTemplateId: active, couponCount: 0 });
    expect([noCount.status, noCount.body.error.code]).to.deep.equal([422, 'VALIDATION_FAILED']);
    const noTemplate = await send({ couponCount: 2 });
    expect([noTemplate.status, noTemplate.body.error.details.fields[0].path]).to.deep.equal([422, 'couponTemplateId']);
    expect((await send({ couponTemplateId: draft, couponCount: 1 })).body.error.code).to.equal('COUPON_TEMPLATE_NOT_ACTIVE');
    expect((await send({ couponTemplateId: 999_999, couponCount: 1 })).body.error.code).to.equal('COUPON_TEMPLATE_NOT_FOUND');

    const plan = await createPlan({ name: '后加券', amount: 20_000 });
    expect(plan).to.include({ couponTemplateId: null, couponCount: 0 });
    const added = await test.http().patch(`/api/v1/wallet/plans/${plan.id}`).set(as('root')).send({ couponTemplateId: active, couponCount: 1 });
    expect(added.status, JSON.stringify(added.body)).to.equal(200);
    expect(added.body).to.include({ couponTemplateId: active, couponCount: 1 });
    const removed = await test.http().patch(`/api/v1/wallet/plans/${plan.id}`).set(as('root')).send({ couponTemplateId: null });
    expect(removed.body).to.include({ couponTemplateId: null, couponCount: 0 });
    const audits = await test.ctx.models.audit.AuditLog.findAll({ where: { entityType: 'wallet_plan', entityId: String(plan.id), action: 'wallet.plan.update' } });
    expect(audits.map((a) => JSON.parse(a.diff!).map((d: { field: string }) => d.field).sort())).to.deep.equal([
      ['couponCount', 'couponTemplateId'],
      ['couponCount', 'couponTemplateId'],
    ]);
  });
});
