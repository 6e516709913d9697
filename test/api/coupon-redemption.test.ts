import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { startTestApp, type TestApp } from '../support/app.js';
import { seedAccessFixture, type AccessFixture } from '../support/access.js';
import { createCouponTemplate } from '../support/coupons.js';
import { TEST_DIALECT } from '../support/database.js';
import { auth, checkout, givePoints, memberBalances, placed, refund, topUp, type OrderBodyInput } from '../support/checkout.js';
import { assertPointsInvariants, assertWalletInvariants } from '../support/ledger-invariants.js';
import { createMember, phoneSequence } from '../support/members.js';

type Row = Record<string, string | number | null>;

/**
 * Coupons at the real checkout: every kind, every refusal, stacking, a coupon used at most
 * once (a punch card at most N times) under parallel checkouts, and uses given back by
 * refunds. Templates and coupons come from the coupons API as a store would make them.
 */
describe(`coupons at the checkout (${TEST_DIALECT})`, function () {
  this.timeout(180_000);
  let test: TestApp;
  let f: AccessFixture;
  let s1: number;

  const rows = (sql: string, replacements: unknown[] = []) => test.ctx.sequelize.query<Row>(sql, { replacements, type: QueryTypes.SELECT });
  const nextPhone = phoneSequence('1370013');
  const newMember = async () => (await createMember(test, f.tokens.root, { name: '券客', phone: nextPhone(), homeStoreId: s1 })).id;
  const createTemplate = async (body: Record<string, unknown>) =>
    (await createCouponTemplate(test, f.tokens.root, { name: '满200减30', kind: 'full_reduction', amountOff: 3_000, threshold: 20_000, stackGroup: null, ...body })).id;
  const issue = async (templateId: number, memberId: number, count = 1): Promise<string[]> => {
    const res = await test.http().post(`/api/v1/coupon-templates/${templateId}/issue`).set(auth(f.tokens.root)).send({ memberId, count });
    expect(res.status, JSON.stringify(res.body)).to.be.oneOf([200, 201]);
    return res.body.items.map((c: { code: string }) => c.code);
  };
  const couponOf = async (code: string) => (await rows('SELECT id, status, uses_left, uses_total FROM coupons WHERE code = ?', [code]))[0];
  const eventsOf = async (code: string) => (await rows('SELECT e.type, e.order_id, e.refund_id, e.reason FROM coupon_events e JOIN coupons c ON c.id = e.coupon_id WHERE c.code = ? ORDER BY e.id', [code])).map((e) => e.type);
  const redemptionsOf = (code: string) => rows('SELECT r.order_id, r.line_no, r.uses, r.amount, r.status, r.returned_refund_id FROM coupon_redemptions r JOIN coupons c ON c.id = r.coupon_id WHERE c.code = ? ORDER BY r.id', [code]);
  const count = async (table: string) => Number((await rows(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
  const writes = async () => Object.fromEntries(await Promise.all(['orders', 'coupon_redemptions', 'coupon_events', 'domain_events', 'point_ledger', 'wallet_ledger'].map(async (t) => [t, await count(t)])));
  const usesLeft = async () => rows('SELECT id, status, uses_left FROM coupons ORDER BY id');

  const serum = { sku: 'SERUM', name: '精华液', quantity: 1, unitPrice: 15_000, category: '护肤' };
  const tea = { sku: 'TEA', name: '花茶', quantity: 1, unitPrice: 10_000, category: '食品' };
  const sale = (memberId: number, items: OrderBodyInput['items'], couponCodes: string[], paid: number, extra: Partial<OrderBodyInput> = {}): OrderBodyInput => ({
    memberId,
    storeId: s1,
    items,
    couponCodes,
    payments: paid > 0 ? [{ method: 'cash', amount: paid }] : [],
    ...extra,
  });
  const refusal = async (body: OrderBodyInput) => {
    const before = await writes();
    const coupons = await usesLeft();
    const res = await checkout(test, f.tokens.cashier1, body);
    expect(res.status, JSON.stringify(res.body)).to.equal(422);
    expect(await writes(), 'nothing written').to.deep.equal(before);
    expect(await usesLeft(), 'no coupon touched').to.deep.equal(coupons);
    return res.body.error as { code: string; message: string; params?: Record<string, unknown> };
  };

  before(async () => {
    test = await startTestApp({ jobs: 'off' });
    f = await seedAccessFixture(test);
    s1 = f.stores.s1.id;
  });
  after(() => test.close());

  describe('each kind', () => {
    it('满减: takes its amount over the lines, marks the coupon used, and records the redemption, an event and a domain event', async () => {
      const memberId = await newMember();
      const [code] = await issue(await createTemplate({}), memberId);
      const order = await placed(test, f.tokens.cashier1, sale(memberId, [serum, tea], [code], 22_000));
      expect(order).to.include({ amount: 25_000, discount: 3_000, payable: 22_000 });
      expect(order.discounts).to.deep.equal([{ step: 'coupon', reference: code, label: `满200减30（券 ${code.slice(0, 4)}…）`, amount: 3_000 }]);
      expect((order.items as Array<{ discount: number }>).map((i) => i.discount)).to.deep.equal([1_800, 1_200]);
      expect(await couponOf(code)).to.deep.include({ status: 'used', uses_left: 0 });
      expect((await redemptionsOf(code)).map((r) => ({ ...r, order_id: Number(r.order_id), amount: Number(r.amount) }))).to.deep.equal([
        { order_id: order.id, line_no: null, uses: 1, amount: 3_000, status: 'applied', returned_refund_id: null },
      ]);
      expect(await eventsOf(code)).to.deep.equal(['issued', 'redeemed']);
      const [event] = await rows("SELECT payload FROM domain_events WHERE type = 'coupon.redeemed' AND member_id = ?", [memberId]);
      expect(JSON.parse(String(event.payload))).to.include({ code, orderId: order.id, uses: 1, amount: 3_000 });
    });

    it('代金券 and 折扣 (with its cap) take their amounts; 兑换 frees one unit of its item', async () => {
      const memberId = await newMember();
      const [voucher] = await issue(await createTemplate({ name: '20元券', kind: 'voucher', amountOff: 2_000, threshold: null }), memberId);
      expect(await placed(test, f.tokens.cashier1, sale(memberId, [tea], [voucher], 8_000))).to.include({ discount: 2_000, payable: 8_000 });
      const [rate] = await issue(await createTemplate({ name: '8.5折', kind: 'discount', amountOff: null, threshold: null, discountRate: 85, maxOff: 1_000 }), memberId);
      expect(await placed(test, f.tokens.cashier1, sale(memberId, [{ ...tea, unitPrice: 9_999 }], [rate], 8_999))).to.include({ discount: 1_000 });
      const [latte] = await issue(await createTemplate({ name: '拿铁兑换', kind: 'exchange', amountOff: null, threshold: null, itemSku: 'LATTE', itemName: '拿铁' }), memberId);
      const order = await placed(test, f.tokens.cashier1, sale(memberId, [{ sku: 'LATTE', name: '拿铁', quantity: 2, unitPrice: 2_800 }, tea], [latte], 12_800));
      expect(order).to.include({ discount: 2_800, payable: 12_800 });
      expect((await redemptionsOf(latte))[0]).to.include({ line_no: 1, uses: 1 });
    });

    it('次卡: takes as many units of its service as the line has, leaving the rest of its uses', async () => {
      const memberId = await newMember();
      const [card] = await issue(await createTemplate({ name: '洗剪吹10次', kind: 'punch', amountOff: null, threshold: null, itemSku: 'CUT', itemName: '洗剪吹', punchUses: 10 }), memberId);
      const order = await placed(test, f.tokens.cashier1, sale(memberId, [{ sku: 'CUT', name: '洗剪吹', quantity: 2, unitPrice: 8_000 }], [card], 0));
      expect(order).to.include({ discount: 16_000, payable: 0 });
      expect(await couponOf(card)).to.deep.include({ status: 'available', uses_left: 8, uses_total: 10 });
      expect((await redemptionsOf(card))[0]).to.include({ line_no: 1, uses: 2 });
    });
  });

  describe('refusals, each naming the coupon and writing nothing', () => {
    let memberId: number;
    before(async () => {
      memberId = await newMember();
    });

    it('an unknown code, a code entered twice, another member’s coupon, a walk-in with a coupon', async () => {
      expect((await refusal(sale(memberId, [serum, tea], ['23456789ABCD'], 22_000))).code).to.equal('COUPON_NOT_FOUND');
      const [code] = await issue(await createTemplate({}), memberId);
      expect((await refusal(sale(memberId, [serum, tea], [code, code.toLowerCase()], 22_000))).code).to.equal('COUPON_DUPLICATE');
      const other = await newMember();
      const error = await refusal(sale(other, [serum, tea], [code], 22_000));
      expect(error.code).to.equal('COUPON_NOT_OWNED');
      expect(error.message).to.include(code);
      expect((await refusal(sale(null as unknown as number, [serum, tea], [code], 22_000))).code).to.equal('COUPON_NOT_OWNED');
    });

    it('a used, a voided, an expired and a not yet valid coupon', async () => {
      const templateId = await createTemplate({});
      const [used, voided, expired] = await issue(templateId, memberId, 3);
      await placed(test, f.tokens.cashier1, sale(memberId, [serum, tea], [used], 22_000));
      expect((await refusal(sale(memberId, [serum, tea], [used], 22_000))).code).to.equal('COUPON_USED');
      const coupon = await couponOf(voided);
      const voiding = await test.http().post(`/api/v1/coupons/${coupon.id}/void`).set(auth(f.tokens.root)).send({ reason: '顾客要求' });
      expect(voiding.status, JSON.stringify(voiding.body)).to.equal(200);
      expect((await refusal(sale(memberId, [serum, tea], [voided], 22_000))).code).to.equal('COUPON_VOIDED');
      await test.ctx.sequelize.query('UPDATE coupons SET valid_until = ? WHERE code = ?', { replacements: [new Date(Date.now() - 60_000), expired] });
      const late = await refusal(sale(memberId, [serum, tea], [expired], 22_000));
      expect(late.code).to.equal('COUPON_EXPIRED');
      expect(late.message).to.match(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
      const future = new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10);
      const [early] = await issue(await createTemplate({ validityType: 'fixed', validDays: null, validFrom: future, validUntil: future }), memberId);
      const notYet = await refusal(sale(memberId, [serum, tea], [early], 22_000));
      expect(notYet.code).to.equal('COUPON_NOT_STARTED');
      expect(notYet.message).to.include(future);
    });

    it('a paused campaign, another store, another channel, points with a coupon that refuses them', async () => {
      const pausedId = await createTemplate({});
      const [paused] = await issue(pausedId, memberId);
      const patch = await test.http().patch(`/api/v1/coupon-templates/${pausedId}`).set(auth(f.tokens.root)).send({ status: 'paused' });
      expect(patch.status, JSON.stringify(patch.body)).to.equal(200);
      expect((await refusal(sale(memberId, [serum, tea], [paused], 22_000))).code).to.equal('COUPON_PAUSED');
      const [elsewhere] = await issue(await createTemplate({ storeIds: [f.stores.s2.id] }), memberId);
      expect((await refusal(sale(memberId, [serum, tea], [elsewhere], 22_000))).code).to.equal('COUPON_WRONG_STORE');
      const [online] = await issue(await createTemplate({ channels: ['mini_program'] }), memberId);
      const channel = await refusal(sale(memberId, [serum, tea], [online], 22_000));
      expect(channel.code).to.equal('COUPON_WRONG_CHANNEL');
      expect(channel.message).to.include('mini_program');
      await placed(test, f.tokens.cashier1, sale(memberId, [serum, tea], [online], 22_000, { channel: 'mini_program' }));
      await givePoints(test, f.tokens.root, memberId, 10_000);
      const [noPoints] = await issue(await createTemplate({ withPoints: false }), memberId);
      const withPoints = sale(memberId, [serum, tea], [noPoints], 0, { payments: [{ method: 'points', amount: 1_000 }, { method: 'cash', amount: 21_000 }] });
      expect((await refusal(withPoints)).code).to.equal('COUPON_NOT_WITH_POINTS');
    });

    it('a threshold not met, no eligible item, the exchanged item missing', async () => {
      const [code] = await issue(await createTemplate({ categories: ['护肤'] }), memberId);
      const short = await refusal(sale(memberId, [serum, tea], [code], 22_000));
      expect(short.code).to.equal('COUPON_THRESHOLD_NOT_MET');
      expect(short.message).to.include('¥200.00').and.include('¥150.00').and.include('¥50.00');
      const [scoped] = await issue(await createTemplate({ kind: 'voucher', threshold: null, skus: ['WINE'] }), memberId);
      expect((await refusal(sale(memberId, [serum, tea], [scoped], 22_000))).code).to.equal('COUPON_NO_ELIGIBLE_ITEMS');
      const [latte] = await issue(await createTemplate({ kind: 'exchange', amountOff: null, threshold: null, itemSku: 'LATTE', itemName: '拿铁' }), memberId);
      const missing = await refusal(sale(memberId, [serum, tea], [latte], 25_000));
      expect(missing.code).to.equal('COUPON_ITEM_NOT_IN_ORDER');
      expect(missing.message).to.include('拿铁');
    });
  });

  describe('stacking through the checkout', () => {
    it('combines coupons of one group, refuses an exclusive one or another group, and holds each template to its maximum', async () => {
      const memberId = await newMember();
      const voucher = (name: string, stackGroup: string | null, maxPerOrder = 1) => createTemplate({ name, kind: 'voucher', amountOff: 1_000, threshold: null, stackGroup, maxPerOrder });
      const [a1] = await issue(await voucher('A组一', 'A'), memberId);
      const [a2] = await issue(await voucher('A组二', 'A'), memberId);
      const [b] = await issue(await voucher('B组', 'B'), memberId);
      const [e] = await issue(await voucher('独享', null), memberId);
      const twice = await issue(await voucher('A组限一', 'A'), memberId, 2);
      const pair = await issue(await voucher('A组限二', 'A', 2), memberId, 2);

      const exclusive = await refusal(sale(memberId, [serum, tea], [a1, e], 23_000));
      expect(exclusive.code).to.equal('COUPON_NOT_STACKABLE');
      expect(exclusive.message).to.include(e).and.include(a1).and.include('独享').and.include('A组一');
      const groups = await refusal(sale(memberId, [serum, tea], [a1, b], 23_000));
      expect(groups.code).to.equal('COUPON_NOT_STACKABLE');
      const tooMany = await refusal(sale(memberId, [serum, tea], twice, 23_000));
      expect(tooMany.code).to.equal('COUPON_TOO_MANY');
      expect(tooMany.message).to.include('A组限一').and.include('1');

      const order = await placed(test, f.tokens.cashier1, sale(memberId, [serum, tea], [a1, a2, ...pair], 21_000));
      expect((order.discounts as Array<{ reference: string }>).map((d) => d.reference).sort()).to.deep.equal([a1, a2, ...pair].sort());
      expect(order).to.include({ discount: 4_000, payable: 21_000 });
    });
  });

  describe('concurrency', () => {
    it('lets exactly one of 20 parallel checkouts use a coupon; the rest are COUPON_USED and the ledgers hold', async () => {
      const memberId = await newMember();
      await topUp(test, f.tokens.root, memberId, 500_000);
      const [code] = await issue(await createTemplate({}), memberId);
      const body = sale(memberId, [serum, tea], [code], 0, { payments: [{ method: 'wallet', amount: 22_000 }] });
      const results = await Promise.all(Array.from({ length: 20 }, () => checkout(test, f.tokens.cashier1, body)));
      const ok = results.filter((r) => r.status === 201);
      expect(ok, JSON.stringify(results.find((r) => r.status !== 201 && r.status !== 422)?.body)).to.have.length(1);
      expect(results.filter((r) => r.status === 422).map((r) => r.body.error.code)).to.deep.equal(Array(19).fill('COUPON_USED'));
      expect(await couponOf(code)).to.deep.include({ status: 'used', uses_left: 0 });
      expect(await redemptionsOf(code)).to.have.length(1);
      expect(await memberBalances(test, memberId)).to.include({ principal: 478_000, totalSpent: 22_000 });
      await assertWalletInvariants(test.ctx.sequelize, memberId);
      await assertPointsInvariants(test.ctx.sequelize, memberId);
    });

    it('lets a 5-use punch card pay for exactly 5 of 8 parallel visits', async () => {
      const memberId = await newMember();
      const [card] = await issue(await createTemplate({ name: '洗剪吹5次', kind: 'punch', amountOff: null, threshold: null, itemSku: 'CUT', itemName: '洗剪吹', punchUses: 5 }), memberId);
      const body = sale(memberId, [{ sku: 'CUT', name: '洗剪吹', quantity: 1, unitPrice: 8_000 }], [card], 0);
      const results = await Promise.all(Array.from({ length: 8 }, () => checkout(test, f.tokens.cashier1, body)));
      expect(results.filter((r) => r.status === 201)).to.have.length(5);
      expect(results.filter((r) => r.status === 422).every((r) => r.body.error.code === 'COUPON_USED')).to.equal(true);
      expect(await couponOf(card)).to.deep.include({ status: 'used', uses_left: 0 });
      expect((await redemptionsOf(card)).map((r) => r.uses)).to.deep.equal([1, 1, 1, 1, 1]);
    });
  });

  describe('refunds', () => {
    it('gives a punch card its uses back with the units of its line: use 2 of 10, refund one unit -> 9 left', async () => {
      const memberId = await newMember();
      const [card] = await issue(await createTemplate({ name: '洗剪吹10次', kind: 'punch', amountOff: null, threshold: null, itemSku: 'CUT', itemName: '洗剪吹', punchUses: 10 }), memberId);
      const order = await placed(test, f.tokens.cashier1, sale(memberId, [{ sku: 'CUT', name: '洗剪吹', quantity: 2, unitPrice: 8_000 }, tea], [card], 10_000));
      expect(await couponOf(card)).to.deep.include({ uses_left: 8 });
      const one = await refund(test, f.tokens.manager1, order.id, { lines: [{ lineNo: 1, quantity: 1 }] });
      expect(one.status, JSON.stringify(one.body)).to.equal(201);
      expect(await couponOf(card)).to.deep.include({ status: 'available', uses_left: 9 });
      expect((await redemptionsOf(card))[0]).to.include({ status: 'applied', uses: 2 });
      const tea_ = await refund(test, f.tokens.manager1, order.id, { lines: [{ lineNo: 2, quantity: 1 }] });
      expect(tea_.status).to.equal(201);
      expect(await couponOf(card)).to.deep.include({ uses_left: 9 });
      // The money is all back; the last punched visit comes back by its line, for nothing.
      expect(tea_.body.order.status).to.equal('partially_refunded');
      const rest = await refund(test, f.tokens.manager1, order.id, { lines: [{ lineNo: 1, quantity: 1 }] });
      expect(rest.status, JSON.stringify(rest.body)).to.equal(201);
      expect(await couponOf(card)).to.deep.include({ status: 'available', uses_left: 10 });
      const [redemption] = await redemptionsOf(card);
      expect(redemption).to.include({ status: 'returned' });
      expect(Number(redemption.returned_refund_id)).to.equal(rest.body.refund.id);
      expect(rest.body.refund.amount).to.equal(0);
      expect(rest.body.order.status).to.equal('refunded');
      expect(await eventsOf(card)).to.deep.equal(['issued', 'redeemed', 'returned', 'returned']);
    });

    it('returns a 满减 coupon when the order is refunded in full, not on a partial refund, and never one past its validity', async () => {
      const memberId = await newMember();
      const templateId = await createTemplate({});
      const [kept, late] = await issue(templateId, memberId, 2);
      const order = await placed(test, f.tokens.cashier1, sale(memberId, [serum, tea], [kept], 22_000));
      const partial = await refund(test, f.tokens.manager1, order.id, { lines: [{ lineNo: 2, quantity: 1 }] });
      expect(partial.status, JSON.stringify(partial.body)).to.equal(201);
      expect(await couponOf(kept)).to.deep.include({ status: 'used', uses_left: 0 });
      const full = await refund(test, f.tokens.manager1, order.id, {});
      expect(full.status).to.equal(201);
      expect(await couponOf(kept)).to.deep.include({ status: 'available', uses_left: 1 });
      expect((await redemptionsOf(kept))[0]).to.include({ status: 'returned' });
      expect(await eventsOf(kept)).to.deep.equal(['issued', 'redeemed', 'returned']);
      // Usable again.
      await placed(test, f.tokens.cashier1, sale(memberId, [serum, tea], [kept], 22_000));

      const second = await placed(test, f.tokens.cashier1, sale(memberId, [serum, tea], [late], 22_000));
      await test.ctx.sequelize.query('UPDATE coupons SET valid_until = ? WHERE code = ?', { replacements: [new Date(Date.now() - 60_000), late] });
      expect((await refund(test, f.tokens.manager1, second.id, {})).status).to.equal(201);
      expect(await couponOf(late)).to.deep.include({ status: 'used', uses_left: 0 });
      expect((await redemptionsOf(late))[0]).to.include({ status: 'applied' });
      expect(await eventsOf(late)).to.deep.equal(['issued', 'redeemed', 'return_expired']);
    });
  });

  describe('with the tier price', () => {
    const baseDiscount = async (discountRate: number) => {
      const current = await test.http().get('/api/v1/tiers').set(auth(f.tokens.root));
      expect(current.status, JSON.stringify(current.body)).to.equal(200);
      const res = await test.http().put('/api/v1/tiers').set(auth(f.tokens.root)).send({ tiers: [{ name: '普通会员', entryThreshold: 0, discountRate }], settings: current.body.settings });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
    };
    before(() => baseDiscount(90));
    after(() => baseDiscount(100));

    it('prices coupons after the tier price, or instead of it when the coupon does not combine with it', async () => {
      const memberId = await newMember();
      const [withTier] = await issue(await createTemplate({ name: '可叠加会员价' }), memberId);
      const [withoutTier] = await issue(await createTemplate({ name: '不与会员价同享', withTierDiscount: false }), memberId);
      // 25,000 at 9折 = 22,500, still above 200 yuan: both discounts.
      const both = await placed(test, f.tokens.cashier1, sale(memberId, [serum, tea], [withTier], 19_500));
      expect((both.discounts as Array<{ step: string; amount: number }>).map((d) => [d.step, d.amount])).to.deep.equal([['tier', 2_500], ['coupon', 3_000]]);
      // The coupon alone on the full price.
      const alone = await placed(test, f.tokens.cashier1, sale(memberId, [serum, tea], [withoutTier], 22_000));
      expect((alone.discounts as Array<{ step: string; amount: number }>).map((d) => [d.step, d.amount])).to.deep.equal([['coupon', 3_000]]);
      // 21,000 at 9折 = 18,900: below the threshold only when the tier price counts.
      const [again] = await issue(await createTemplate({ name: '可叠加会员价二' }), memberId);
      const short = await refusal(sale(memberId, [{ ...serum, unitPrice: 21_000 }], [again], 15_900));
      expect(short.code).to.equal('COUPON_THRESHOLD_NOT_MET');
      const [full] = await issue(await createTemplate({ name: '不与会员价同享二', withTierDiscount: false }), memberId);
      expect(await placed(test, f.tokens.cashier1, sale(memberId, [{ ...serum, unitPrice: 21_000 }], [full], 18_000))).to.include({ discount: 3_000 });
    });
  });

  describe('the cashier’s and the POS’s questions', () => {
    it('previews coupons without writing anything', async () => {
      const memberId = await newMember();
      const [code] = await issue(await createTemplate({}), memberId);
      const before = await writes();
      const coupons = await usesLeft();
      const res = await test.http().post('/api/v1/orders/preview').set(auth(f.tokens.cashier1)).send(sale(memberId, [serum, tea], [code], 0));
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body).to.include({ discount: 3_000, payable: 22_000 });
      expect(res.body.steps).to.deep.equal([{ step: 'coupon', reference: code, label: `满200减30（券 ${code.slice(0, 4)}…）`, amount: 3_000 }]);
      const refused = await test.http().post('/api/v1/orders/preview').set(auth(f.tokens.cashier1)).send(sale(memberId, [tea], [code], 0));
      expect(refused.body.error.code).to.equal('COUPON_THRESHOLD_NOT_MET');
      expect(await writes()).to.deep.equal(before);
      expect(await usesLeft()).to.deep.equal(coupons);
    });

    it('lists the member’s coupons for the order: which apply beside the chosen ones, for how much, and why not', async () => {
      const memberId = await newMember();
      const [big] = await issue(await createTemplate({ name: 'A组满200减30', stackGroup: 'A' }), memberId);
      const [small] = await issue(await createTemplate({ name: 'A组10元', kind: 'voucher', amountOff: 1_000, threshold: null, stackGroup: 'A' }), memberId);
      const [solo] = await issue(await createTemplate({ name: '独享20元', kind: 'voucher', amountOff: 2_000, threshold: null }), memberId);
      const [high] = await issue(await createTemplate({ name: '满500减80', threshold: 50_000, amountOff: 8_000 }), memberId);
      const body = sale(memberId, [serum, tea], [], 0);
      const res = await test.http().post('/api/v1/coupons/applicable').set(auth(f.tokens.cashier1)).send(body);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      type Item = { coupon: { code: string }; selected: boolean; applicable: boolean; discount: { amount: number } | null; reason: { code: string; zh: string } | null };
      const byCode = (items: Item[]) => Object.fromEntries(items.map((i) => [i.coupon.code, i]));
      const alone = byCode(res.body.items);
      expect((res.body.items as Item[]).map((i) => i.coupon.code)).to.deep.equal([big, solo, small, high]);
      expect(alone[big]).to.deep.include({ applicable: true, selected: false, reason: null });
      expect(alone[big].discount).to.deep.include({ amount: 3_000 });
      expect(alone[high]).to.deep.include({ applicable: false, discount: null });
      expect(alone[high].reason).to.deep.include({ code: 'COUPON_THRESHOLD_NOT_MET' });
      expect(alone[high].reason?.zh).to.include('¥500.00');

      const chosen = await test.http().post('/api/v1/coupons/applicable').set(auth(f.tokens.cashier1)).send({ ...body, couponCodes: [big] });
      const beside = byCode(chosen.body.items);
      expect(beside[big]).to.deep.include({ selected: true, applicable: true });
      expect(beside[small]).to.deep.include({ applicable: true });
      expect(beside[solo].reason).to.deep.include({ code: 'COUPON_NOT_STACKABLE' });

      const walkIn = await test.http().post('/api/v1/coupons/applicable').set(auth(f.tokens.cashier1)).send({ ...body, memberId: null });
      expect(walkIn.body).to.deep.equal({ items: [] });
      const otherStore = await test.http().post('/api/v1/coupons/applicable').set(auth(f.tokens.cashier2)).send(body);
      expect(otherStore.status).to.equal(404);
    });

    it('validates a code for a POS by store, member and amount', async () => {
      const memberId = await newMember();
      const [code] = await issue(await createTemplate({}), memberId);
      const ask = (query: Record<string, unknown>, token = f.tokens.cashier1) => test.http().get('/api/v1/coupons/validate').set(auth(token)).query({ storeId: s1, ...query });
      const ok = await ask({ code: code.toLowerCase(), memberId, amount: 25_000 });
      expect(ok.status, JSON.stringify(ok.body)).to.equal(200);
      expect(ok.body).to.deep.include({ code, valid: true, discount: 3_000, reason: null });
      expect(ok.body.coupon).to.include({ code, status: 'available' });
      const short = await ask({ code, amount: 10_000 });
      expect(short.body).to.deep.include({ valid: false, discount: null });
      expect(short.body.reason.code).to.equal('COUPON_THRESHOLD_NOT_MET');
      const stranger = await ask({ code, memberId: await newMember() });
      expect(stranger.body.reason.code).to.equal('COUPON_NOT_OWNED');
      const unknown = await ask({ code: 'NOPE' });
      expect(unknown.body).to.deep.include({ valid: false, coupon: null });
      expect(unknown.body.reason.code).to.equal('COUPON_NOT_FOUND');
    });
  });
});
