import { expect } from 'chai';
import { startTestApp, type TestApp } from '../support/app.js';
import { seedAccessFixture, type AccessFixture } from '../support/access.js';
import { TEST_DIALECT } from '../support/database.js';
import { allowAnyBonus, auth, checkout, givePoints, memberBalances, topUp } from '../support/checkout.js';
import { assertPointsInvariants, assertWalletInvariants } from '../support/ledger-invariants.js';

/**
 * Two cashiers charging one card at once, and a POS retrying a sale it thinks timed out.
 * On MySQL these run truly in parallel (row locks); on SQLite they queue on the one writer.
 */
describe(`orders under concurrency (${TEST_DIALECT})`, function () {
  this.timeout(180_000);
  let test: TestApp;
  let f: AccessFixture;
  const newMember = async (phone: string) => {
    const res = await test.http().post('/api/v1/members').set(auth(f.tokens.root)).send({ name: '并发', phone, homeStoreId: f.stores.s1.id });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body.id as number;
  };
  const sale = (memberId: number, method: 'wallet' | 'points', amount: number, extraCash = 0) => ({
    memberId,
    storeId: f.stores.s1.id,
    items: [{ sku: 'C', name: '咖啡', quantity: 1, unitPrice: amount + extraCash }],
    payments: [{ method, amount }, ...(extraCash ? [{ method: 'cash', amount: extraCash }] : [])],
  });

  before(async () => {
    test = await startTestApp({ jobs: 'off' });
    f = await seedAccessFixture(test);
    await allowAnyBonus(test, f.tokens.root);
  });
  after(() => test.close());

  it('lets 100 parallel stored-value spends take exactly what the balance allows', async () => {
    const memberId = await newMember('13600000001');
    await topUp(test, f.tokens.root, memberId, 4_000, 1_000);
    const results = await Promise.all(Array.from({ length: 100 }, () => checkout(test, f.tokens.cashier1, sale(memberId, 'wallet', 100))));
    const ok = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status !== 201);
    expect(ok).to.have.length(50);
    expect(refused.every((r) => r.status === 422 && r.body.error.code === 'INSUFFICIENT_BALANCE'), JSON.stringify(refused.find((r) => r.status !== 422)?.body)).to.equal(true);
    expect(await memberBalances(test, memberId)).to.include({ principal: 0, bonus: 0, totalSpent: 5_000 });
    await assertWalletInvariants(test.ctx.sequelize, memberId);
    await assertPointsInvariants(test.ctx.sequelize, memberId);
  });

  it('lets 100 parallel points redemptions take exactly what the balance allows', async () => {
    const memberId = await newMember('13600000002');
    await givePoints(test, f.tokens.root, memberId, 3_000);
    const results = await Promise.all(Array.from({ length: 100 }, () => checkout(test, f.tokens.cashier1, sale(memberId, 'points', 100, 100))));
    expect(results.filter((r) => r.status === 201)).to.have.length(30);
    const balances = await memberBalances(test, memberId);
    // Each sale's ¥1 cash earns one point after the redemptions took the 3,000.
    expect(balances.points).to.equal(30);
    await assertPointsInvariants(test.ctx.sequelize, memberId);
  });

  it('applies 20 parallel replays of one idempotency key once, answering each with the same order', async () => {
    const memberId = await newMember('13600000003');
    await topUp(test, f.tokens.root, memberId, 100_000);
    const body = sale(memberId, 'wallet', 2_500);
    const results = await Promise.all(Array.from({ length: 20 }, () => checkout(test, f.tokens.cashier1, body, 'pos-retry-42')));
    expect(results.map((r) => r.status)).to.deep.equal(Array(20).fill(201));
    expect(new Set(results.map((r) => r.body.id)).size).to.equal(1);
    expect(await test.ctx.models.orders.Order.count({ where: { memberId } })).to.equal(1);
    expect(await memberBalances(test, memberId)).to.include({ principal: 97_500 });
    await assertWalletInvariants(test.ctx.sequelize, memberId);
  });

  it('refunds an order once when two refunds of everything race', async () => {
    const memberId = await newMember('13600000004');
    await topUp(test, f.tokens.root, memberId, 10_000);
    const order = await checkout(test, f.tokens.cashier1, sale(memberId, 'wallet', 6_000));
    const results = await Promise.all(
      Array.from({ length: 5 }, () => test.http().post(`/api/v1/orders/${order.body.id}/refunds`).set(auth(f.tokens.manager1)).send({})),
    );
    expect(results.filter((r) => r.status === 201)).to.have.length(1);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.error.code === 'ORDER_ALREADY_REFUNDED')).to.equal(true);
    expect(await memberBalances(test, memberId)).to.include({ principal: 10_000 });
    await assertWalletInvariants(test.ctx.sequelize, memberId);
  });
});
