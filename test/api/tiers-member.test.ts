import { expect } from 'chai';
import type { Response } from 'supertest';
import { startTestApp, type TestApp } from '../support/app.js';
import { seedAccessFixture, type AccessFixture } from '../support/access.js';
import { TEST_DIALECT } from '../support/database.js';
import { auth } from '../support/checkout.js';
import { createMember, phoneSequence } from '../support/members.js';
import { DEFAULT_SETTINGS, fourLevels, getTiers, memberTierRow, publishTiers, spend, tierIds } from '../support/tiers.js';

const DAY = 86_400_000;

describe(`tiers: a member's tier, explained, changed by hand, and its history (${TEST_DIALECT})`, function () {
  this.timeout(60_000);
  let test: TestApp;
  let f: AccessFixture;
  let ids: Record<string, number>;
  const nextPhone = phoneSequence('1390017');
  const newMember = async () => (await createMember(test, f.tokens.root, { name: '顾客', phone: nextPhone(), homeStoreId: f.stores.s1.id })).id;
  const buy = (memberId: number, fen: number, at?: Date) => spend(test, f.tokens.cashier1, f.stores.s1.id, memberId, fen, at);
  const explain = async (memberId: number, token = f.tokens.cashier1, language = 'zh-CN') => {
    const res = await test.http().get(`/api/v1/members/${memberId}/tier`).set(auth(token)).set('Accept-Language', language);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body;
  };

  before(async () => {
    test = await startTestApp({ jobs: 'off' });
    f = await seedAccessFixture(test);
    const base = (await getTiers(test, f.tokens.root)).tiers[0].id;
    await publishTiers(test, f.tokens.root, fourLevels(base), { ...DEFAULT_SETTINGS, window: { type: 'lifetime' } });
    ids = await tierIds(test, f.tokens.root);
  });
  after(() => test.close());

  describe('the explanation', () => {
    it('tells a base member what the first level takes', async () => {
      const body = await explain(await newMember());
      expect(body).to.deep.include({ manual: false, metric: 0, reviewAt: null, retention: null, basis: 'spend' });
      expect(body.tier).to.include({ id: ids['普通会员'], name: '普通会员' });
      expect(body.next).to.deep.include({ threshold: 100_000, missing: 100_000 });
      expect(body.texts.next.zh).to.equal('再消费 ¥1,000.00 升级为银卡');
      expect(body.texts.keep).to.equal(null);
    });

    it('says how much more reaches the next level and that the current one is kept, in both languages', async () => {
      const memberId = await newMember();
      await buy(memberId, 376_000);
      const body = await explain(memberId);
      expect(body.tier.name).to.equal('银卡');
      expect(body.next).to.deep.include({ threshold: 500_000, missing: 124_000 });
      expect(body.texts.status.zh).to.equal('当前等级：银卡；累计消费 ¥3,760.00');
      expect(body.texts.next).to.deep.equal({ zh: '再消费 ¥1,240.00 升级为金卡', en: 'Spend ¥1,240.00 more to reach 金卡' });
      expect(body.texts.keep.zh).to.equal(`已满足保级条件，银卡将于 ${body.reviewDate} 后自动续期`);
      expect(body.explanation).to.equal(`当前等级：银卡；累计消费 ¥3,760.00；再消费 ¥1,240.00 升级为金卡；已满足保级条件，银卡将于 ${body.reviewDate} 后自动续期。`);
      const english = await explain(memberId, f.tokens.cashier1, 'en');
      expect(english.explanation).to.include('Spend ¥1,240.00 more to reach 金卡').and.include('all-time spend ¥3,760.00');
    });

    it('says what keeping the tier takes by the review date, and what happens if not', async () => {
      const memberId = await newMember();
      await buy(memberId, 500_000, new Date(Date.now() - 400 * DAY));
      let body = await explain(memberId);
      const { row } = await memberTierRow(test, memberId);
      expect(body.reviewAt).to.equal(row!.reviewAt!.toISOString());
      expect(body.retention).to.deep.include({ threshold: 300_000, metric: 0, missing: 300_000, by: body.reviewDate });
      expect(body.texts.keep).to.deep.equal({
        zh: `${body.reviewDate} 前再消费 ¥3,000.00 可保留金卡，否则将降为银卡`,
        en: `Spend ¥3,000.00 more by ${body.reviewDate} to keep 金卡, or move down to 银卡`,
      });
      // 9.5折 on ¥1,760: ¥1,672 of the ¥3,000 is paid.
      await buy(memberId, 176_000);
      body = await explain(memberId);
      expect(body.retention).to.deep.include({ metric: 167_200, missing: 132_800 });
      expect(body.texts.keep.zh).to.equal(`${body.reviewDate} 前再消费 ¥1,328.00 可保留金卡，否则将降为银卡`);
      expect(body.texts.next.zh).to.equal('再消费 ¥13,328.00 升级为钻石');
    });

    it('answers another store\'s cashier like a missing member and refuses roles without the permission', async () => {
      const memberId = await newMember();
      const other = await test.http().get(`/api/v1/members/${memberId}/tier`).set(auth(f.tokens.cashier2));
      expect(other.status).to.equal(404);
      expect(other.body.error.code).to.equal('MEMBER_NOT_FOUND');
      expect((await test.http().get(`/api/v1/members/${memberId}/tier-history`).set(auth(f.tokens.cashier2))).status).to.equal(404);
      expect((await test.http().get(`/api/v1/members/${memberId}/tier`).set(auth(f.tokens.itops1))).status).to.equal(403);
    });
  });

  describe('a manual change', () => {
    it('is refused without the permission, outside the store, for a missing tier, or with a last day already past', async () => {
      const memberId = await newMember();
      const post = (token: string, body: object) => test.http().post(`/api/v1/members/${memberId}/tier`).set(auth(token)).send(body);
      expect((await post(f.tokens.cashier1, { tierId: ids['金卡'], reason: '试' })).status).to.equal(403);
      expect((await post(f.tokens.manager2, { tierId: ids['金卡'], reason: '试' })).body.error.code).to.equal('MEMBER_NOT_FOUND');
      const missing = await post(f.tokens.manager1, { tierId: 999_999, reason: '试' });
      expect(missing.status).to.equal(404);
      expect(missing.body.error.code).to.equal('TIER_NOT_FOUND');
      const past = await post(f.tokens.manager1, { tierId: ids['金卡'], reason: '试', until: '2020-01-01' });
      expect(past.status).to.equal(422);
      expect(past.body.error.details.fields[0].path).to.equal('until');
      expect((await post(f.tokens.manager1, { tierId: ids['金卡'] })).body.error.details.fields[0].path).to.equal('reason');
      expect((await memberTierRow(test, memberId)).tierId).to.equal(null);
    });

    it('records the reason and the expiry, says it is manual, and is audited', async () => {
      const memberId = await newMember();
      await buy(memberId, 120_000);
      const res = await test.http().post(`/api/v1/members/${memberId}/tier`).set(auth(f.tokens.manager1)).send({ tierId: ids['金卡'], reason: '开业合作伙伴', until: '2099-12-31' });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body).to.deep.include({ manual: true, manualReason: '开业合作伙伴', reviewAt: null, retention: null });
      expect(res.body.texts.status.zh).to.equal('当前等级：金卡（手动设置，原因：开业合作伙伴，有效期至 2099-12-31，到期后按规则重新评定）；累计消费 ¥1,200.00');
      expect(res.body.texts.keep).to.equal(null);
      const audit = await test.ctx.models.audit.AuditLog.findOne({ where: { action: 'tier.adjust', entityId: String(memberId) } });
      expect(audit!.summary).to.include('银卡 → 金卡').and.include('开业合作伙伴');
      // Earning a higher level still moves the member up, and the manual mark ends.
      await buy(memberId, 2_000_000);
      const { row, tierId } = await memberTierRow(test, memberId);
      expect(tierId).to.equal(ids['钻石']);
      expect(row).to.deep.include({ manual: false, manualUntil: null });
    });
  });

  describe('the history', () => {
    it('pages newest first with the levels, the numbers and who changed it, and shows in the member 360', async () => {
      const memberId = await newMember();
      await buy(memberId, 120_000);
      await buy(memberId, 400_000);
      await test.http().post(`/api/v1/members/${memberId}/tier`).set(auth(f.tokens.manager1)).send({ tierId: ids['银卡'], reason: '客诉补偿调整' });
      const first = await test.http().get(`/api/v1/members/${memberId}/tier-history`).query({ limit: 2 }).set(auth(f.tokens.cashier1));
      expect(first.status, JSON.stringify(first.body)).to.equal(200);
      expect(first.body.items.map((h: { reason: string }) => h.reason)).to.deep.equal(['manual', 'order']);
      expect(first.body.items[0]).to.deep.include({ direction: 'manual', operatorId: f.users.manager1.id, operatorName: f.users.manager1.displayName, note: '客诉补偿调整，长期' });
      expect(first.body.items[0].from).to.include({ name: '金卡' });
      expect(first.body.items[0].to).to.include({ name: '银卡' });
      expect(first.body.items[1]).to.deep.include({ basis: 'spend', threshold: 500_000, operatorName: f.users.cashier1.displayName });
      const second = await test.http().get(`/api/v1/members/${memberId}/tier-history`).query({ limit: 2, cursor: first.body.nextCursor }).set(auth(f.tokens.cashier1));
      expect(second.body.items.map((h: { to: { name: string } }) => h.to.name)).to.deep.equal(['银卡']);
      expect(second.body.nextCursor).to.equal(null);

      const overview = await test.http().get(`/api/v1/members/${memberId}/overview`).set(auth(f.tokens.cashier1));
      expect(overview.status, JSON.stringify(overview.body)).to.equal(200);
      expect(overview.body.tierHistory.map((h: { reason: string }) => h.reason)).to.deep.equal(['manual', 'order', 'order']);
      expect(overview.body.tier).to.deep.include({ manual: true });
      expect(overview.body.tier.tier).to.include({ name: '银卡' });
    });
  });

  describe('the member list by tier', () => {
    it('finds members never placed under the base level, and only placed members under the others', async () => {
      const never = await newMember();
      const silver = await newMember();
      await buy(silver, 150_000);
      const listed = async (tierId: number) => {
        const ids: number[] = [];
        let cursor: string | null = null;
        do {
          const res: Response = await test.http().get('/api/v1/members').query({ tierId, limit: 200, ...(cursor ? { cursor } : {}) }).set(auth(f.tokens.root));
          expect(res.status, JSON.stringify(res.body)).to.equal(200);
          ids.push(...res.body.items.map((m: { id: number }) => m.id));
          cursor = res.body.nextCursor;
        } while (cursor);
        return ids;
      };
      const base = await listed(ids['普通会员']);
      expect(base).to.include(never).and.not.include(silver);
      const silvers = await listed(ids['银卡']);
      expect(silvers).to.include(silver).and.not.include(never);
    });
  });
});
