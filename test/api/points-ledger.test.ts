import { expect } from 'chai';
import { QueryTypes, type Transaction } from 'sequelize';
import type { LedgerMove } from '../../server/src/modules/loyalty/ledger-move.js';
import type { MemberRecord } from '../../server/src/modules/members/models.js';
import pointsExpireJob from '../../server/src/modules/points/jobs/expire.job.js';
import { withTransaction } from '../../server/src/platform/db/transaction.js';
import { AppError } from '../../server/src/platform/errors/app-error.js';
import type { JobRun } from '../../server/src/platform/jobs/job-spec.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { seedAccessFixture, type AccessFixture } from '../support/access.js';
import { TEST_DIALECT } from '../support/database.js';
import { assertAllPointsInvariants, assertPointsInvariants } from '../support/ledger-invariants.js';

const DAY = 86_400_000;

describe(`points ledger: lots, owed points and expiry (${TEST_DIALECT})`, function () {
  this.timeout(120_000);
  let test: TestApp;
  let f: AccessFixture;
  let phoneSeq = 0;
  let sourceSeq = 1000;

  const ledger = () => test.ctx.services.points.ledger;
  const models = () => test.ctx.models.points;
  const newMember = async () => {
    const res = await test.http().post('/api/v1/members').set({ Authorization: `Bearer ${f.tokens.manager1}` }).send({ phone: `1370013${String(++phoneSeq).padStart(4, '0')}` });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body.id as number;
  };
  /** Runs ledger calls on the locked member row and saves it once, as a checkout does. */
  const onMember = <T>(id: number, work: (member: MemberRecord, t: Transaction) => Promise<T>) =>
    withTransaction(test.ctx.sequelize, async (t) => {
      const member = (await test.ctx.models.members.Member.findByPk(id, { transaction: t, lock: t.LOCK.UPDATE }))!;
      const out = await work(member, t);
      await member.save({ transaction: t });
      return out;
    });
  const move = (kind: string, sourceType = 'order', sourceId: number = ++sourceSeq, at?: Date): LedgerMove => ({ kind, sourceType, sourceId, storeId: f.stores.s1.id, operatorId: null, at });
  const earn = (id: number, points: number, expiresAt: Date | null, kind = 'earn') => onMember(id, (m, t) => ledger().earn(m, points, expiresAt, move(kind), t));
  const fromNow = (days: number) => new Date(Date.now() + days * DAY);
  const lot = async (lotId: number) => (await models().PointLot.findByPk(lotId))!;
  const balance = async (id: number) => (await test.ctx.models.members.Member.findByPk(id))!.pointsBalance;
  const rowsOf = (id: number, where: Record<string, unknown> = {}) => models().PointLedgerEntry.findAll({ where: { memberId: id, ...where }, order: [['id', 'ASC']] });

  before(async () => {
    test = await startTestApp({ jobs: 'off' });
    f = await seedAccessFixture(test);
  });
  afterEach(() => assertAllPointsInvariants(test.ctx.sequelize));
  after(() => test.close());

  describe('spend and returnTo', () => {
    it('spends the soonest-expiring lots first, never-expiring last, one ledger row per lot', async () => {
      const id = await newMember();
      const a = await earn(id, 100, fromNow(10));
      const b = await earn(id, 100, fromNow(5));
      const c = await earn(id, 100, null);
      const d = await earn(id, 100, fromNow(5));
      const redeem = move('redeem');
      const parts = await onMember(id, (m, t) => ledger().spend(m, 250, redeem, t));
      expect(parts).to.deep.equal([
        { lotId: b, points: 100 },
        { lotId: d, points: 100 },
        { lotId: a, points: 50 },
      ]);
      const rows = await rowsOf(id, { kind: 'redeem' });
      expect(rows.map((r) => [r.lotId, r.delta, r.balanceAfter, r.sourceId])).to.deep.equal([
        [b, -100, 300, redeem.sourceId],
        [d, -100, 200, redeem.sourceId],
        [a, -50, 150, redeem.sourceId],
      ]);
      expect((await lot(c)).remaining).to.equal(100);
      expect(await ledger().partsOf('redeem', 'order', [redeem.sourceId!])).to.deep.equal([...parts].sort((x, y) => x.lotId - y.lotId));
      expect(await balance(id)).to.equal(150);
    });

    it('refuses a spend above the balance and writes nothing', async () => {
      const id = await newMember();
      await earn(id, 400, null);
      const before = (await rowsOf(id)).length;
      const error = await onMember(id, (m, t) => ledger().spend(m, 401, move('redeem'), t)).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(AppError);
      expect((error as AppError).code).to.equal('INSUFFICIENT_BALANCE');
      expect((error as AppError).params).to.deep.include({ needed: 401, available: 400 });
      expect((await rowsOf(id)).length).to.equal(before);
      expect(await balance(id)).to.equal(400);
    });

    it('puts returned points back into the lots they came from, over several refunds', async () => {
      const id = await newMember();
      const soon = fromNow(3);
      const a = await earn(id, 100, soon);
      const b = await earn(id, 100, null);
      const order = move('redeem');
      await onMember(id, (m, t) => ledger().spend(m, 150, order, t));
      const spent = await ledger().partsOf('redeem', 'order', [order.sourceId!]);
      expect(spent).to.deep.equal([
        { lotId: a, points: 100 },
        { lotId: b, points: 50 },
      ]);
      const refund1 = move('redeem_return', 'refund');
      await onMember(id, (m, t) => ledger().returnTo(m, [{ lotId: a, points: 60 }], refund1, t));
      const refund2 = move('redeem_return', 'refund');
      await onMember(id, (m, t) => ledger().returnTo(m, [{ lotId: a, points: 40 }, { lotId: b, points: 50 }, { lotId: b, points: 0 }], refund2, t));
      expect(await ledger().partsOf('redeem_return', 'refund', [refund1.sourceId!, refund2.sourceId!])).to.deep.equal(spent);
      expect((await lot(a)).remaining).to.equal(100);
      expect((await lot(a)).expiresAt!.getTime()).to.equal(soon.getTime());
      expect((await lot(b)).remaining).to.equal(100);
      expect(await balance(id)).to.equal(200);
      const error = await onMember(id, (m, t) => ledger().returnTo(m, [{ lotId: a, points: 1 }], move('redeem_return', 'refund'), t)).catch((e: unknown) => e);
      expect(String(error)).to.match(/more than the 100 it was earned with/);
    });

    it('returns points to a lot past its expiry and expires them again at once', async () => {
      const id = await newMember();
      // Expired an hour ago, but the job has not run yet: the points still count.
      const e = await earn(id, 100, new Date(Date.now() - 3_600_000));
      await onMember(id, (m, t) => ledger().spend(m, 60, move('redeem'), t));
      const refund = move('redeem_return', 'refund');
      await onMember(id, (m, t) => ledger().returnTo(m, [{ lotId: e, points: 60 }], refund, t));
      const rows = await rowsOf(id);
      expect(rows.slice(-2).map((r) => [r.kind, r.sourceType, r.lotId, r.delta, r.balanceAfter])).to.deep.equal([
        ['redeem_return', 'refund', e, 60, 100],
        ['expire', 'expiry', e, -60, 40],
      ]);
      expect((await lot(e)).remaining).to.equal(40);
      expect(await balance(id)).to.equal(40);
    });
  });

  describe('takeBack and owed points', () => {
    it('takes back from the earning lot first, then the soonest-expiring, and owes what no lot holds', async () => {
      const id = await newMember();
      const l1 = await earn(id, 100, fromNow(30));
      const l2 = await earn(id, 50, fromNow(5));
      await onMember(id, (m, t) => ledger().spend(m, 120, move('redeem'), t));
      expect([(await lot(l1)).remaining, (await lot(l2)).remaining]).to.deep.equal([30, 0]);

      const reversal = { ...move('earn_reversal', 'refund'), preferLotId: l1 };
      await onMember(id, (m, t) => ledger().takeBack(m, 100, reversal, t));
      const rows = await rowsOf(id, { kind: 'earn_reversal' });
      expect(rows.map((r) => [r.lotId, r.delta, r.balanceAfter])).to.deep.equal([
        [l1, -30, 0],
        [null, -70, -70],
      ]);
      expect(await balance(id)).to.equal(-70);
      await assertPointsInvariants(test.ctx.sequelize, id);

      // Later earnings pay what is owed first.
      const l3 = await earn(id, 50, fromNow(30));
      expect([(await lot(l3)).amount, (await lot(l3)).remaining, await balance(id)]).to.deep.equal([50, 0, -20]);
      await assertPointsInvariants(test.ctx.sequelize, id);
      const l4 = await earn(id, 100, fromNow(30));
      expect([(await lot(l4)).remaining, await balance(id)]).to.deep.equal([80, 80]);
      const spendOwed = await onMember(id, (m, t) => ledger().spend(m, 81, move('redeem'), t)).catch((e: unknown) => e);
      expect((spendOwed as AppError).code).to.equal('INSUFFICIENT_BALANCE');
    });

    it('prefers the named lot over sooner-expiring ones', async () => {
      const id = await newMember();
      const p1 = await earn(id, 100, fromNow(5));
      const p2 = await earn(id, 100, fromNow(30), 'topup_bonus');
      await onMember(id, (m, t) => ledger().takeBack(m, 60, { ...move('topup_reversal', 'topup_refund'), preferLotId: p2 }, t));
      expect([(await lot(p1)).remaining, (await lot(p2)).remaining]).to.deep.equal([100, 40]);
      await onMember(id, (m, t) => ledger().takeBack(m, 70, { ...move('topup_reversal', 'topup_refund'), preferLotId: p2 }, t));
      expect([(await lot(p1)).remaining, (await lot(p2)).remaining, await balance(id)]).to.deep.equal([70, 0, 70]);
    });

    it('pays owed points first when redeemed points come back', async () => {
      const id = await newMember();
      const l = await earn(id, 100, null);
      const order = move('redeem');
      const parts = await onMember(id, (m, t) => ledger().spend(m, 50, order, t));
      await onMember(id, (m, t) => ledger().takeBack(m, 80, { ...move('earn_reversal', 'refund'), preferLotId: l }, t));
      expect(await balance(id)).to.equal(-30);
      await onMember(id, (m, t) => ledger().returnTo(m, parts, move('redeem_return', 'refund'), t));
      expect([(await lot(l)).remaining, await balance(id)]).to.deep.equal([20, 20]);
      const [last] = (await rowsOf(id)).slice(-1);
      expect([last.kind, last.delta, last.balanceAfter]).to.deep.equal(['redeem_return', 50, 20]);
    });
  });

  describe('expiry with a fixed clock', () => {
    const now = new Date();
    const eventsFor = (memberId: number) =>
      test.ctx.sequelize.query<{ payload: string; occurred_at: unknown }>("SELECT payload, occurred_at FROM domain_events WHERE type = 'points.expiring' AND member_id = ? ORDER BY id", {
        replacements: [memberId],
        type: QueryTypes.SELECT,
      });

    it('expires due lots with one expire row each, audited, and only once', async () => {
      const x = await newMember();
      const due = await earn(x, 100, new Date(now.getTime() - 3_600_000));
      const exactlyNow = await earn(x, 10, now);
      await earn(x, 50, new Date(now.getTime() + 3 * DAY));
      await earn(x, 70, null);
      const y = await newMember();
      const yLot = await earn(y, 30, new Date(now.getTime() - 2 * DAY));
      await onMember(y, (m, t) => ledger().spend(m, 12, move('redeem'), t));

      const first = await test.ctx.services.points.expireDue(now);
      expect(first.lots).to.be.at.least(3);
      const rows = await rowsOf(x, { kind: 'expire' });
      expect(rows.map((r) => [r.sourceType, r.lotId, r.delta])).to.deep.equal([
        ['expiry', due, -100],
        ['expiry', exactlyNow, -10],
      ]);
      expect(rows[0].createdAt.getTime()).to.equal(now.getTime());
      expect(await balance(x)).to.equal(120);
      expect((await lot(due)).remaining).to.equal(0);
      expect((await lot(yLot)).remaining).to.equal(0);
      expect(await balance(y)).to.equal(0);
      const audit = await test.ctx.models.audit.AuditLog.findOne({ where: { action: 'points.expire', entityId: String(x) } });
      expect(audit).to.include({ actorType: 'system', actorName: 'points.expire' });
      expect(audit!.summary).to.include('110');

      const again = await test.ctx.services.points.expireDue(now);
      expect(again).to.deep.include({ lots: 0, points: 0 });
    });

    it('announces points expiring soon once per member, then only lots not announced yet', async () => {
      const x = await newMember();
      const first = new Date(now.getTime() + 3 * DAY);
      await earn(x, 50, first);
      await earn(x, 25, new Date(now.getTime() + 5 * DAY));
      await earn(x, 70, new Date(now.getTime() + 30 * DAY));
      await earn(x, 5, null);
      const sent = await test.ctx.services.points.notifyExpiring(now);
      expect(sent.members).to.be.at.least(1);
      const events = await eventsFor(x);
      expect(events).to.have.length(1);
      expect(JSON.parse(events[0].payload)).to.deep.equal({ memberId: x, points: 75, expiresAt: first.toISOString() });

      await test.ctx.services.points.notifyExpiring(now);
      expect(await eventsFor(x)).to.have.length(1);

      await earn(x, 20, new Date(now.getTime() + 2 * DAY));
      await test.ctx.services.points.notifyExpiring(now);
      const later = await eventsFor(x);
      expect(later).to.have.length(2);
      expect(JSON.parse(later[1].payload)).to.include({ points: 20 });
    });

    it('works through more due lots than one page, and leaves an erased member\'s lots alone', async () => {
      const many = await newMember();
      await onMember(many, async (m, t) => {
        for (let i = 0; i < 520; i += 1) await ledger().earn(m, 1, new Date(now.getTime() - DAY + i), move('event', 'event'), t);
      });
      const erased = await newMember();
      const kept = await earn(erased, 40, new Date(now.getTime() - DAY));
      const res = await test.http().post(`/api/v1/members/${erased}/erase`).set({ Authorization: `Bearer ${f.tokens.root}` }).send({ reason: '本人申请删除' });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);

      const done = await test.ctx.services.points.expireDue(now, async () => undefined);
      expect(done.lots).to.equal(520);
      expect(done.skipped).to.equal(1);
      expect(await balance(many)).to.equal(0);
      expect(await models().PointLedgerEntry.count({ where: { memberId: many, kind: 'expire' } })).to.equal(520);
      expect((await lot(kept)).remaining).to.equal(40);
    });

    it('runs as the points.expire job and reports its counts', async () => {
      const id = await newMember();
      await earn(id, 9, new Date(Date.now() - 1000));
      const run = { progress: async () => undefined } as unknown as JobRun<unknown>;
      const result = await pointsExpireJob.handler(run, test.ctx);
      expect(result?.summary).to.include({ expiredLots: 1, expiredPoints: 9, members: 1 });
      expect(result?.summary).to.have.all.keys('expiredLots', 'expiredPoints', 'members', 'skipped', 'notifiedMembers');
      expect(pointsExpireJob.schedule).to.equal('10 0 * * *');
    });
  });
});
