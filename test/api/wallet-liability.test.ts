import { expect } from 'chai';
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';
import { withTransaction } from '../../server/src/platform/db/transaction.js';
import { businessDateTime } from '../../server/src/platform/time/business-day.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { seedAccessFixture, type AccessFixture } from '../support/access.js';
import { TEST_DIALECT } from '../support/database.js';
import { assertAllWalletInvariants } from '../support/ledger-invariants.js';

dayjs.extend(utc);
dayjs.extend(timezone);

/**
 * Who owes what, as at the end of a business day. A (store 1) tops up 100.00 three days
 * ago; B (store 2) 200.00 + 20.00 bonus yesterday; today C (store 1) 50.00, A spends 40.00
 * and also tops up 30.00 at store 2.
 */
describe(`wallet liability report (${TEST_DIALECT})`, function () {
  this.timeout(60_000);
  let test: TestApp;
  let f: AccessFixture;
  let phoneSeq = 0;
  const days: string[] = [];
  const as = (name: keyof AccessFixture['tokens']) => ({ Authorization: `Bearer ${f.tokens[name]}` });
  const liability = (who: keyof AccessFixture['tokens'], asOf?: string) => test.http().get('/api/v1/wallet/liability').query(asOf ? { asOf } : {}).set(as(who));

  before(async () => {
    test = await startTestApp({ jobs: 'off' });
    f = await seedAccessFixture(test);
    const tz = test.ctx.config.businessTimezone;
    const today = dayjs().tz(tz).startOf('day');
    for (let i = 3; i >= 0; i--) days.push(today.subtract(i, 'day').format('YYYY-MM-DD'));
    const settings = (await test.http().get('/api/v1/loyalty/wallet-settings').set(as('root'))).body as Record<string, unknown>;
    await test.http().put('/api/v1/loyalty/wallet-settings').set(as('root')).send({ ...settings, customBonusMaxPercent: 10 }).expect(200);

    const member = async (storeId: number) => {
      const res = await test.http().post('/api/v1/members').set(as('root')).send({ phone: `1360013${String(++phoneSeq).padStart(4, '0')}`, homeStoreId: storeId });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      return res.body.id as number;
    };
    const topUp = async (memberId: number, body: Record<string, unknown>, day?: string) => {
      const res = await test.http().post(`/api/v1/members/${memberId}/wallet/topups`).set(as('root')).send({ payMethod: 'cash', ...body });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      if (day) await test.ctx.services.wallet.models.WalletLedgerRow.update({ createdAt: businessDateTime(`${day} 12:00:00`, tz) }, { where: { topupId: res.body.id } });
    };
    const a = await member(f.stores.s1.id);
    const b = await member(f.stores.s2.id);
    const c = await member(f.stores.s1.id);
    await topUp(a, { amount: 10_000 }, days[0]);
    // Late in the evening: still yesterday's business day.
    await topUp(b, { amount: 20_000, bonus: 2_000 });
    await test.ctx.services.wallet.models.WalletLedgerRow.update({ createdAt: businessDateTime(`${days[2]} 23:59:59`, tz) }, { where: { memberId: b } });
    await topUp(c, { amount: 5_000 });
    await topUp(a, { amount: 3_000, storeId: f.stores.s2.id });
    await withTransaction(test.ctx.sequelize, async (t) => {
      const row = await test.ctx.models.members.Member.findByPk(a, { transaction: t, lock: t.LOCK.UPDATE });
      await test.ctx.services.wallet.ledger.spend(row!, 4_000, 'principal_first', { kind: 'spend', sourceType: 'order', sourceId: 1, storeId: f.stores.s2.id, operatorId: null }, t);
      await row!.save({ transaction: t });
    });
  });
  after(() => test.close());
  afterEach(() => assertAllWalletInvariants(test.ctx.sequelize));

  it('sums what each store sold and is still unspent, as at the end of a past day', async () => {
    const early = await liability('root', days[0]);
    expect(early.status, JSON.stringify(early.body)).to.equal(200);
    expect(early.body).to.deep.equal({
      asOf: days[0],
      stores: [{ storeId: f.stores.s1.id, storeCode: 'S001', storeName: '徐汇店', principal: 10_000, bonus: 0, members: 1 }],
      totals: { principal: 10_000, bonus: 0, members: 1 },
    });
    expect((await liability('root', days[1])).body.totals).to.deep.equal({ principal: 10_000, bonus: 0, members: 1 });
    const yesterday = await liability('root', days[2]);
    expect(yesterday.body.stores).to.deep.equal([
      { storeId: f.stores.s1.id, storeCode: 'S001', storeName: '徐汇店', principal: 10_000, bonus: 0, members: 1 },
      { storeId: f.stores.s2.id, storeCode: 'S002', storeName: '天河店', principal: 20_000, bonus: 2_000, members: 1 },
    ]);
  });

  it('defaults to today, charges a spend to the store that sold the money, and counts a member of two stores once', async () => {
    const today = await liability('auditor1');
    expect(today.body.asOf).to.equal(days[3]);
    expect(today.body.stores.map((s: { storeId: number; principal: number; bonus: number; members: number }) => [s.storeId, s.principal, s.bonus, s.members])).to.deep.equal([
      [f.stores.s1.id, 11_000, 0, 2],
      [f.stores.s2.id, 23_000, 2_000, 2],
    ]);
    expect(today.body.totals).to.deep.equal({ principal: 34_000, bonus: 2_000, members: 3 });
  });

  it("keeps a manager to their stores' liability, and refuses callers without the report right and bad dates", async () => {
    const own = await liability('manager1');
    expect(own.body.stores.map((s: { storeId: number }) => s.storeId)).to.deep.equal([f.stores.s1.id]);
    expect(own.body.totals).to.deep.equal({ principal: 11_000, bonus: 0, members: 2 });
    expect((await liability('cashier1')).status).to.equal(403);
    for (const asOf of ['2026-02-30', '20260101', 'yesterday']) expect((await liability('root', asOf)).status, asOf).to.equal(422);
  });

  it('draws the trend from the day ends, oldest first', async () => {
    const res = await test.http().get('/api/v1/wallet/liability/trend').query({ days: 4 }).set(as('root'));
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.days).to.deep.equal([
      { date: days[0], principal: 10_000, bonus: 0 },
      { date: days[1], principal: 10_000, bonus: 0 },
      { date: days[2], principal: 30_000, bonus: 2_000 },
      { date: days[3], principal: 34_000, bonus: 2_000 },
    ]);
    const scoped = await test.http().get('/api/v1/wallet/liability/trend').query({ days: 2 }).set(as('manager2'));
    expect(scoped.body.days).to.deep.equal([
      { date: days[2], principal: 20_000, bonus: 2_000 },
      { date: days[3], principal: 23_000, bonus: 2_000 },
    ]);
    expect((await test.http().get('/api/v1/wallet/liability/trend').query({ days: 91 }).set(as('root'))).status).to.equal(422);
  });
});
