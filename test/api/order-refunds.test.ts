import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { startTestApp, type TestApp } from '../support/app.js';
import { seedAccessFixture, type AccessFixture } from '../support/access.js';
import { TEST_DIALECT } from '../support/database.js';
import { allowAnyBonus, auth, givePoints, memberBalances, placed, refund, topUp } from '../support/checkout.js';
import { assertPointsInvariants, assertWalletInvariants } from '../support/ledger-invariants.js';

describe(`orders: refunds reverse each effect through its ledger (${TEST_DIALECT})`, function () {
  this.timeout(60_000);
  let test: TestApp;
  let f: AccessFixture;
  let phoneSeq = 0;
  const lines = [
    { sku: 'A-1', name: '精华液', quantity: 3, unitPrice: 12_800 },
    { sku: 'B-2', name: '面膜', quantity: 1, unitPrice: 9_900 },
  ];
  const newMember = async () => {
    const res = await test.http().post('/api/v1/members').set(auth(f.tokens.root)).send({ name: '退款', phone: `1370013${String(++phoneSeq).padStart(4, '0')}`, homeStoreId: f.stores.s1.id });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body.id as number;
  };
  const invariants = async (memberId: number) => {
    await assertPointsInvariants(test.ctx.sequelize, memberId);
    await assertWalletInvariants(test.ctx.sequelize, memberId);
  };
  /** 5,000 + 800 stored value and 2,000 points, then ¥483 paid by WeChat 173, stored value 300, points 10. */
  const mixedSale = async () => {
    const memberId = await newMember();
    await topUp(test, f.tokens.root, memberId, 500_000, 80_000);
    await givePoints(test, f.tokens.root, memberId, 2_000);
    const order = await placed(test, f.tokens.cashier1, {
      memberId,
      storeId: f.stores.s1.id,
      items: lines,
      payments: [
        { method: 'wechat', amount: 17_300 },
        { method: 'wallet', amount: 30_000 },
        { method: 'points', amount: 1_000 },
      ],
    });
    expect(order.pointsEarned).to.equal(431);
    return { memberId, order };
  };
  const original = { points: 2_000, principal: 500_000, bonus: 80_000, totalSpent: 0 };

  before(async () => {
    test = await startTestApp({ jobs: 'off' });
    f = await seedAccessFixture(test);
    await allowAnyBonus(test, f.tokens.root);
  });
  after(() => test.close());

  it('refunds a mixed payment in full: each payment back, points returned, earned points taken back', async () => {
    const { memberId, order } = await mixedSale();
    const res = await refund(test, f.tokens.manager1, order.id, { reason: '整单退货' });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body.refund).to.include({ amount: 48_300, pointsReturned: 1_000, pointsReversed: 431, reason: '整单退货' });
    expect(res.body.refund.payments).to.deep.equal([
      { method: 'points', amount: 1_000, points: 1_000 },
      { method: 'wallet', amount: 30_000, points: 0 },
      { method: 'wechat', amount: 17_300, points: 0 },
    ]);
    expect(res.body.order).to.include({ status: 'refunded', refundedAmount: 48_300, refundable: 0 });
    expect(res.body.order.items.map((i: { refundedQuantity: number }) => i.refundedQuantity)).to.deep.equal([3, 1]);
    expect(await memberBalances(test, memberId)).to.deep.equal(original);
    await invariants(memberId);
    const again = await refund(test, f.tokens.manager1, order.id, {});
    expect(again.status).to.equal(409);
    expect(again.body.error.code).to.equal('ORDER_ALREADY_REFUNDED');
    const audit = await test.ctx.models.audit.AuditLog.findOne({ where: { action: 'order.refund', entityId: String(order.id) } });
    expect(audit?.summary).to.include(order.orderNo);
  });

  it('refunds one line, then the rest by amount, and ends exactly where the member started', async () => {
    const { memberId, order } = await mixedSale();
    const first = await refund(test, f.tokens.manager1, order.id, { lines: [{ lineNo: 1, quantity: 1 }] });
    expect(first.status, JSON.stringify(first.body)).to.equal(201);
    // ¥128 over the payments (kept in checkout order) by what each has left: points 265, stored value 7,950, WeChat 4,585.
    expect(first.body.refund).to.include({ amount: 12_800, pointsReturned: 265, pointsReversed: 114 });
    expect(first.body.refund.payments).to.deep.equal([
      { method: 'points', amount: 265, points: 265 },
      { method: 'wallet', amount: 7_950, points: 0 },
      { method: 'wechat', amount: 4_585, points: 0 },
    ]);
    expect(first.body.order.status).to.equal('partially_refunded');
    expect(first.body.order.items[0]).to.include({ refundedQuantity: 1, refundedAmount: 12_800 });
    // Stored value back to its buckets by what each gave: principal 6,853, bonus 1,097.
    expect(await memberBalances(test, memberId)).to.deep.equal({ points: 1_431 + 265 - 114, principal: 474_138 + 6_853, bonus: 75_862 + 1_097, totalSpent: 48_300 - 12_800 });
    await invariants(memberId);

    const tooMuch = await refund(test, f.tokens.manager1, order.id, { amount: 35_501 });
    expect(tooMuch.status).to.equal(422);
    expect(tooMuch.body.error.code).to.equal('REFUND_EXCEEDS_PAID');
    const badLine = await refund(test, f.tokens.manager1, order.id, { lines: [{ lineNo: 1, quantity: 3 }] });
    expect(badLine.status).to.equal(422);
    expect(badLine.body.error.code).to.equal('REFUND_LINE_INVALID');

    const rest = await refund(test, f.tokens.manager1, order.id, { amount: 35_500 });
    expect(rest.status, JSON.stringify(rest.body)).to.equal(201);
    expect(rest.body.order).to.include({ status: 'refunded', refundedAmount: 48_300 });
    expect(await memberBalances(test, memberId)).to.deep.equal(original);
    await invariants(memberId);
  });

  it('adds three partial refunds up to exactly the sale, with no fen or point left over', async () => {
    const { memberId, order } = await mixedSale();
    for (const amount of [10_001, 20_333, 17_966]) {
      const res = await refund(test, f.tokens.manager1, order.id, { amount });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      await invariants(memberId);
    }
    const payments = await test.ctx.sequelize.query(`SELECT method, amount, refunded_amount, points, refunded_points FROM order_payments WHERE order_id = ${order.id}`, { type: QueryTypes.SELECT });
    for (const p of payments as Array<Record<string, number>>) {
      expect(Number(p.refunded_amount)).to.equal(Number(p.amount));
      expect(Number(p.refunded_points)).to.equal(Number(p.points));
    }
    expect(await memberBalances(test, memberId)).to.deep.equal(original);
  });

  it('takes back earned points that were already spent as owed points, which the next earning pays first', async () => {
    const memberId = await newMember();
    const big = await placed(test, f.tokens.cashier1, { memberId, storeId: f.stores.s1.id, items: [{ sku: 'S', name: '套餐', quantity: 1, unitPrice: 100_000 }], payments: [{ method: 'cash', amount: 100_000 }] });
    expect(big.pointsEarned).to.equal(1_000);
    await placed(test, f.tokens.cashier1, { memberId, storeId: f.stores.s1.id, items: [{ sku: 'T', name: '小样', quantity: 1, unitPrice: 2_000 }], payments: [{ method: 'points', amount: 1_000 }, { method: 'cash', amount: 1_000 }] });
    expect((await memberBalances(test, memberId)).points).to.equal(10);
    const res = await refund(test, f.tokens.manager1, big.id, {});
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect((await memberBalances(test, memberId)).points).to.equal(-990);
    await invariants(memberId);
    const member = await test.http().get(`/api/v1/members/${memberId}`).set(auth(f.tokens.cashier1));
    expect(member.body.points).to.equal(-990);
    await placed(test, f.tokens.cashier1, { memberId, storeId: f.stores.s1.id, items: [{ sku: 'S', name: '套餐', quantity: 1, unitPrice: 50_000 }], payments: [{ method: 'cash', amount: 50_000 }] });
    expect((await memberBalances(test, memberId)).points).to.equal(-490);
    await invariants(memberId);
    const spend = await test.http().post('/api/v1/orders').set(auth(f.tokens.cashier1)).send({ memberId, storeId: f.stores.s1.id, items: [{ sku: 'T', name: '小样', quantity: 1, unitPrice: 2_000 }], payments: [{ method: 'points', amount: 100 }, { method: 'cash', amount: 1_900 }] });
    expect(spend.status).to.equal(422);
    expect(spend.body.error.code).to.equal('INSUFFICIENT_BALANCE');
  });

  it('returns redeemed points to their lot, and expires them at once when the lot has expired since', async () => {
    const memberId = await newMember();
    await givePoints(test, f.tokens.root, memberId, 1_000);
    const order = await placed(test, f.tokens.cashier1, { memberId, storeId: f.stores.s1.id, items: [{ sku: 'T', name: '小样', quantity: 1, unitPrice: 2_000 }], payments: [{ method: 'points', amount: 1_000 }, { method: 'cash', amount: 1_000 }] });
    await test.ctx.sequelize.query(`UPDATE point_lots SET expires_at = ? WHERE member_id = ? AND source_type = 'adjustment'`, { replacements: [new Date(Date.now() - 3_600_000), memberId] });
    const res = await refund(test, f.tokens.manager1, order.id, {});
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body.refund).to.include({ pointsReturned: 1_000, pointsReversed: 10 });
    expect((await memberBalances(test, memberId)).points).to.equal(0);
    const kinds = await test.ctx.sequelize.query(`SELECT kind, delta FROM point_ledger WHERE member_id = ${memberId} ORDER BY id`, { type: QueryTypes.SELECT });
    expect((kinds as Array<{ kind: string; delta: number }>).map((row) => `${row.kind}:${Number(row.delta)}`)).to.deep.equal(['adjust:1000', 'redeem:-1000', 'earn:10', 'redeem_return:1000', 'expire:-1000', 'earn_reversal:-10']);
    await invariants(memberId);
  });

  it('applies a replayed refund once', async () => {
    const { memberId, order } = await mixedSale();
    const first = await refund(test, f.tokens.manager1, order.id, { amount: 1_000 }, 'refund-key-1');
    const again = await refund(test, f.tokens.manager1, order.id, { amount: 1_000 }, 'refund-key-1');
    expect(again.status).to.equal(201);
    expect(again.body.refund.id).to.equal(first.body.refund.id);
    const rows = await test.ctx.models.orders.OrderRefund.count({ where: { orderId: order.id } });
    expect(rows).to.equal(1);
    await invariants(memberId);
  });

  it('lets a cashier without the refund permission not refund, and another store not see the order', async () => {
    const { order } = await mixedSale();
    const cashier = await refund(test, f.tokens.cashier1, order.id, {});
    expect(cashier.status).to.equal(403);
    const otherStore = await refund(test, f.tokens.manager2, order.id, {});
    expect(otherStore.status).to.equal(404);
  });
});
