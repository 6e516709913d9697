import { expect } from 'chai';
import { DEFAULT_POINTS_SETTINGS, type PointsSettings } from '../../server/src/modules/points/settings.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { seedAccessFixture, type AccessFixture } from '../support/access.js';
import { TEST_DIALECT } from '../support/database.js';
import { assertAllPointsInvariants } from '../support/ledger-invariants.js';

describe(`points: settings, adjustments, events, ledger and lots (${TEST_DIALECT})`, function () {
  this.timeout(60_000);
  let test: TestApp;
  let f: AccessFixture;
  let phoneSeq = 0;
  const as = (name: keyof AccessFixture['tokens']) => ({ Authorization: `Bearer ${f.tokens[name]}` });
  const member = async (who: keyof AccessFixture['tokens'] = 'manager1') => {
    const res = await test.http().post('/api/v1/members').set(as(who)).send({ name: '积分会员', phone: `1390013${String(++phoneSeq).padStart(4, '0')}` });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body.id as number;
  };
  const adjust = (id: number, body: object, who: keyof AccessFixture['tokens'] = 'manager1') =>
    test.http().post(`/api/v1/members/${id}/points/adjustments`).set(as(who)).send(body);
  const grant = (id: number, body: object, who: keyof AccessFixture['tokens'] = 'manager1') => test.http().post(`/api/v1/members/${id}/points/events`).set(as(who)).send(body);
  const balanceOf = async (id: number) => (await test.ctx.models.members.Member.findByPk(id))!.pointsBalance;
  const ledgerCount = (id: number) => test.ctx.models.points.PointLedgerEntry.count({ where: { memberId: id } });
  const putSettings = async (settings: PointsSettings) => {
    const res = await test.http().put('/api/v1/loyalty/points-settings').set(as('root')).send(settings);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
  };

  before(async () => {
    test = await startTestApp({ jobs: 'off' });
    f = await seedAccessFixture(test);
  });
  afterEach(() => assertAllPointsInvariants(test.ctx.sequelize));
  after(() => test.close());

  describe('settings', () => {
    afterEach(() => putSettings(DEFAULT_POINTS_SETTINGS));

    it('reads the defaults before anyone saved, and saves the whole document with an audited diff', async () => {
      const first = await test.http().get('/api/v1/loyalty/points-settings').set(as('manager1'));
      expect(first.status).to.equal(200);
      expect(first.body).to.deep.equal(DEFAULT_POINTS_SETTINGS);
      const changed: PointsSettings = { ...DEFAULT_POINTS_SETTINGS, redeem: { ...DEFAULT_POINTS_SETTINGS.redeem, pointsPerYuan: 50 }, expiry: { ...DEFAULT_POINTS_SETTINGS.expiry, policy: 'never' } };
      await putSettings(changed);
      const again = await test.http().get('/api/v1/loyalty/points-settings').set(as('manager1'));
      expect(again.body).to.deep.equal(changed);
      const record = await test.ctx.models.audit.AuditLog.findOne({ where: { action: 'points.settings.update' }, order: [['id', 'DESC']] });
      expect(record?.actorName).to.equal('root1');
      expect(JSON.parse(record!.diff!)).to.deep.equal([
        { field: 'redeem.pointsPerYuan', before: 100, after: 50 },
        { field: 'expiry.policy', before: 'year_end', after: 'never' },
      ]);
    });

    it('refuses a bad document on the right fields and keeps the saved one', async () => {
      const cases: Array<[unknown, string]> = [
        [{ ...DEFAULT_POINTS_SETTINGS, earn: { ...DEFAULT_POINTS_SETTINGS.earn, pointsPerYuan: 1001 } }, 'earn.pointsPerYuan'],
        [{ ...DEFAULT_POINTS_SETTINGS, earn: { ...DEFAULT_POINTS_SETTINGS.earn, methods: ['cash', 'points'] } }, 'earn.methods.1'],
        [{ ...DEFAULT_POINTS_SETTINGS, earn: { ...DEFAULT_POINTS_SETTINGS.earn, rounding: 'up' } }, 'earn.rounding'],
        [{ ...DEFAULT_POINTS_SETTINGS, redeem: { ...DEFAULT_POINTS_SETTINGS.redeem, maxSharePercent: 120 } }, 'redeem.maxSharePercent'],
        [{ ...DEFAULT_POINTS_SETTINGS, expiry: { ...DEFAULT_POINTS_SETTINGS.expiry, days: 0 } }, 'expiry.days'],
        [{ ...DEFAULT_POINTS_SETTINGS, events: { ...DEFAULT_POINTS_SETTINGS.events, sign_in: { enabled: true, points: 5.5, dailyCap: 1 } } }, 'events.sign_in.points'],
        [{ ...DEFAULT_POINTS_SETTINGS, events: undefined }, 'events'],
        [{ ...DEFAULT_POINTS_SETTINGS, extra: 1 }, 'extra'],
      ];
      for (const [body, path] of cases) {
        const res = await test.http().put('/api/v1/loyalty/points-settings').set(as('root')).send(body as object);
        expect(res.status, path).to.equal(422);
        expect(res.body.error.details.fields.map((e: { path: string }) => e.path), JSON.stringify(res.body)).to.include(path);
      }
      const saved = await test.http().get('/api/v1/loyalty/points-settings').set(as('root'));
      expect(saved.body).to.deep.equal(DEFAULT_POINTS_SETTINGS);
    });

    it('lets a manager read the rules but not change them, and a cashier do neither', async () => {
      expect((await test.http().put('/api/v1/loyalty/points-settings').set(as('manager1')).send(DEFAULT_POINTS_SETTINGS)).status).to.equal(403);
      expect((await test.http().get('/api/v1/loyalty/points-settings').set(as('cashier1'))).status).to.equal(403);
    });
  });

  describe('adjustments', () => {
    it('adds points as a lot under the expiry policy and takes them back, each with its reason, audited', async () => {
      const id = await member();
      const added = await adjust(id, { delta: 500, reason: '开业补偿' });
      expect(added.status, JSON.stringify(added.body)).to.equal(201);
      expect(added.body.balance).to.equal(500);
      expect(added.body.entries).to.have.length(1);
      const [entry] = added.body.entries;
      expect(entry).to.include({ kind: 'adjust', sourceType: 'adjustment', delta: 500, balanceAfter: 500, reason: '开业补偿', operatorId: f.users.manager1.id, storeId: f.stores.s1.id });
      const record = await test.ctx.models.audit.AuditLog.findByPk(entry.sourceId);
      expect(record).to.include({ action: 'points.adjust', entityId: String(id), storeId: f.stores.s1.id });
      expect(record!.summary).to.include('+500').and.include('开业补偿');

      const lots = await test.http().get(`/api/v1/members/${id}/points/lots`).set(as('manager1'));
      expect(lots.body.items).to.have.length(1);
      // Default policy year_end: midnight after 31 December in Shanghai.
      const year = Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));
      expect(lots.body.items[0]).to.include({ id: entry.lotId, amount: 500, remaining: 500, expiresAt: `${year}-12-31T16:00:00.000Z` });

      const taken = await adjust(id, { delta: -200, reason: '误操作冲正' });
      expect(taken.status).to.equal(201);
      expect(taken.body.balance).to.equal(300);
      expect(taken.body.entries.map((e: { delta: number; lotId: number }) => [e.delta, e.lotId])).to.deep.equal([[-200, entry.lotId]]);
      expect(await balanceOf(id)).to.equal(300);
    });

    it('refuses to take the balance below zero and writes nothing', async () => {
      const id = await member();
      await adjust(id, { delta: 100, reason: '赠送' });
      const rows = await ledgerCount(id);
      const audits = await test.ctx.models.audit.AuditLog.count({ where: { action: 'points.adjust' } });
      const res = await adjust(id, { delta: -101, reason: '扣减' });
      expect(res.status).to.equal(422);
      expect(res.body.error.code).to.equal('INSUFFICIENT_BALANCE');
      expect(res.body.error.message).to.include('101').and.include('100');
      expect(await ledgerCount(id)).to.equal(rows);
      expect(await balanceOf(id)).to.equal(100);
      expect(await test.ctx.models.audit.AuditLog.count({ where: { action: 'points.adjust' } })).to.equal(audits);
    });

    it('refuses bad input on the right field', async () => {
      const id = await member();
      const cases: Array<[object, string]> = [
        [{ delta: 0, reason: 'x' }, 'delta'],
        [{ delta: 1.5, reason: 'x' }, 'delta'],
        [{ delta: 10_000_001, reason: 'x' }, 'delta'],
        [{ delta: '100', reason: 'x' }, 'delta'],
        [{ delta: 100 }, 'reason'],
        [{ delta: 100, reason: '   ' }, 'reason'],
        [{ delta: 100, reason: 'x'.repeat(201) }, 'reason'],
        [{ delta: 100, reason: 'x', storeId: 1 }, 'storeId'],
      ];
      for (const [body, path] of cases) {
        const res = await adjust(id, body);
        expect(res.status, path).to.equal(422);
        expect(res.body.error.details.fields.map((e: { path: string }) => e.path)).to.include(path);
      }
      expect(await ledgerCount(id)).to.equal(0);
    });

    it('needs the adjust permission and the member in the caller\'s stores', async () => {
      const id = await member();
      expect((await adjust(id, { delta: 10, reason: 'x' }, 'cashier1')).status).to.equal(403);
      const other = await adjust(id, { delta: 10, reason: 'x' }, 'manager2');
      const missing = await adjust(99_999_999, { delta: 10, reason: 'x' }, 'manager2');
      expect(other.status).to.equal(404);
      expect(other.body.error.code).to.equal('MEMBER_NOT_FOUND');
      expect(missing.body.error.code).to.equal('MEMBER_NOT_FOUND');
      expect(await ledgerCount(id)).to.equal(0);
    });

    it('still adjusts a frozen member: adding or taking by hand is not spending', async () => {
      const id = await member();
      await adjust(id, { delta: 80, reason: '赠送' });
      expect((await test.http().post(`/api/v1/members/${id}/freeze`).set(as('manager1')).send({ reason: '挂失' })).status).to.equal(200);
      expect((await adjust(id, { delta: 20, reason: '补发' })).status).to.equal(201);
      expect((await adjust(id, { delta: -50, reason: '扣回' })).status).to.equal(201);
      expect(await balanceOf(id)).to.equal(50);
    });
  });

  describe('events', () => {
    afterEach(() => putSettings(DEFAULT_POINTS_SETTINGS));

    it('grants sign-in points once per business day and then answers POINTS_EVENT_CAPPED', async () => {
      const id = await member();
      const first = await grant(id, { event: 'sign_in' });
      expect(first.status, JSON.stringify(first.body)).to.equal(201);
      expect(first.body).to.include({ event: 'sign_in', points: 5, balance: 5 });
      expect(first.body.entries[0]).to.include({ kind: 'event', sourceType: 'event', reason: 'sign_in', delta: 5 });
      const record = await test.ctx.models.audit.AuditLog.findByPk(first.body.entries[0].sourceId);
      expect(record?.action).to.equal('points.event');
      const second = await grant(id, { event: 'sign_in' });
      expect(second.status).to.equal(422);
      expect(second.body.error.code).to.equal('POINTS_EVENT_CAPPED');
      expect(second.body.error.message).to.include('签到').and.include('1');
      const english = await grant(id, { event: 'sign_in' }).set('Accept-Language', 'en');
      expect(english.body.error.message).to.include('sign-in');

      // Yesterday's grant does not count against today.
      await test.ctx.models.points.PointLedgerEntry.update({ createdAt: new Date(Date.now() - 86_400_000) }, { where: { memberId: id, kind: 'event' } });
      expect((await grant(id, { event: 'sign_in' })).status).to.equal(201);
      expect(await balanceOf(id)).to.equal(10);
    });

    it('gives one grant to parallel sign-ins of one member', async () => {
      const id = await member();
      const results = await Promise.all(Array.from({ length: 6 }, () => grant(id, { event: 'sign_in' })));
      expect(results.map((r) => r.status).sort()).to.deep.equal([201, 422, 422, 422, 422, 422]);
      expect(await test.ctx.models.points.PointLedgerEntry.count({ where: { memberId: id, kind: 'event' } })).to.equal(1);
      expect(await balanceOf(id)).to.equal(5);
    });

    it('follows each event\'s points, cap and switch, counted per event', async () => {
      const id = await member();
      await putSettings({
        ...DEFAULT_POINTS_SETTINGS,
        events: { ...DEFAULT_POINTS_SETTINGS.events, referral: { enabled: true, points: 30, dailyCap: 2 }, profile_completed: { enabled: false, points: 50, dailyCap: 1 } },
      });
      expect((await grant(id, { event: 'referral', reference: '8000000001' })).status).to.equal(201);
      expect((await grant(id, { event: 'referral', reference: '8000000002' })).status).to.equal(201);
      const third = await grant(id, { event: 'referral', reference: '8000000003' });
      expect(third.body.error).to.deep.include({ code: 'POINTS_EVENT_CAPPED' });
      expect(third.body.error.details).to.deep.equal({ event: 'referral', cap: 2 });
      expect((await grant(id, { event: 'sign_in' })).status).to.equal(201);
      const off = await grant(id, { event: 'profile_completed' });
      expect(off.status).to.equal(422);
      expect(off.body.error.code).to.equal('POINTS_EVENT_DISABLED');
      expect(await balanceOf(id)).to.equal(65);
      const record = await test.ctx.models.audit.AuditLog.findOne({ where: { action: 'points.event', entityId: String(id) }, order: [['id', 'ASC']] });
      expect(JSON.parse(record!.diff!)).to.deep.include({ event: 'referral', reference: '8000000001', points: 30 });
    });

    it('takes calls from an API key with the grant scope and an Idempotency-Key, granting a retried call once', async () => {
      const id = await member();
      const key = await test.http().post('/api/v1/api-keys').set(as('root')).send({ name: 'mini-program', scopes: ['loyalty:points:grant'] });
      expect(key.status, JSON.stringify(key.body)).to.equal(201);
      const call = (idempotencyKey?: string) => {
        const req = test.http().post(`/api/v1/members/${id}/points/events`).set('X-Api-Key', key.body.secret);
        if (idempotencyKey) req.set('Idempotency-Key', idempotencyKey);
        return req.send({ event: 'referral', reference: '8000000009' });
      };
      expect((await call()).body.error.code).to.equal('IDEMPOTENCY_KEY_REQUIRED');
      const res = await call('referral-8000000009');
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body.entries[0]).to.include({ operatorId: null });
      const retried = await call('referral-8000000009');
      expect(retried.status).to.equal(201);
      expect(retried.headers['idempotent-replayed']).to.equal('true');
      expect(await balanceOf(id)).to.equal(res.body.points);
      const bad = await grant(id, { event: 'birthday' });
      expect(bad.status).to.equal(422);
      expect(bad.body.error.details.fields[0].path).to.equal('event');
      expect((await grant(id, { event: 'sign_in' }, 'cashier1')).status).to.equal(403);
    });
  });

  describe('ledger and lots', () => {
    let id: number;
    before(async () => {
      id = await member();
      for (const delta of [100, 200, -50, 300, -25]) expect((await adjust(id, { delta, reason: `第 ${delta}` })).status).to.equal(201);
    });

    it('pages the ledger newest first by keyset cursor', async () => {
      const first = await test.http().get(`/api/v1/members/${id}/points/ledger`).query({ limit: 2 }).set(as('cashier1'));
      expect(first.status, JSON.stringify(first.body)).to.equal(200);
      expect(first.body.items.map((e: { delta: number }) => e.delta)).to.deep.equal([-25, 300]);
      expect(first.body.items[0]).to.have.all.keys('id', 'kind', 'sourceType', 'sourceId', 'lotId', 'delta', 'balanceAfter', 'storeId', 'operatorId', 'reason', 'createdAt');
      expect(first.body.items[0].balanceAfter).to.equal(525);
      const seen = [...first.body.items];
      let cursor = first.body.nextCursor as string | null;
      while (cursor) {
        const page = await test.http().get(`/api/v1/members/${id}/points/ledger`).query({ limit: 2, cursor }).set(as('cashier1'));
        seen.push(...page.body.items);
        cursor = page.body.nextCursor;
      }
      // -50 took from the first lot, -25 too: one row each, five in all.
      expect(seen.map((e: { delta: number }) => e.delta)).to.deep.equal([-25, 300, -50, 200, 100]);
      const bad = await test.http().get(`/api/v1/members/${id}/points/ledger`).query({ cursor: 'abc' }).set(as('cashier1'));
      expect(bad.status).to.equal(422);
    });

    it('lists lots holding points soonest expiry first, all lots on request, and what expires soon', async () => {
      const soon = new Date(Date.now() + 3 * 86_400_000);
      await test.ctx.models.points.PointLot.update({ expiresAt: soon }, { where: { memberId: id, amount: 300 } });
      await test.ctx.models.points.PointLot.update({ expiresAt: null }, { where: { memberId: id, amount: 100 } });
      const res = await test.http().get(`/api/v1/members/${id}/points/lots`).set(as('cashier1'));
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.items.map((l: { amount: number; remaining: number }) => [l.amount, l.remaining])).to.deep.equal([
        [300, 300],
        [200, 200],
        [100, 25],
      ]);
      expect(res.body.items[2].expiresAt).to.equal(null);
      expect(res.body.summary).to.deep.include({ balance: 525, owed: 0 });
      expect(res.body.summary.expiringSoon.points).to.equal(300);
      expect(new Date(res.body.summary.expiringSoon.before).getTime()).to.be.greaterThan(soon.getTime());

      // Taking 500 empties the two expiring lots first; the never-expiring one is spent last.
      await adjust(id, { delta: -500, reason: '清零' });
      const open = await test.http().get(`/api/v1/members/${id}/points/lots`).set(as('cashier1'));
      expect(open.body.items.map((l: { amount: number; remaining: number }) => [l.amount, l.remaining])).to.deep.equal([[100, 25]]);
      const all = await test.http().get(`/api/v1/members/${id}/points/lots`).query({ all: 'true' }).set(as('cashier1'));
      expect(all.body.items).to.have.length(3);
    });

    it('answers a cashier of another store exactly like a missing member', async () => {
      for (const path of ['ledger', 'lots']) {
        const other = await test.http().get(`/api/v1/members/${id}/points/${path}`).set(as('cashier2'));
        const missing = await test.http().get(`/api/v1/members/99999999/points/${path}`).set(as('cashier2'));
        expect(other.status, path).to.equal(404);
        expect(Object.keys(other.body.error).sort()).to.deep.equal(Object.keys(missing.body.error).sort());
        expect(other.body.error.code).to.equal('MEMBER_NOT_FOUND');
      }
      expect((await test.http().get(`/api/v1/members/${id}/points/ledger`).set(as('itops1'))).status).to.equal(403);
    });
  });
});
