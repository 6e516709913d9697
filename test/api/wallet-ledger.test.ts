import { expect } from 'chai';
import type { Transaction } from 'sequelize';
import type { LedgerMove } from '../../server/src/modules/loyalty/ledger-move.js';
import type { MemberRecord } from '../../server/src/modules/members/models.js';
import type { WalletPart } from '../../server/src/modules/wallet/ledger.js';
import type { SpendOrder } from '../../server/src/modules/wallet/settings.js';
import { withTransaction } from '../../server/src/platform/db/transaction.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { seedAccessFixture, type AccessFixture } from '../support/access.js';
import { TEST_DIALECT } from '../support/database.js';
import { assertAllWalletInvariants } from '../support/ledger-invariants.js';

/**
 * The primitives the checkout and refunds call, driven directly: each member below holds
 * two top-ups, T1 (principal 10,000, bonus 1,000) then T2 (20,000 and 5,000), so totals
 * are principal 30,000 and bonus 6,000.
 */
describe(`wallet ledger: spend, returnTo, partsOf (${TEST_DIALECT})`, function () {
  this.timeout(60_000);
  let test: TestApp;
  let f: AccessFixture;
  let phoneSeq = 0;
  let sourceSeq = 100;
  const auth = () => ({ Authorization: `Bearer ${f.tokens.root}` });
  const ledger = () => test.ctx.services.wallet.ledger;
  const move = (kind: string, sourceType: string, sourceId: number): LedgerMove => ({ kind, sourceType, sourceId, storeId: f.stores.s2.id, operatorId: f.users.root.id });

  const twoTopups = async () => {
    const created = await test.http().post('/api/v1/members').set(auth()).send({ phone: `1370013${String(++phoneSeq).padStart(4, '0')}`, homeStoreId: f.stores.s1.id });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const memberId = created.body.id as number;
    const ids: number[] = [];
    for (const [amount, bonus] of [
      [10_000, 1_000],
      [20_000, 5_000],
    ]) {
      const res = await test.http().post(`/api/v1/members/${memberId}/wallet/topups`).set(auth()).send({ amount, bonus, payMethod: 'cash' });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      ids.push(res.body.id as number);
    }
    return { memberId, t1: ids[0], t2: ids[1] };
  };
  /** Locks the member, runs `work` on the ledger, saves the member once: what a checkout does. */
  const onMember = <T>(memberId: number, work: (member: MemberRecord, t: Transaction) => Promise<T>) =>
    withTransaction(test.ctx.sequelize, async (t) => {
      const member = await test.ctx.models.members.Member.findByPk(memberId, { transaction: t, lock: t.LOCK.UPDATE });
      const result = await work(member!, t);
      await member!.save({ transaction: t });
      return result;
    });
  const spend = (memberId: number, amount: number, order: SpendOrder, sourceId = ++sourceSeq) =>
    onMember(memberId, (member, t) => ledger().spend(member, amount, order, move('spend', 'order', sourceId), t));
  const totals = async (memberId: number) => {
    const m = await test.ctx.models.members.Member.findByPk(memberId);
    return { principal: m!.walletPrincipal, bonus: m!.walletBonus, total: m!.storedValueBalance };
  };
  const remainders = async (...ids: number[]) =>
    Promise.all(ids.map(async (id) => {
      const topup = await test.ctx.services.wallet.models.WalletTopup.findByPk(id);
      return [topup!.principalRemaining, topup!.bonusRemaining];
    }));
  const rowsOf = (memberId: number, kind: string) =>
    test.ctx.services.wallet.models.WalletLedgerRow.findAll({ where: { memberId, kind }, order: [['id', 'ASC']], raw: true });

  before(async () => {
    test = await startTestApp({ jobs: 'off' });
    f = await seedAccessFixture(test);
    const current = (await test.http().get('/api/v1/loyalty/wallet-settings').set(auth())).body as Record<string, unknown>;
    await test.http().put('/api/v1/loyalty/wallet-settings').set(auth()).send({ ...current, customBonusMaxPercent: 50 }).expect(200);
  });
  after(() => test.close());
  afterEach(() => assertAllWalletInvariants(test.ctx.sequelize));

  it('proportional: bonus = round(12,000 * 6,000 / 36,000) = 2,000, each bucket oldest top-up first', async () => {
    const { memberId, t1, t2 } = await twoTopups();
    const parts = await spend(memberId, 12_000, 'proportional');
    expect(parts).to.deep.equal([
      { topupId: t1, principal: 10_000, bonus: 1_000 },
      { topupId: t2, principal: 0, bonus: 1_000 },
    ]);
    expect(await totals(memberId)).to.deep.equal({ principal: 20_000, bonus: 4_000, total: 24_000 });
    expect(await remainders(t1, t2)).to.deep.equal([
      [0, 0],
      [20_000, 4_000],
    ]);
    const rows = await rowsOf(memberId, 'spend');
    expect(rows.map((r) => [Number(r.topupId), Number(r.principalDelta), Number(r.bonusDelta), Number(r.principalAfter), Number(r.bonusAfter)])).to.deep.equal([
      [t1, -10_000, -1_000, 20_000, 5_000],
      [t2, 0, -1_000, 20_000, 4_000],
    ]);
    expect(rows.map((r) => [Number(r.storeId), Number(r.topupStoreId), r.sourceType])).to.deep.equal([
      [f.stores.s2.id, f.stores.s1.id, 'order'],
      [f.stores.s2.id, f.stores.s1.id, 'order'],
    ]);
  });

  it('proportional rounds half up and never leaves a bucket short: 1 -> all principal, 3 -> 1 bonus, everything -> everything', async () => {
    const { memberId } = await twoTopups();
    // 1 * 6,000 / 36,000 = 0.17 -> 0; 3 * 6,000 / 36,000 = 0.5 -> 1
    expect((await spend(memberId, 1, 'proportional')).map((p) => [p.principal, p.bonus])).to.deep.equal([[1, 0]]);
    const left = await totals(memberId);
    expect(left).to.deep.equal({ principal: 29_999, bonus: 6_000, total: 35_999 });
    const three = await spend(memberId, 3, 'proportional');
    expect(three.reduce((a, p) => a + p.bonus, 0)).to.equal(1);
    const all = await spend(memberId, 35_996, 'proportional');
    expect(all.reduce((a, p) => [a[0] + p.principal, a[1] + p.bonus], [0, 0])).to.deep.equal([29_997, 5_999]);
    expect(await totals(memberId)).to.deep.equal({ principal: 0, bonus: 0, total: 0 });
  });

  it('principal_first: 12,000 takes T1 principal 10,000 then T2 principal 2,000, no bonus', async () => {
    const { memberId, t1, t2 } = await twoTopups();
    expect(await spend(memberId, 12_000, 'principal_first')).to.deep.equal([
      { topupId: t1, principal: 10_000, bonus: 0 },
      { topupId: t2, principal: 2_000, bonus: 0 },
    ]);
    expect(await totals(memberId)).to.deep.equal({ principal: 18_000, bonus: 6_000, total: 24_000 });
    // Past the principal, the bonus pays the rest.
    expect(await spend(memberId, 19_000, 'principal_first')).to.deep.equal([
      { topupId: t1, principal: 0, bonus: 1_000 },
      { topupId: t2, principal: 18_000, bonus: 0 },
    ]);
  });

  it('bonus_first: 12,000 takes all 6,000 bonus (T1 1,000, T2 5,000) and 6,000 principal from T1', async () => {
    const { memberId, t1, t2 } = await twoTopups();
    expect(await spend(memberId, 12_000, 'bonus_first')).to.deep.equal([
      { topupId: t1, principal: 6_000, bonus: 1_000 },
      { topupId: t2, principal: 0, bonus: 5_000 },
    ]);
    expect(await remainders(t1, t2)).to.deep.equal([
      [4_000, 0],
      [20_000, 0],
    ]);
  });

  it('refuses a spend above the balance with the amounts and writes nothing', async () => {
    const { memberId, t1, t2 } = await twoTopups();
    const before = await test.ctx.services.wallet.models.WalletLedgerRow.count({ where: { memberId } });
    const error = (await spend(memberId, 36_001, 'proportional').catch((e: unknown) => e)) as { code: string; details: unknown };
    expect(error).to.include({ code: 'INSUFFICIENT_BALANCE' });
    expect(error.details).to.deep.equal({ what: 'wallet', needed: 36_001, available: 36_000 });
    expect(await test.ctx.services.wallet.models.WalletLedgerRow.count({ where: { memberId } })).to.equal(before);
    expect(await remainders(t1, t2)).to.deep.equal([
      [10_000, 1_000],
      [20_000, 5_000],
    ]);
  });

  it('returns a refund into the top-ups and buckets the spend came from, and partsOf reads both back', async () => {
    const { memberId, t1, t2 } = await twoTopups();
    const orderId = ++sourceSeq;
    const spent = await spend(memberId, 12_000, 'proportional', orderId);
    expect(await ledger().partsOf('spend', 'order', [orderId])).to.deep.equal(spent);

    // A first refund returns part of what T1 gave; a second the rest.
    const firstRefund: WalletPart[] = [{ topupId: t1, principal: 4_000, bonus: 400 }];
    await onMember(memberId, (member, t) => ledger().returnTo(member, firstRefund, move('spend_return', 'refund', 501), t));
    expect(await totals(memberId)).to.deep.equal({ principal: 24_000, bonus: 4_400, total: 28_400 });
    const rest: WalletPart[] = [
      { topupId: t2, principal: 0, bonus: 1_000 },
      { topupId: t1, principal: 6_000, bonus: 600 },
    ];
    await onMember(memberId, (member, t) => ledger().returnTo(member, rest, move('spend_return', 'refund', 502), t));
    expect(await totals(memberId)).to.deep.equal({ principal: 30_000, bonus: 6_000, total: 36_000 });
    expect(await remainders(t1, t2)).to.deep.equal([
      [10_000, 1_000],
      [20_000, 5_000],
    ]);
    const returned = await ledger().partsOf('spend_return', 'refund', [501, 502]);
    expect(returned).to.deep.equal(spent);
    const rows = await rowsOf(memberId, 'spend_return');
    expect(rows.map((r) => [Number(r.topupId), Number(r.principalDelta), Number(r.bonusDelta), r.sourceType, Number(r.sourceId)])).to.deep.equal([
      [t1, 4_000, 400, 'refund', 501],
      [t1, 6_000, 600, 'refund', 502],
      [t2, 0, 1_000, 'refund', 502],
    ]);
  });

  it('refuses to return more into a top-up than was spent from it, or into another member’s top-up', async () => {
    const a = await twoTopups();
    const b = await twoTopups();
    await spend(a.memberId, 500, 'principal_first');
    const tooMuch = await onMember(a.memberId, (member, t) => ledger().returnTo(member, [{ topupId: a.t1, principal: 501, bonus: 0 }], move('spend_return', 'refund', 601), t)).catch((e: unknown) => e);
    expect(String(tooMuch)).to.include('more than was spent');
    const foreign = await onMember(a.memberId, (member, t) => ledger().returnTo(member, [{ topupId: b.t1, principal: 1, bonus: 0 }], move('spend_return', 'refund', 602), t)).catch((e: unknown) => e);
    expect(String(foreign)).to.include('is not member');
    expect(await totals(a.memberId)).to.deep.equal({ principal: 29_500, bonus: 6_000, total: 35_500 });
  });

  it('puts a returned spend back into a top-up that was refunded meanwhile, which then holds money again', async () => {
    const { memberId, t1 } = await twoTopups();
    const spent = await spend(memberId, 3_000, 'principal_first');
    expect(spent).to.deep.equal([{ topupId: t1, principal: 3_000, bonus: 0 }]);
    const refund = await test.http().post(`/api/v1/wallet/topups/${t1}/refunds`).set(auth()).send({ reason: '退卡' });
    expect(refund.body).to.deep.include({ refundedPrincipal: 7_000, voidedBonus: 1_000 });
    expect(refund.body.topup.status).to.equal('refunded');
    await onMember(memberId, (member, t) => ledger().returnTo(member, spent, move('spend_return', 'refund', 701), t));
    const topup = await test.ctx.services.wallet.models.WalletTopup.findByPk(t1);
    expect([topup!.principalRemaining, topup!.status]).to.deep.equal([3_000, 'partially_refunded']);
  });

  it('takes turns on one member: concurrent spends never overdraw', async () => {
    const { memberId } = await twoTopups();
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => spend(memberId, 5_000, 'proportional')));
    expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(7);
    // Seven proportional spends of 5,000 in turn leave principal 833 and bonus 167.
    expect(await totals(memberId)).to.deep.equal({ principal: 833, bonus: 167, total: 1_000 });
  });
});
