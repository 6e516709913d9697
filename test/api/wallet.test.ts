import { expect } from 'chai';
import { QueryTypes, type Transaction } from 'sequelize';
import { withTransaction } from '../../server/src/platform/db/transaction.js';
import type { Principal } from '../../server/src/platform/http/route.js';
import type { SpendOrder } from '../../server/src/modules/wallet/settings.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { seedAccessFixture, type AccessFixture } from '../support/access.js';
import { TEST_DIALECT } from '../support/database.js';
import { assertAllPointsInvariants, assertAllWalletInvariants } from '../support/ledger-invariants.js';

describe(`wallet: plans, top-ups, refunds, PIN (${TEST_DIALECT})`, function () {
  this.timeout(60_000);
  let test: TestApp;
  let f: AccessFixture;
  let phoneSeq = 0;
  const as = (name: keyof AccessFixture['tokens']) => ({ Authorization: `Bearer ${f.tokens[name]}` });
  const wallet = () => test.ctx.services.wallet;

  /** A member of store 1 (manager1's and cashier1's). */
  const newMember = async () => {
    const res = await test.http().post('/api/v1/members').set(as('manager1')).send({ name: '储值会员', phone: `1390013${String(++phoneSeq).padStart(4, '0')}` });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body.id as number;
  };
  const topUp = async (memberId: number, body: Record<string, unknown>, who: keyof AccessFixture['tokens'] = 'cashier1') => {
    const res = await test.http().post(`/api/v1/members/${memberId}/wallet/topups`).set(as(who)).send({ payMethod: 'cash', ...body });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body as { id: number; topupNo: string; storeId: number; principal: number; bonus: number; points: number; wallet: { principal: number; bonus: number }; pointsBalance: number };
  };
  const setSettings = async (patch: Record<string, unknown>) => {
    const current = (await test.http().get('/api/v1/loyalty/wallet-settings').set(as('root'))).body as Record<string, unknown>;
    const res = await test.http().put('/api/v1/loyalty/wallet-settings').set(as('root')).send({ ...current, ...patch });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
  };
  const spend = (memberId: number, amount: number, order: SpendOrder = 'proportional') =>
    withTransaction(test.ctx.sequelize, async (t: Transaction) => {
      const member = await test.ctx.models.members.Member.findByPk(memberId, { transaction: t, lock: t.LOCK.UPDATE });
      const parts = await wallet().ledger.spend(member!, amount, order, { kind: 'spend', sourceType: 'order', sourceId: 1, storeId: f.stores.s1.id, operatorId: null }, t);
      await member!.save({ transaction: t });
      return parts;
    });
  const member = (id: number) => test.ctx.models.members.Member.findByPk(id);
  const createPlan = async (body: Record<string, unknown>) => {
    const res = await test.http().post('/api/v1/wallet/plans').set(as('root')).send(body);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body as { id: number; name: string; amount: number; bonus: number; points: number; status: string };
  };

  before(async () => {
    test = await startTestApp({ jobs: 'off' });
    f = await seedAccessFixture(test);
  });
  after(() => test.close());
  afterEach(async () => {
    await assertAllWalletInvariants(test.ctx.sequelize);
    await assertAllPointsInvariants(test.ctx.sequelize);
  });

  describe('settings', () => {
    it('reads the defaults, saves a change with an audited diff, and refuses a minimum above the maximum', async () => {
      const read = await test.http().get('/api/v1/loyalty/wallet-settings').set(as('manager1'));
      expect(read.status).to.equal(200);
      expect(read.body).to.deep.equal({ spendOrder: 'proportional', customBonusMaxPercent: 0, pin: { maxAttempts: 5, lockMinutes: 15 }, minTopup: 100, maxTopup: 10_000_000 });
      const saved = await test.http().put('/api/v1/loyalty/wallet-settings').set(as('root')).send({ ...read.body, spendOrder: 'bonus_first', minTopup: 500 });
      expect(saved.status, JSON.stringify(saved.body)).to.equal(200);
      expect(saved.body).to.include({ spendOrder: 'bonus_first', minTopup: 500 });
      const record = await test.ctx.models.audit.AuditLog.findOne({ where: { action: 'wallet.settings.update' }, order: [['id', 'DESC']] });
      expect(JSON.parse(record!.diff!)).to.deep.equal([
        { field: 'spendOrder', before: 'proportional', after: 'bonus_first' },
        { field: 'minTopup', before: 100, after: 500 },
      ]);
      const bad = await test.http().put('/api/v1/loyalty/wallet-settings').set(as('root')).send({ ...read.body, minTopup: 2000, maxTopup: 1000 });
      expect(bad.status).to.equal(422);
      expect(bad.body.error.details.fields[0].path).to.equal('maxTopup');
      const unknown = await test.http().put('/api/v1/loyalty/wallet-settings').set(as('root')).send({ ...read.body, spendOrder: 'newest_first' });
      expect(unknown.status).to.equal(422);
      expect((await test.http().put('/api/v1/loyalty/wallet-settings').set(as('manager1')).send(read.body)).status).to.equal(403);
      await setSettings(read.body);
    });
  });

  describe('plans', () => {
    it('creates, lists in order, changes and retires a plan, auditing each, never deleting it', async () => {
      const big = await createPlan({ name: '充 5000 送 800', amount: 500_000, bonus: 80_000, points: 500, sortOrder: 2 });
      const small = await createPlan({ name: '充 1000 送 100', amount: 100_000, bonus: 10_000, points: 0, sortOrder: 1 });
      expect(big).to.include({ amount: 500_000, bonus: 80_000, points: 500, status: 'active' });
      const list = await test.http().get('/api/v1/wallet/plans').set(as('cashier1'));
      const names = list.body.items.map((p: { name: string }) => p.name);
      expect(names.indexOf(small.name)).to.be.below(names.indexOf(big.name));

      const changed = await test.http().patch(`/api/v1/wallet/plans/${small.id}`).set(as('root')).send({ bonus: 12_000, name: '充 1000 送 120' });
      expect(changed.body).to.include({ bonus: 12_000, name: '充 1000 送 120', amount: 100_000 });
      const retired = await test.http().patch(`/api/v1/wallet/plans/${small.id}`).set(as('root')).send({ status: 'retired' });
      expect(retired.body.status).to.equal('retired');
      const active = await test.http().get('/api/v1/wallet/plans').query({ status: 'active' }).set(as('cashier1'));
      expect(active.body.items.map((p: { id: number }) => p.id)).to.not.include(small.id);
      const everything = await test.http().get('/api/v1/wallet/plans').set(as('cashier1'));
      expect(everything.body.items.map((p: { id: number }) => p.id)).to.include(small.id);

      const records = await test.ctx.models.audit.AuditLog.findAll({ where: { entityType: 'wallet_plan', entityId: String(small.id) }, order: [['id', 'ASC']] });
      expect(records.map((r) => r.action)).to.deep.equal(['wallet.plan.create', 'wallet.plan.update', 'wallet.plan.update']);
      expect(JSON.parse(records[1].diff!)).to.deep.include({ field: 'bonus', before: 10_000, after: 12_000 });
      expect(records[2].summary).to.include('停用');
    });

    it('lets the amount change only until a top-up used the plan', async () => {
      const plan = await createPlan({ name: '充 300', amount: 30_000, bonus: 0, points: 0 });
      const moved = await test.http().patch(`/api/v1/wallet/plans/${plan.id}`).set(as('root')).send({ amount: 40_000 });
      expect(moved.body.amount).to.equal(40_000);
      await topUp(await newMember(), { amount: 40_000, planId: plan.id });
      const refused = await test.http().patch(`/api/v1/wallet/plans/${plan.id}`).set(as('root')).send({ amount: 50_000 });
      expect(refused.status).to.equal(409);
      expect(refused.body.error.code).to.equal('TOPUP_PLAN_IN_USE');
      expect((await test.ctx.services.wallet.models.WalletPlan.findByPk(plan.id))!.amount).to.equal(40_000);
    });

    it('refuses bad plans, unknown ones and callers without the right', async () => {
      for (const body of [{ name: '', amount: 100, bonus: 0, points: 0 }, { name: 'x', amount: 0, bonus: 0, points: 0 }, { name: 'x', amount: 100, bonus: -1, points: 0 }, { name: 'x', amount: 100.5, bonus: 0, points: 0 }, { name: 'x', amount: 100, bonus: 0 }]) {
        const res = await test.http().post('/api/v1/wallet/plans').set(as('root')).send(body);
        expect(res.status, JSON.stringify(body)).to.equal(422);
      }
      expect((await test.http().patch('/api/v1/wallet/plans/999999').set(as('root')).send({ bonus: 1 })).body.error.code).to.equal('TOPUP_PLAN_NOT_FOUND');
      expect((await test.http().post('/api/v1/wallet/plans').set(as('manager1')).send({ name: 'x', amount: 100, bonus: 0, points: 0 })).status).to.equal(403);
    });
  });

  describe('top-ups', () => {
    it('tops up by plan: the plan gives the bonus and the points, one ledger row, audited, with an event', async () => {
      const plan = await createPlan({ name: '充 500 送 80', amount: 50_000, bonus: 8_000, points: 50 });
      const memberId = await newMember();
      const res = await topUp(memberId, { amount: 50_000, planId: plan.id, payMethod: 'wechat', reason: '开卡' });
      expect(res).to.include({ memberId, storeId: f.stores.s1.id, planId: plan.id, payMethod: 'wechat', principal: 50_000, bonus: 8_000, points: 50, principalRemaining: 50_000, bonusRemaining: 8_000, status: 'active', pointsBalance: 50 });
      expect(res.wallet).to.deep.equal({ principal: 50_000, bonus: 8_000 });
      expect(res.topupNo).to.match(/^T20\d{6}\d{6}$/);
      const row = await member(memberId);
      expect([row!.walletPrincipal, row!.walletBonus, row!.storedValueBalance, row!.pointsBalance]).to.deep.equal([50_000, 8_000, 58_000, 50]);

      const ledger = await test.http().get(`/api/v1/members/${memberId}/wallet/ledger`).set(as('cashier1'));
      expect(ledger.body.items).to.have.length(1);
      expect(ledger.body.items[0]).to.include({ kind: 'topup', sourceType: 'topup', sourceId: res.id, topupId: res.id, principalDelta: 50_000, bonusDelta: 8_000, principalAfter: 50_000, bonusAfter: 8_000, storeId: f.stores.s1.id, topupStoreId: f.stores.s1.id, operatorId: f.users.cashier1.id, reason: '开卡' });
      const points = await test.ctx.services.points.ledger.partsOf('topup_bonus', 'topup', [res.id]);
      expect(points.map((p) => p.points)).to.deep.equal([50]);

      const record = await test.ctx.models.audit.AuditLog.findOne({ where: { action: 'wallet.topup', entityId: String(res.id) } });
      expect(record?.storeId).to.equal(f.stores.s1.id);
      expect(record?.summary).to.include(res.topupNo);
      const events = await test.ctx.sequelize.query<{ payload: string; member_id: number | string }>("SELECT payload, member_id FROM domain_events WHERE type = 'wallet.topped_up' AND entity_id = ?", {
        replacements: [String(res.id)],
        type: QueryTypes.SELECT,
      });
      expect(events).to.have.length(1);
      expect(Number(events[0].member_id)).to.equal(memberId);
      expect(JSON.parse(events[0].payload)).to.include({ principal: 50_000, bonus: 8_000, points: 50, planId: plan.id });
    });

    it('refuses a plan amount or bonus that differs from the plan, and a retired plan', async () => {
      const plan = await createPlan({ name: '充 200 送 20', amount: 20_000, bonus: 2_000, points: 0 });
      const memberId = await newMember();
      const send = (body: Record<string, unknown>) => test.http().post(`/api/v1/members/${memberId}/wallet/topups`).set(as('cashier1')).send({ payMethod: 'cash', planId: plan.id, ...body });
      const amount = await send({ amount: 20_001 });
      expect([amount.status, amount.body.error.code]).to.deep.equal([422, 'TOPUP_PLAN_MISMATCH']);
      const bonus = await send({ amount: 20_000, bonus: 5_000 });
      expect([bonus.status, bonus.body.error.code]).to.deep.equal([422, 'TOPUP_PLAN_BONUS_MISMATCH']);
      expect((await send({ amount: 20_000, bonus: 2_000 })).status).to.equal(201);
      await test.http().patch(`/api/v1/wallet/plans/${plan.id}`).set(as('root')).send({ status: 'retired' });
      const retired = await send({ amount: 20_000 });
      expect([retired.status, retired.body.error.code]).to.deep.equal([404, 'TOPUP_PLAN_NOT_FOUND']);
      expect((await member(memberId))!.walletPrincipal).to.equal(20_000);
    });

    it('caps the bonus of a custom top-up at the set share of its amount', async () => {
      const memberId = await newMember();
      const none = await test.http().post(`/api/v1/members/${memberId}/wallet/topups`).set(as('cashier1')).send({ amount: 10_000, bonus: 1, payMethod: 'cash' });
      expect([none.status, none.body.error.code]).to.deep.equal([422, 'TOPUP_BONUS_ABOVE_CAP']);
      await setSettings({ customBonusMaxPercent: 10 });
      const over = await test.http().post(`/api/v1/members/${memberId}/wallet/topups`).set(as('cashier1')).send({ amount: 10_000, bonus: 1_001, payMethod: 'cash' });
      expect([over.status, over.body.error.details.max]).to.deep.equal([422, 1_000]);
      const ok = await topUp(memberId, { amount: 10_000, bonus: 1_000 });
      expect(ok).to.include({ principal: 10_000, bonus: 1_000, points: 0, planId: null });
      await setSettings({ customBonusMaxPercent: 0 });
    });

    it('refuses bad input with 422 and writes nothing', async () => {
      const memberId = await newMember();
      const before = await wallet().models.WalletTopup.count();
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ amount: 0, payMethod: 'cash' }, 'amount'],
        [{ amount: -100, payMethod: 'cash' }, 'amount'],
        [{ amount: 100.5, payMethod: 'cash' }, 'amount'],
        [{ amount: '100', payMethod: 'cash' }, 'amount'],
        [{ amount: 1000 }, 'payMethod'],
        [{ amount: 1000, payMethod: 'bitcoin' }, 'payMethod'],
        [{ amount: 1000, payMethod: 'cash', bonus: -1 }, 'bonus'],
        [{ amount: 1000, payMethod: 'cash', principal: 1000 }, 'principal'],
      ];
      for (const [body, path] of cases) {
        const res = await test.http().post(`/api/v1/members/${memberId}/wallet/topups`).set(as('cashier1')).send(body);
        expect(res.status, JSON.stringify(body)).to.equal(422);
        expect(res.body.error.details.fields.map((e: { path: string }) => e.path), JSON.stringify(body)).to.include(path);
      }
      for (const amount of [99, 10_000_001]) {
        const res = await test.http().post(`/api/v1/members/${memberId}/wallet/topups`).set(as('cashier1')).send({ amount, payMethod: 'cash' });
        expect([res.status, res.body.error.code]).to.deep.equal([422, 'TOPUP_AMOUNT_OUT_OF_RANGE']);
      }
      expect(await wallet().models.WalletTopup.count()).to.equal(before);
      expect((await member(memberId))!.storedValueBalance).to.equal(0);
    });

    it("answers another store's cashier as if the member did not exist, and refuses a store outside the caller's scope", async () => {
      const memberId = await newMember();
      const other = await test.http().post(`/api/v1/members/${memberId}/wallet/topups`).set(as('cashier2')).send({ amount: 1000, payMethod: 'cash' });
      const missing = await test.http().post('/api/v1/members/99999999/wallet/topups').set(as('cashier2')).send({ amount: 1000, payMethod: 'cash' });
      expect(other.status).to.equal(404);
      expect(other.body.error.code).to.equal(missing.body.error.code);
      for (const path of ['wallet', 'wallet/topups', 'wallet/ledger']) {
        expect((await test.http().get(`/api/v1/members/${memberId}/${path}`).set(as('cashier2'))).status, path).to.equal(404);
      }
      const elsewhere = await test.http().post(`/api/v1/members/${memberId}/wallet/topups`).set(as('cashier1')).send({ amount: 1000, payMethod: 'cash', storeId: f.stores.s2.id });
      expect([elsewhere.status, elsewhere.body.error.code]).to.deep.equal([404, 'STORE_NOT_FOUND']);
      // An all-stores caller may book a top-up to another store than the member's home store.
      const booked = await topUp(memberId, { amount: 1000, storeId: f.stores.s2.id }, 'root');
      expect(booked.storeId).to.equal(f.stores.s2.id);
    });

    it('refuses money into a frozen card', async () => {
      const memberId = await newMember();
      await test.http().post(`/api/v1/members/${memberId}/freeze`).set(as('manager1')).send({ reason: '挂失' }).expect(200);
      const res = await test.http().post(`/api/v1/members/${memberId}/wallet/topups`).set(as('cashier1')).send({ amount: 1000, payMethod: 'cash' });
      expect([res.status, res.body.error.code]).to.deep.equal([422, 'MEMBER_FROZEN']);
      expect(await wallet().models.WalletTopup.count({ where: { memberId } })).to.equal(0);
    });

    it('applies an Idempotency-Key once: the same request replays, another body is refused, an API key must send one', async () => {
      const memberId = await newMember();
      const send = (body: Record<string, unknown>, key?: string, auth: Record<string, string> = as('cashier1')) => {
        const req = test.http().post(`/api/v1/members/${memberId}/wallet/topups`).set(auth);
        return (key ? req.set('Idempotency-Key', key) : req).send(body);
      };
      const first = await send({ amount: 3000, payMethod: 'alipay' }, 'till-7-0001');
      const again = await send({ payMethod: 'alipay', amount: 3000 }, 'till-7-0001');
      expect(first.status).to.equal(201);
      expect(again.status).to.equal(201);
      expect(again.body).to.deep.equal(first.body);
      expect(again.headers['idempotent-replayed']).to.equal('true');
      expect(await wallet().models.WalletTopup.count({ where: { memberId } })).to.equal(1);
      const reused = await send({ amount: 4000, payMethod: 'alipay' }, 'till-7-0001');
      expect([reused.status, reused.body.error.code]).to.deep.equal([409, 'IDEMPOTENCY_KEY_REUSED']);

      const key = await test.http().post('/api/v1/api-keys').set(as('root')).send({ name: 'POS', scopes: ['loyalty:wallet:topup'] });
      expect(key.status, JSON.stringify(key.body)).to.equal(201);
      const api = { Authorization: `Bearer ${key.body.secret}` };
      const keyless = await send({ amount: 3000, payMethod: 'card' }, undefined, api);
      expect([keyless.status, keyless.body.error.code]).to.deep.equal([400, 'IDEMPOTENCY_KEY_REQUIRED']);
      const [a, b] = await Promise.all([send({ amount: 3000, payMethod: 'card' }, 'pos-1', api), send({ amount: 3000, payMethod: 'card' }, 'pos-1', api)]);
      expect([a.status, b.status]).to.deep.equal([201, 201]);
      expect(a.body.id).to.equal(b.body.id);
      expect(await wallet().models.WalletTopup.count({ where: { memberId } })).to.equal(2);
      expect((await member(memberId))!.walletPrincipal).to.equal(6000);
    });

    it('lists top-ups newest first and pages the ledger with a cursor', async () => {
      const memberId = await newMember();
      const ids = [];
      for (const amount of [1000, 2000, 3000]) ids.push((await topUp(memberId, { amount })).id);
      const topups = await test.http().get(`/api/v1/members/${memberId}/wallet/topups`).set(as('cashier1'));
      expect(topups.body.items.map((t: { id: number }) => t.id)).to.deep.equal([...ids].reverse());
      const first = await test.http().get(`/api/v1/members/${memberId}/wallet/ledger`).query({ limit: 2 }).set(as('cashier1'));
      expect(first.body.items.map((r: { principalDelta: number }) => r.principalDelta)).to.deep.equal([3000, 2000]);
      expect(first.body.nextCursor).to.be.a('string');
      const second = await test.http().get(`/api/v1/members/${memberId}/wallet/ledger`).query({ limit: 2, cursor: first.body.nextCursor }).set(as('cashier1'));
      expect(second.body.items.map((r: { principalDelta: number; principalAfter: number }) => [r.principalDelta, r.principalAfter])).to.deep.equal([[1000, 1000]]);
      expect(second.body.nextCursor).to.equal(null);
      expect((await test.http().get(`/api/v1/members/${memberId}/wallet/ledger`).query({ cursor: 'abc' }).set(as('cashier1'))).status).to.equal(422);
      const summary = await test.http().get(`/api/v1/members/${memberId}/wallet`).set(as('cashier1'));
      expect(summary.body).to.include({ principal: 6000, bonus: 0, total: 6000, pinSet: false, pinLockedUntil: null });
      expect(summary.body.topups.map((t: { id: number }) => t.id)).to.deep.equal(ids);
    });
  });

  describe('top-up refunds', () => {
    const refund = (topupId: number, body: Record<string, unknown>, who: keyof AccessFixture['tokens'] = 'manager1') =>
      test.http().post(`/api/v1/wallet/topups/${topupId}/refunds`).set(as(who)).send({ reason: '顾客要求退款', ...body });
    let plan: { id: number };
    before(async () => {
      plan = await createPlan({ name: '充 5000 送 800 积分 500', amount: 500_000, bonus: 80_000, points: 500 });
    });

    it('returns all the unspent principal by default, voids all its bonus and takes back all its points', async () => {
      const memberId = await newMember();
      const topup = await topUp(memberId, { amount: 500_000, planId: plan.id });
      const res = await refund(topup.id, {});
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body).to.deep.include({ refundedPrincipal: 500_000, voidedBonus: 80_000, pointsTakenBack: 500 });
      expect(res.body.topup).to.include({ principalRemaining: 0, bonusRemaining: 0, refundedPrincipal: 500_000, voidedBonus: 80_000, status: 'refunded' });
      const row = await member(memberId);
      expect([row!.walletPrincipal, row!.walletBonus, row!.storedValueBalance, row!.pointsBalance]).to.deep.equal([0, 0, 0, 0]);
      const [last] = (await test.http().get(`/api/v1/members/${memberId}/wallet/ledger`).set(as('manager1'))).body.items;
      expect(last).to.include({ kind: 'topup_refund', sourceType: 'topup_refund', sourceId: topup.id, principalDelta: -500_000, bonusDelta: -80_000, principalAfter: 0, bonusAfter: 0 });
      const record = await test.ctx.models.audit.AuditLog.findOne({ where: { action: 'wallet.topup_refund', entityId: String(topup.id) } });
      expect(record?.summary).to.include('顾客要求退款');
      const again = await refund(topup.id, {});
      expect([again.status, again.body.error.code]).to.deep.equal([409, 'TOPUP_NOTHING_LEFT']);
    });

    it('refunds part: bonus and points go in proportion, and more than is left is refused with what is left', async () => {
      const memberId = await newMember();
      const topup = await topUp(memberId, { amount: 500_000, planId: plan.id });
      const first = await refund(topup.id, { amount: 100_000 });
      // bonus: round(80,000 * 100,000 / 500,000) = 16,000; points: round(500 * 100,000 / 500,000) = 100
      expect(first.body).to.deep.include({ refundedPrincipal: 100_000, voidedBonus: 16_000, pointsTakenBack: 100 });
      expect(first.body.topup).to.include({ principalRemaining: 400_000, bonusRemaining: 64_000, status: 'partially_refunded' });
      const over = await refund(topup.id, { amount: 400_001 });
      expect([over.status, over.body.error.code, over.body.error.details.left]).to.deep.equal([422, 'TOPUP_REFUND_EXCEEDS', 400_000]);
      // 33,333 of 400,000: bonus round(64,000 * 33,333 / 400,000) = round(5,333.28) = 5,333;
      // points: round(500 * 133,333 / 500,000) - 100 = 133 - 100 = 33
      const second = await refund(topup.id, { amount: 33_333 });
      expect(second.body).to.deep.include({ refundedPrincipal: 33_333, voidedBonus: 5_333, pointsTakenBack: 33 });
      const rest = await refund(topup.id, {});
      expect(rest.body).to.deep.include({ refundedPrincipal: 366_667, voidedBonus: 58_667, pointsTakenBack: 367 });
      expect(rest.body.topup.status).to.equal('refunded');
      expect((await member(memberId))!.pointsBalance).to.equal(0);
    });

    it('after a spend, returns only what is left of that top-up and its bonus in proportion to it', async () => {
      await setSettings({ customBonusMaxPercent: 10 });
      const memberId = await newMember();
      const topup = await topUp(memberId, { amount: 10_000, bonus: 1_000 });
      // proportional: bonus round(5,500 * 1,000 / 11,000) = 500, principal 5,000
      expect(await spend(memberId, 5_500)).to.deep.equal([{ topupId: topup.id, principal: 5_000, bonus: 500 }]);
      const partial = await refund(topup.id, { amount: 2_000 });
      // round(500 * 2,000 / 5,000) = 200
      expect(partial.body).to.deep.include({ refundedPrincipal: 2_000, voidedBonus: 200, pointsTakenBack: 0 });
      const rest = await refund(topup.id, {});
      expect(rest.body).to.deep.include({ refundedPrincipal: 3_000, voidedBonus: 300 });
      expect(rest.body.topup).to.include({ principalRemaining: 0, bonusRemaining: 0, refundedPrincipal: 5_000, voidedBonus: 500, status: 'refunded' });
      const row = await member(memberId);
      expect([row!.walletPrincipal, row!.walletBonus]).to.deep.equal([0, 0]);
      await setSettings({ customBonusMaxPercent: 0 });
    });

    it('never voids more bonus than is left when the principal refunded is most of what remains', async () => {
      await setSettings({ customBonusMaxPercent: 10, spendOrder: 'bonus_first' });
      const memberId = await newMember();
      const topup = await topUp(memberId, { amount: 1_000, bonus: 100 });
      await spend(memberId, 99, 'bonus_first');
      // bonus left 1, principal 1,000: refunding 999 voids min(1, round(1 * 999 / 1,000)) = 1
      const res = await refund(topup.id, { amount: 999 });
      expect(res.body).to.deep.include({ refundedPrincipal: 999, voidedBonus: 1 });
      expect(res.body.topup).to.include({ principalRemaining: 1, bonusRemaining: 0, status: 'partially_refunded' });
      await setSettings({ customBonusMaxPercent: 0, spendOrder: 'proportional' });
    });

    it('refunds a frozen member, answers another store as a missing top-up, and needs the refund right', async () => {
      const memberId = await newMember();
      const topup = await topUp(memberId, { amount: 5_000 });
      const missing = await refund(99_999_999, {});
      const other = await refund(topup.id, {}, 'manager2');
      expect([other.status, other.body.error.code]).to.deep.equal([404, missing.body.error.code]);
      expect(missing.body.error.code).to.equal('TOPUP_NOT_FOUND');
      expect((await refund(topup.id, {}, 'cashier1')).status).to.equal(403);
      expect((await refund(topup.id, { reason: '' })).status).to.equal(422);
      await test.http().post(`/api/v1/members/${memberId}/freeze`).set(as('manager1')).send({ reason: '挂失' }).expect(200);
      const res = await refund(topup.id, {});
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body.refundedPrincipal).to.equal(5_000);
    });

    it('applies a refund once per Idempotency-Key', async () => {
      const memberId = await newMember();
      const topup = await topUp(memberId, { amount: 5_000 });
      const a = await test.http().post(`/api/v1/wallet/topups/${topup.id}/refunds`).set(as('manager1')).set('Idempotency-Key', 'refund-1').send({ amount: 1_000, reason: 'x' });
      const b = await test.http().post(`/api/v1/wallet/topups/${topup.id}/refunds`).set(as('manager1')).set('Idempotency-Key', 'refund-1').send({ amount: 1_000, reason: 'x' });
      expect([a.status, b.status]).to.deep.equal([201, 201]);
      expect(b.body).to.deep.equal(a.body);
      expect((await member(memberId))!.walletPrincipal).to.equal(4_000);
    });
  });

  describe('payment PIN', () => {
    const apiCaller = (): Principal => ({
      kind: 'api_key',
      userId: f.users.root.id,
      username: 'root1/POS',
      sessionId: null,
      apiKeyId: 1,
      roles: ['super_admin'],
      permissions: new Set(['*']),
      storeScope: null,
      ownMembersOnly: false,
      fieldPolicies: [],
      mustChangePassword: false,
    });
    const verify = (memberId: number, pin: string | undefined) => wallet().pins.verifyPaymentPin(apiCaller(), memberId, pin);
    const refusal = async (promise: Promise<unknown>) => {
      try {
        await promise;
      } catch (error) {
        return error as { code: string; details?: Record<string, unknown> };
      }
      throw new Error('expected a refusal');
    };

    it('keeps only a hash, audits without the PIN, and refuses a PIN that is not 6 digits', async () => {
      const memberId = await newMember();
      expect((await test.http().put(`/api/v1/members/${memberId}/wallet/pin`).set(as('cashier1')).send({ pin: '12345' })).status).to.equal(422);
      expect((await test.http().put(`/api/v1/members/${memberId}/wallet/pin`).set(as('cashier1')).send({ pin: '12345a' })).status).to.equal(422);
      expect((await test.http().put(`/api/v1/members/${memberId}/wallet/pin`).set(as('cashier1')).send({ pin: '246810' })).status).to.equal(204);
      const row = await member(memberId);
      expect(row!.walletPinHash).to.match(/^\$argon2id\$/);
      const records = await test.ctx.models.audit.AuditLog.findAll({ where: { action: 'wallet.pin.set', entityId: String(memberId) } });
      expect(records).to.have.length(1);
      expect(JSON.stringify(records[0].get())).to.not.include('246810');
      const shown = await test.http().get(`/api/v1/members/${memberId}`).set(as('manager1'));
      expect(JSON.stringify(shown.body)).to.not.include('argon2');
      expect((await test.http().get(`/api/v1/members/${memberId}/wallet`).set(as('cashier1'))).body.pinSet).to.equal(true);
      expect((await test.http().put(`/api/v1/members/${memberId}/wallet/pin`).set(as('cashier2')).send({ pin: '246810' })).status).to.equal(404);
    });

    it('asks an API caller for the PIN, counts wrong tries even though the checkout fails, locks after five, and a right PIN clears the count', async () => {
      const memberId = await newMember();
      await test.http().put(`/api/v1/members/${memberId}/wallet/pin`).set(as('cashier1')).send({ pin: '135790' }).expect(204);
      expect((await refusal(verify(memberId, undefined))).code).to.equal('PAYMENT_PIN_REQUIRED');
      const wrong = await refusal(verify(memberId, '000000'));
      expect([wrong.code, wrong.details?.left]).to.deep.equal(['PAYMENT_PIN_WRONG', 4]);
      expect((await member(memberId))!.walletPinFailures).to.equal(1);
      await verify(memberId, '135790');
      expect((await member(memberId))!.walletPinFailures).to.equal(0);

      for (const left of [4, 3, 2, 1]) expect((await refusal(verify(memberId, '111111'))).details?.left).to.equal(left);
      const locked = await refusal(verify(memberId, '111111'));
      expect(locked.code).to.equal('PAYMENT_PIN_LOCKED');
      const until = new Date(locked.details!.until as string).getTime();
      expect(until - Date.now()).to.be.within(14 * 60_000, 15 * 60_000 + 1000);
      // Locked means locked: the right PIN waits too.
      expect((await refusal(verify(memberId, '135790'))).code).to.equal('PAYMENT_PIN_LOCKED');
      const summary = await test.http().get(`/api/v1/members/${memberId}/wallet`).set(as('cashier1'));
      expect(summary.body.pinLockedUntil).to.equal(new Date(until).toISOString());
      expect(await test.ctx.models.audit.AuditLog.count({ where: { action: 'wallet.pin.locked', entityId: String(memberId) } })).to.equal(1);

      await test.ctx.models.members.Member.update({ walletPinLockedUntil: new Date(Date.now() - 1000) }, { where: { id: memberId } });
      await verify(memberId, '135790');
      const row = await member(memberId);
      expect([row!.walletPinFailures, row!.walletPinLockedUntil]).to.deep.equal([0, null]);
    });

    it('lets staff and members without a PIN through, and refuses to run inside an open transaction', async () => {
      const memberId = await newMember();
      await verify(memberId, undefined);
      await test.http().put(`/api/v1/members/${memberId}/wallet/pin`).set(as('cashier1')).send({ pin: '135790' }).expect(204);
      await wallet().pins.verifyPaymentPin({ ...apiCaller(), kind: 'user', apiKeyId: null }, memberId, undefined);
      let thrown: unknown;
      await withTransaction(test.ctx.sequelize, async () => {
        thrown = await verify(memberId, '135790').catch((error: unknown) => error);
      });
      expect(String(thrown)).to.include('before the checkout opens its transaction');
      await test.http().delete(`/api/v1/members/${memberId}/wallet/pin`).set(as('cashier1')).expect(204);
      await verify(memberId, undefined);
      expect(await test.ctx.models.audit.AuditLog.count({ where: { action: 'wallet.pin.clear', entityId: String(memberId) } })).to.equal(1);
    });
  });
});
