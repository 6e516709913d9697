import { expect } from 'chai';
import crypto from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { AppError } from '../../server/src/platform/errors/app-error.js';
import type { PricingStep } from '../../server/src/modules/orders/pricing.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { seedAccessFixture, type AccessFixture } from '../support/access.js';
import { TEST_DIALECT } from '../support/database.js';
import { auth, checkout, memberBalances, placed, refund } from '../support/checkout.js';
import { assertPointsInvariants } from '../support/ledger-invariants.js';
import { createMember, phoneSequence } from '../support/members.js';
import { DEFAULT_SETTINGS, fourLevels, getTiers, memberTierRow, publishTiers, spend, tierIds } from '../support/tiers.js';

describe(`tiers: configuration, the checkout's tier step and upgrades (${TEST_DIALECT})`, function () {
  this.timeout(60_000);
  let test: TestApp;
  let f: AccessFixture;
  let ids: Record<string, number>;
  const nextPhone = phoneSequence('1390014');
  const newMember = async () => (await createMember(test, f.tokens.root, { name: '顾客', phone: nextPhone(), homeStoreId: f.stores.s1.id })).id;
  const put = (body: object, token = f.tokens.root) => test.http().put('/api/v1/tiers').set(auth(token)).send(body);
  const fieldsOf = (res: { body: { error: { details: { fields: Array<{ path: string }> } } } }) => res.body.error.details.fields.map((e) => e.path);

  before(async () => {
    test = await startTestApp({ jobs: 'off' });
    f = await seedAccessFixture(test);
  });
  after(() => test.close());

  describe('configuration', () => {
    it('starts with one base level and the default rules', async () => {
      const config = await getTiers(test, f.tokens.cashier1);
      expect(config.tiers).to.have.length(1);
      expect(config.tiers[0]).to.include({ level: 1, name: '普通会员', entryThreshold: 0, retentionThreshold: null, discountRate: 100, pointsMultiplierPct: 100 });
      expect(config.settings).to.deep.equal(DEFAULT_SETTINGS);
    });

    it('refuses a set of levels that breaks a rule, naming each field, and writes nothing', async () => {
      const base = (await getTiers(test, f.tokens.root)).tiers[0].id;
      const cases: Array<[object, string[]]> = [
        [{ tiers: [], settings: DEFAULT_SETTINGS }, ['tiers']],
        [{ tiers: [{ name: '普通', entryThreshold: 100 }], settings: DEFAULT_SETTINGS }, ['tiers.0.entryThreshold']],
        [{ tiers: [{ name: '普通', entryThreshold: 0, retentionThreshold: 10 }], settings: DEFAULT_SETTINGS }, ['tiers.0.retentionThreshold']],
        [{ tiers: [{ name: '普通', entryThreshold: 0 }, { name: '银卡', entryThreshold: 500 }, { name: '金卡', entryThreshold: 500 }], settings: DEFAULT_SETTINGS }, ['tiers.2.entryThreshold']],
        [{ tiers: [{ name: '普通', entryThreshold: 0 }, { name: '银卡', entryThreshold: 500 }, { name: '银卡', entryThreshold: 900 }], settings: DEFAULT_SETTINGS }, ['tiers.2.name']],
        [{ tiers: [{ name: '普通', entryThreshold: 0, discountRate: 0, color: 'gold' }], settings: DEFAULT_SETTINGS }, ['tiers.0.discountRate', 'tiers.0.color']],
        [{ tiers: [{ name: '普通', entryThreshold: 0, level: 2 }], settings: DEFAULT_SETTINGS }, ['tiers.0.level']],
        [{ tiers: [{ name: '普通', entryThreshold: 0 }], settings: { ...DEFAULT_SETTINGS, basis: 'growth', growth: { perYuan: 0, perOrder: 0 } } }, ['settings.growth.perYuan']],
        [{ tiers: [{ name: '普通', entryThreshold: 0 }], settings: { ...DEFAULT_SETTINGS, window: { type: 'rolling', months: 0 } } }, ['settings.window.months']],
      ];
      for (const [body, paths] of cases) {
        const res = await put(body);
        expect(res.status, JSON.stringify(body)).to.equal(422);
        expect(res.body.error.code).to.equal('VALIDATION_FAILED');
        expect(fieldsOf(res), JSON.stringify(body)).to.include.members(paths);
      }
      const unknown = await put({ tiers: [{ id: base, name: '普通', entryThreshold: 0 }, { id: 987_654, name: '银卡', entryThreshold: 100 }], settings: DEFAULT_SETTINGS });
      expect(unknown.status).to.equal(422);
      expect(unknown.body.error.code).to.equal('TIER_RULES_INVALID');
      expect(fieldsOf(unknown)).to.deep.equal(['tiers.1.id']);
      const config = await getTiers(test, f.tokens.root);
      expect(config.tiers.map((t) => t.name)).to.deep.equal(['普通会员']);
    });

    it('publishes levels and rules for those who may, with an audited diff', async () => {
      expect((await put({ tiers: fourLevels(), settings: DEFAULT_SETTINGS }, f.tokens.manager1)).status).to.equal(403);
      expect((await test.http().get('/api/v1/tiers').set(auth(f.tokens.itops1))).status).to.equal(403);
      const base = (await getTiers(test, f.tokens.root)).tiers[0].id;
      const published = await publishTiers(test, f.tokens.root, fourLevels(base));
      expect(published.tiers.map((t) => [t.level, t.name, t.entryThreshold])).to.deep.equal([
        [1, '普通会员', 0],
        [2, '银卡', 100_000],
        [3, '金卡', 500_000],
        [4, '钻石', 2_000_000],
      ]);
      expect(published.tiers[0].id).to.equal(base);
      expect(published.applied.totals).to.include({ up: 0, down: 0 });
      const record = await test.ctx.models.audit.AuditLog.findOne({ where: { action: 'tier.rules.publish' }, order: [['id', 'DESC']] });
      expect(record!.summary).to.include('普通会员 < 银卡 < 金卡 < 钻石');
      const diff = JSON.parse(record!.diff!) as { changes: Array<{ field: string; before: unknown; after: { name: string } | null }> };
      expect(diff.changes.filter((d) => d.before === null).map((d) => d.after!.name)).to.have.members(['银卡', '金卡', '钻石']);
      ids = await tierIds(test, f.tokens.root);
    });
  });

  describe('the checkout', () => {
    it('gives no tier price to a walk-in customer or a base member', async () => {
      const memberId = await newMember();
      const res = await test.http().post('/api/v1/orders/preview').set(auth(f.tokens.cashier1)).send({ memberId, storeId: f.stores.s1.id, items: [{ sku: 'A', name: 'A', quantity: 1, unitPrice: 10_000 }], payments: [{ method: 'cash', amount: 10_000 }] });
      expect(res.body).to.include({ discount: 0, payable: 10_000 });
      expect(res.body.steps).to.deep.equal([]);
    });

    it('upgrades in the order that crosses the threshold, then prices the next order at the tier and earns ×1.5', async () => {
      const memberId = await newMember();
      await spend(test, f.tokens.cashier1, f.stores.s1.id, memberId, 300_000);
      expect((await memberTierRow(test, memberId)).tierId).to.equal(ids['银卡']);
      const crossing = await spend(test, f.tokens.cashier1, f.stores.s1.id, memberId, 210_000);
      // 银卡 9.8折 on ¥2,100 is ¥2,058: the member's ¥5,058 crosses 金卡's ¥5,000 in this very order.
      expect(crossing).to.include({ payable: 205_800 });
      const { row, tierId } = await memberTierRow(test, memberId);
      expect(tierId).to.equal(ids['金卡']);
      expect(row).to.deep.include({ tierId: ids['金卡'], manual: false });
      expect(row!.reviewAt!.getTime()).to.be.greaterThan(Date.now() + 364 * 86_400_000);
      const history = await test.ctx.services.tiers.models.TierHistory.findAll({ where: { memberId }, order: [['id', 'ASC']] });
      expect(history.map((h) => [h.reason, h.direction, h.fromTierId, h.toTierId])).to.deep.equal([
        ['order', 'up', ids['普通会员'], ids['银卡']],
        ['order', 'up', ids['银卡'], ids['金卡']],
      ]);
      expect(history[1]).to.deep.include({ orderId: crossing.id, metric: 505_800, threshold: 500_000, basis: 'spend' });
      const events = await test.ctx.sequelize.query<{ payload: string }>(`SELECT payload FROM domain_events WHERE type = 'tier.changed' AND member_id = ${memberId} ORDER BY id`, { type: QueryTypes.SELECT });
      expect(JSON.parse(events[1].payload)).to.include({ fromTier: '银卡', toTier: '金卡', reason: 'order', orderId: crossing.id });
      const audit = await test.ctx.models.audit.AuditLog.findOne({ where: { action: 'tier.change', entityId: String(memberId) }, order: [['id', 'DESC']] });
      expect(audit!.summary).to.include('银卡 → 金卡').and.include('¥5,058.00').and.include(crossing.orderNo);

      const items = [
        { sku: 'A', name: '精华', quantity: 1, unitPrice: 12_345 },
        { sku: 'B', name: '面膜', quantity: 2, unitPrice: 3_000 },
      ];
      const preview = await test.http().post('/api/v1/orders/preview').set(auth(f.tokens.cashier1)).send({ memberId, storeId: f.stores.s1.id, items, payments: [{ method: 'cash', amount: 17_428 }] });
      // 18,345 at 9.5折 = 17,427.75 -> 17,428 paid, 917 off, spread over the lines by what each costs.
      expect(preview.body).to.include({ amount: 18_345, discount: 917, payable: 17_428 });
      expect(preview.body.steps).to.deep.equal([{ step: 'tier', reference: String(ids['金卡']), label: '金卡 9.5折', amount: 917 }]);
      expect(preview.body.items.map((l: { discount: number }) => l.discount)).to.deep.equal([617, 300]);
      expect(preview.body.pointsEarned).to.equal(261);
      const order = await placed(test, f.tokens.cashier1, { memberId, storeId: f.stores.s1.id, items, payments: [{ method: 'cash', amount: 17_428 }] });
      expect(order).to.include({ discount: 917, payable: 17_428, pointsEarned: 261 });
      await assertPointsInvariants(test.ctx.sequelize, memberId);
    });

    it('leaves the tier as it was when the checkout that would upgrade fails after the tier step', async () => {
      const memberId = await newMember();
      await spend(test, f.tokens.cashier1, f.stores.s1.id, memberId, 90_000);
      const pricing = test.ctx.services.orders.pricing;
      const original = pricing.registered().find((s) => s.name === 'coupon');
      // A later step refusing in `placed` (a coupon another till used a moment ago) rolls the order back.
      const refusing: PricingStep = {
        name: 'coupon',
        price: async () => [],
        placed: async () => {
          throw new AppError('COUPON_NOT_FOUND', { params: { code: 'X' } });
        },
      };
      pricing.register(refusing);
      const before = await memberBalances(test, memberId);
      const historyBefore = await test.ctx.services.tiers.models.TierHistory.count({ where: { memberId } });
      try {
        const res = await checkout(test, f.tokens.cashier1, { memberId, storeId: f.stores.s1.id, items: [{ sku: 'A', name: 'A', quantity: 1, unitPrice: 20_000 }], payments: [{ method: 'cash', amount: 20_000 }] }, crypto.randomUUID());
        expect(res.status).to.equal(422);
      } finally {
        if (original) pricing.register(original);
        else (pricing as unknown as { steps: Map<string, PricingStep> }).steps.delete('coupon');
      }
      expect((await memberTierRow(test, memberId)).tierId).to.equal(null);
      expect(await test.ctx.services.tiers.models.TierHistory.count({ where: { memberId } })).to.equal(historyBefore);
      expect(await memberBalances(test, memberId)).to.deep.equal(before);
      // The same sale goes through once nothing refuses it, and upgrades then.
      await spend(test, f.tokens.cashier1, f.stores.s1.id, memberId, 20_000);
      expect((await memberTierRow(test, memberId)).tierId).to.equal(ids['银卡']);
    });

    it('counts an order another till placed a moment earlier: two sales at once that together cross the threshold upgrade', async () => {
      const memberId = await newMember();
      const sale = () => checkout(test, f.tokens.cashier1, { memberId, storeId: f.stores.s1.id, items: [{ sku: 'A', name: 'A', quantity: 1, unitPrice: 60_000 }], payments: [{ method: 'cash', amount: 60_000 }] });
      const results = await Promise.all([sale(), sale()]);
      expect(results.map((r) => r.status)).to.deep.equal([201, 201]);
      expect((await memberTierRow(test, memberId)).tierId).to.equal(ids['银卡']);
      const [upgrade] = await test.ctx.services.tiers.models.TierHistory.findAll({ where: { memberId } });
      expect(upgrade).to.deep.include({ reason: 'order', metric: 120_000 });
    });

    it('moves the member back down when the order that alone earned the level is refunded', async () => {
      const memberId = await newMember();
      await spend(test, f.tokens.cashier1, f.stores.s1.id, memberId, 150_000);
      const big = await spend(test, f.tokens.cashier1, f.stores.s1.id, memberId, 400_000);
      expect((await memberTierRow(test, memberId)).tierId).to.equal(ids['金卡']);
      const res = await refund(test, f.tokens.manager1, big.id, { reason: '退货' });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect((await memberTierRow(test, memberId)).tierId).to.equal(ids['银卡']);
      const last = await test.ctx.services.tiers.models.TierHistory.findOne({ where: { memberId }, order: [['id', 'DESC']] });
      expect(last).to.deep.include({ reason: 'refund', direction: 'down', fromTierId: ids['金卡'], toTierId: ids['银卡'], orderId: big.id, metric: 150_000, threshold: 500_000 });
    });

    it('answers the member list filter by tier from the mirrored column, and counts members per level within reach', async () => {
      const res = await test.http().get('/api/v1/members').query({ tierId: ids['金卡'] }).set(auth(f.tokens.root));
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.items.length).to.equal(1);
      const config = await getTiers(test, f.tokens.root);
      expect(config.tiers.find((t) => t.name === '金卡')!.memberCount).to.equal(1);
      // Another store's cashier counts only the members of their store.
      const other = await getTiers(test, f.tokens.cashier2);
      expect(other.tiers.map((t) => t.memberCount)).to.deep.equal([0, 0, 0, 0]);
    });
  });
});
