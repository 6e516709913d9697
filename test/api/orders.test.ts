import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { startTestApp, type TestApp } from '../support/app.js';
import { seedAccessFixture, type AccessFixture } from '../support/access.js';
import { TEST_DIALECT } from '../support/database.js';
import { allowAnyBonus, auth, checkout, givePoints, memberBalances, placed, topUp } from '../support/checkout.js';
import { assertPointsInvariants, assertWalletInvariants } from '../support/ledger-invariants.js';

describe(`orders: the checkout (${TEST_DIALECT})`, function () {
  this.timeout(60_000);
  let test: TestApp;
  let f: AccessFixture;
  let phoneSeq = 0;
  const newMember = async (storeKey: 's1' | 's2' = 's1') => {
    const res = await test.http().post('/api/v1/members').set(auth(f.tokens.root)).send({ name: '顾客', phone: `1390013${String(++phoneSeq).padStart(4, '0')}`, homeStoreId: f.stores[storeKey].id });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body.id as number;
  };
  const count = (table: string) => test.ctx.sequelize.query(`SELECT COUNT(*) AS n FROM ${table}`, { plain: true }).then((row) => Number((row as { n: number }).n));
  const counts = async () => Object.fromEntries(await Promise.all(['orders', 'order_items', 'order_payments', 'point_ledger', 'wallet_ledger', 'idempotency_keys', 'domain_events'].map(async (t) => [t, await count(t)])));
  const invariants = async (memberId: number) => {
    await assertPointsInvariants(test.ctx.sequelize, memberId);
    await assertWalletInvariants(test.ctx.sequelize, memberId);
  };
  const twoLines = [
    { sku: 'A-1', name: '精华液', quantity: 3, unitPrice: 12_800 },
    { sku: 'B-2', name: '面膜', quantity: 1, unitPrice: 9_900 },
  ];

  before(async () => {
    test = await startTestApp({ jobs: 'off' });
    f = await seedAccessFixture(test);
    await allowAnyBonus(test, f.tokens.root);
  });
  after(() => test.close());

  it('sells to a walk-in customer for cash: the order, its lines, an audit record and an order.completed event', async () => {
    const order = await placed(test, f.tokens.cashier1, { storeId: f.stores.s1.id, items: twoLines, payments: [{ method: 'cash', amount: 48_300 }] });
    expect(order).to.include({ amount: 48_300, discount: 0, payable: 48_300, pointsUsed: 0, pointsEarned: 0, status: 'completed', memberId: null, storeName: '徐汇店' });
    expect(order.orderNo).to.match(/^\d{16}$/);
    expect((order.items as unknown[]).length).to.equal(2);
    const audit = await test.ctx.models.audit.AuditLog.findOne({ where: { action: 'order.create', entityId: String(order.id) } });
    expect(audit?.storeId).to.equal(f.stores.s1.id);
    const [event] = await test.ctx.sequelize.query(`SELECT type FROM domain_events WHERE entity_type = 'order' AND entity_id = '${order.id}'`, { type: QueryTypes.SELECT });
    expect(event).to.deep.include({ type: 'order.completed' });
  });

  it('charges points, stored value (split in proportion) and WeChat in one order, and earns on what was paid', async () => {
    const memberId = await newMember();
    await topUp(test, f.tokens.root, memberId, 500_000, 80_000);
    await givePoints(test, f.tokens.root, memberId, 2_000);
    const order = await placed(test, f.tokens.cashier1, {
      memberId,
      storeId: f.stores.s1.id,
      items: twoLines,
      payments: [
        { method: 'wechat', amount: 17_300 },
        { method: 'wallet', amount: 30_000 },
        { method: 'points', amount: 1_000 },
      ],
    });
    // Bonus share: round(30,000 × 80,000 / 580,000) = 4,138; earning on WeChat + principal: floor(431.62).
    const wallet = order.payments.find((p) => p.method === 'wallet')!;
    expect(wallet).to.include({ amount: 30_000, principal: 25_862, bonus: 4_138 });
    expect(order.payments.find((p) => p.method === 'points')).to.include({ amount: 1_000, points: 1_000 });
    expect(order).to.include({ pointsUsed: 1_000, pointsEarned: 431 });
    expect(await memberBalances(test, memberId)).to.deep.equal({ points: 1_431, principal: 474_138, bonus: 75_862, totalSpent: 48_300 });
    const member = await test.http().get(`/api/v1/members/${memberId}`).set(auth(f.tokens.cashier1));
    expect(member.body).to.deep.include({ points: 1_431, wallet: { principal: 474_138, bonus: 75_862 } });
    await invariants(memberId);
    const overview = await test.http().get(`/api/v1/members/${memberId}/overview`).set(auth(f.tokens.cashier1));
    expect(overview.status, JSON.stringify(overview.body)).to.equal(200);
    expect(overview.body.recentOrders.map((o: { id: number }) => o.id)).to.deep.equal([order.id]);
  });

  it('previews the same numbers without writing anything', async () => {
    const memberId = await newMember();
    await topUp(test, f.tokens.root, memberId, 10_000);
    await givePoints(test, f.tokens.root, memberId, 500);
    const before = await counts();
    const res = await test.http().post('/api/v1/orders/preview').set(auth(f.tokens.cashier1)).send({
      memberId,
      storeId: f.stores.s1.id,
      items: twoLines,
      payments: [{ method: 'points', amount: 500 }, { method: 'wallet', amount: 10_000 }],
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.include({ amount: 48_300, payable: 48_300, paid: 10_500, due: 37_800 });
    expect(res.body.member).to.include({ id: memberId, points: 500, pinSet: false });
    expect(res.body.redemption).to.include({ enabled: true, pointsPerYuan: 100, minPoints: 100, maxAmount: 500 });
    expect(await counts()).to.deep.equal(before);
  });

  it('refuses a spend above the balance with INSUFFICIENT_BALANCE and writes nothing', async () => {
    const memberId = await newMember();
    await topUp(test, f.tokens.root, memberId, 5_000);
    const before = await counts();
    const res = await checkout(test, f.tokens.cashier1, { memberId, storeId: f.stores.s1.id, items: [{ sku: 'X', name: 'X', quantity: 1, unitPrice: 6_000 }], payments: [{ method: 'wallet', amount: 6_000 }] });
    expect(res.status).to.equal(422);
    expect(res.body.error.code).to.equal('INSUFFICIENT_BALANCE');
    expect(res.body.error.message).to.include('¥60.00');
    expect(await counts()).to.deep.equal(before);
    expect(await memberBalances(test, memberId)).to.include({ principal: 5_000, totalSpent: 0 });
  });

  it('refuses payments that do not add up to what is due', async () => {
    const res = await checkout(test, f.tokens.cashier1, { storeId: f.stores.s1.id, items: twoLines, payments: [{ method: 'cash', amount: 48_000 }] });
    expect(res.status).to.equal(422);
    expect(res.body.error.code).to.equal('ORDER_PAYMENT_MISMATCH');
    const huge = await checkout(test, f.tokens.cashier1, { storeId: f.stores.s1.id, items: [{ sku: 'G', name: '金条', quantity: 100_000, unitPrice: 1_000_000 }], payments: [{ method: 'cash', amount: 1 }] });
    expect(huge.status).to.equal(422);
    expect(huge.body.error.code).to.equal('VALIDATION_FAILED');
    const twice = await checkout(test, f.tokens.cashier1, { storeId: f.stores.s1.id, items: twoLines, payments: [{ method: 'cash', amount: 40_000 }, { method: 'cash', amount: 8_300 }] });
    expect(twice.body.error.code).to.equal('VALIDATION_FAILED');
    const nobody = await checkout(test, f.tokens.cashier1, { storeId: f.stores.s1.id, items: twoLines, payments: [{ method: 'cash', amount: 48_300 }], salespersonId: 999_999 });
    expect(nobody.status).to.equal(422);
    expect(nobody.body.error.details.fields[0].path).to.equal('salespersonId');
    const seller = await placed(test, f.tokens.cashier1, { storeId: f.stores.s1.id, items: twoLines, payments: [{ method: 'cash', amount: 48_300 }], salespersonId: f.users.manager1.id });
    expect(seller.salespersonId).to.equal(f.users.manager1.id);
  });

  it('refuses points and stored value for a walk-in and for a frozen member, but takes cash from a frozen member', async () => {
    const walkIn = await checkout(test, f.tokens.cashier1, { storeId: f.stores.s1.id, items: twoLines, payments: [{ method: 'wallet', amount: 48_300 }] });
    expect(walkIn.body.error.code).to.equal('ORDER_MEMBER_REQUIRED');
    const memberId = await newMember();
    await topUp(test, f.tokens.root, memberId, 100_000);
    const frozen = await test.http().post(`/api/v1/members/${memberId}/freeze`).set(auth(f.tokens.root)).send({ reason: '挂失' });
    expect(frozen.status, JSON.stringify(frozen.body)).to.equal(200);
    const res = await checkout(test, f.tokens.cashier1, { memberId, storeId: f.stores.s1.id, items: twoLines, payments: [{ method: 'wallet', amount: 48_300 }] });
    expect(res.status).to.equal(422);
    expect(res.body.error.code).to.equal('MEMBER_FROZEN');
    await placed(test, f.tokens.cashier1, { memberId, storeId: f.stores.s1.id, items: twoLines, payments: [{ method: 'cash', amount: 48_300 }] });
  });

  it('holds points redemption to its minimum and its share of the order', async () => {
    const memberId = await newMember();
    await givePoints(test, f.tokens.root, memberId, 100_000);
    const below = await checkout(test, f.tokens.cashier1, { memberId, storeId: f.stores.s1.id, items: twoLines, payments: [{ method: 'points', amount: 50 }, { method: 'cash', amount: 48_250 }] });
    expect(below.body.error.code).to.equal('POINTS_REDEMPTION_REFUSED');
    const above = await checkout(test, f.tokens.cashier1, { memberId, storeId: f.stores.s1.id, items: twoLines, payments: [{ method: 'points', amount: 30_000 }, { method: 'cash', amount: 18_300 }] });
    expect(above.body.error.code).to.equal('POINTS_REDEMPTION_REFUSED');
    expect(await memberBalances(test, memberId)).to.include({ points: 100_000 });
  });

  describe('idempotency', () => {
    it('applies a replayed key once and returns the original response', async () => {
      const memberId = await newMember();
      await topUp(test, f.tokens.root, memberId, 100_000);
      const body = { memberId, storeId: f.stores.s1.id, items: twoLines, payments: [{ method: 'wallet', amount: 48_300 }] };
      const first = await checkout(test, f.tokens.cashier1, body, 'pos-7-000001');
      const again = await checkout(test, f.tokens.cashier1, body, 'pos-7-000001');
      expect(first.status).to.equal(201);
      expect(again.status).to.equal(201);
      expect(again.headers['idempotent-replayed']).to.equal('true');
      expect(again.body).to.deep.equal(first.body);
      expect(await memberBalances(test, memberId)).to.include({ principal: 51_700 });
      const other = await checkout(test, f.tokens.cashier1, { ...body, payments: [{ method: 'cash', amount: 48_300 }] }, 'pos-7-000001');
      expect(other.status).to.equal(409);
      expect(other.body.error.code).to.equal('IDEMPOTENCY_KEY_REUSED');
    });

    it('keeps nothing of a refused request, so the till may retry it with the same key', async () => {
      const memberId = await newMember();
      await topUp(test, f.tokens.root, memberId, 10_000);
      const body = { memberId, storeId: f.stores.s1.id, items: twoLines, payments: [{ method: 'wallet', amount: 48_300 }] };
      const before = await counts();
      const refused = await checkout(test, f.tokens.cashier1, body, 'pos-7-retry');
      expect(refused.body.error?.code).to.equal('INSUFFICIENT_BALANCE');
      expect(await counts()).to.deep.equal(before);
      await topUp(test, f.tokens.root, memberId, 100_000);
      const retried = await checkout(test, f.tokens.cashier1, body, 'pos-7-retry');
      expect(retried.status).to.equal(201);
      expect(retried.headers['idempotent-replayed']).to.equal(undefined);
      expect(await memberBalances(test, memberId)).to.include({ principal: 61_700 });
    });

    it('forgets keys after a week, so the table does not grow forever', async () => {
      const body = { storeId: f.stores.s1.id, items: twoLines, payments: [{ method: 'cash', amount: 48_300 }] };
      await checkout(test, f.tokens.cashier1, body, 'old-key');
      await test.ctx.sequelize.query(`UPDATE idempotency_keys SET created_at = ? WHERE idem_key = 'old-key'`, { replacements: [new Date(Date.now() - 8 * 86_400_000)] });
      const deleted = await test.ctx.idempotency.purge(new Date(Date.now() - 7 * 86_400_000));
      expect(deleted).to.equal(1);
      const again = await checkout(test, f.tokens.cashier1, body, 'old-key');
      expect(again.status).to.equal(201);
      expect(again.headers['idempotent-replayed']).to.equal(undefined);
    });

    it('keeps one caller\'s keys apart from another\'s', async () => {
      const body = { storeId: f.stores.s1.id, items: twoLines, payments: [{ method: 'cash', amount: 48_300 }] };
      const a = await checkout(test, f.tokens.cashier1, body, 'same-key');
      const b = await checkout(test, f.tokens.manager1, body, 'same-key');
      expect(a.status).to.equal(201);
      expect(b.status).to.equal(201);
      expect(a.body.id).not.to.equal(b.body.id);
    });

    it('makes an API key send a key, and records one sale per external number and source', async () => {
      const key = await test.http().post('/api/v1/api-keys').set(auth(f.tokens.root)).send({ name: 'POS', scopes: ['order:order:create', 'order:order:view'], storeId: f.stores.s1.id });
      expect(key.status, JSON.stringify(key.body)).to.equal(201);
      const body = { storeId: f.stores.s1.id, items: twoLines, payments: [{ method: 'cash', amount: 48_300 }], source: 'pos', externalNo: 'T-1001' };
      const missing = await checkout(test, key.body.secret, body, null);
      expect(missing.status).to.equal(400);
      expect(missing.body.error.code).to.equal('IDEMPOTENCY_KEY_REQUIRED');
      const first = await checkout(test, key.body.secret, body);
      expect(first.status, JSON.stringify(first.body)).to.equal(201);
      expect(first.body).to.include({ source: 'pos', externalNo: 'T-1001', cashierId: null });
      const twice = await checkout(test, key.body.secret, body);
      expect(twice.status).to.equal(409);
      expect(twice.body.error.code).to.equal('ORDER_EXTERNAL_NO_TAKEN');
      expect(twice.body.error.message).to.include(first.body.orderNo);
      const otherSource = await checkout(test, key.body.secret, { ...body, source: 'erp' });
      expect(otherSource.status).to.equal(201);
    });
  });

  describe('reading orders', () => {
    it('lists the caller\'s stores only, newest first, by cursor, and hides another store\'s order like a missing one', async () => {
      const mine = await placed(test, f.tokens.cashier2, { storeId: f.stores.s2.id, items: twoLines, payments: [{ method: 'alipay', amount: 48_300 }] });
      const other = await test.http().get(`/api/v1/orders/${mine.id}`).set(auth(f.tokens.cashier1));
      expect(other.status).to.equal(404);
      expect(other.body.error.code).to.equal('ORDER_NOT_FOUND');
      const wrongStore = await checkout(test, f.tokens.cashier1, { storeId: f.stores.s2.id, items: twoLines, payments: [{ method: 'cash', amount: 48_300 }] });
      expect(wrongStore.status).to.equal(404);
      const list = await test.http().get('/api/v1/orders?limit=2').set(auth(f.tokens.cashier1));
      expect(list.status).to.equal(200);
      expect(list.body.items).to.have.length(2);
      expect(list.body.items.every((o: { storeId: number }) => o.storeId === f.stores.s1.id)).to.equal(true);
      const seen = new Set<number>();
      let cursor: string | null = null;
      do {
        const page: { body: { items: Array<{ id: number }>; nextCursor: string | null } } = await test.http().get(`/api/v1/orders?limit=3${cursor ? `&cursor=${cursor}` : ''}`).set(auth(f.tokens.cashier1));
        for (const item of page.body.items as Array<{ id: number }>) seen.add(item.id);
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen.size).to.equal(await test.ctx.sequelize.query(`SELECT COUNT(*) AS n FROM orders WHERE store_id = ${f.stores.s1.id}`, { plain: true }).then((r) => Number((r as { n: number }).n)));
      const byNo = await test.http().get(`/api/v1/orders?keyword=${mine.orderNo}`).set(auth(f.tokens.manager2));
      expect(byNo.body.items.map((o: { id: number }) => o.id)).to.deep.equal([mine.id]);
      const itOps = await test.http().get('/api/v1/orders').set(auth(f.tokens.itops1));
      expect(itOps.status).to.equal(403);
    });
  });
});
