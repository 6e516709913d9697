import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import type { JobRun } from '../../server/src/platform/jobs/job-spec.js';
import tiersReviewJob from '../../server/src/modules/tiers/jobs/review.job.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { seedAccessFixture, type AccessFixture } from '../support/access.js';
import { TEST_DIALECT } from '../support/database.js';
import { auth } from '../support/checkout.js';
import { createMember, phoneSequence } from '../support/members.js';
import { DEFAULT_SETTINGS, fourLevels, getTiers, memberTierRow, publishTiers, spend, tierIds } from '../support/tiers.js';

const DAY = 86_400_000;

describe(`tiers: the daily review with a faked clock (${TEST_DIALECT})`, function () {
  this.timeout(60_000);
  let test: TestApp;
  let f: AccessFixture;
  let ids: Record<string, number>;
  const settings = { ...DEFAULT_SETTINGS, window: { type: 'lifetime' }, graceDays: 7, warnDays: 30 };
  const nextPhone = phoneSequence('1390015');
  const newMember = async () => (await createMember(test, f.tokens.root, { name: '顾客', phone: nextPhone(), homeStoreId: f.stores.s1.id })).id;
  const buy = (memberId: number, fen: number, at?: Date) => spend(test, f.tokens.cashier1, f.stores.s1.id, memberId, fen, at);
  /** Runs the job as the scheduler would, at `now`. */
  const runAt = async (now: Date) => {
    const run = { data: { now: now.toISOString() }, progress: async () => undefined } as unknown as JobRun<{ now?: string }>;
    const result = await tiersReviewJob.handler(run, test.ctx);
    return result!.summary!;
  };
  const reviewAt = async (memberId: number) => (await memberTierRow(test, memberId)).row!.reviewAt!;
  const lastDay = (at: Date) => new Date(at.getTime() - 1).toLocaleDateString('sv-SE', { timeZone: test.ctx.config.businessTimezone });
  const history = (memberId: number) => test.ctx.services.tiers.models.TierHistory.findAll({ where: { memberId }, order: [['id', 'ASC']] });
  const warnings = (memberId: number) =>
    test.ctx.sequelize.query<{ payload: string }>(`SELECT payload FROM domain_events WHERE type = 'tier.downgrade_warning' AND member_id = ${memberId}`, { type: QueryTypes.SELECT });

  before(async () => {
    test = await startTestApp({ jobs: 'off' });
    f = await seedAccessFixture(test);
    const base = (await getTiers(test, f.tokens.root)).tiers[0].id;
    await publishTiers(test, f.tokens.root, fourLevels(base), settings);
    ids = await tierIds(test, f.tokens.root);
  });
  after(() => test.close());

  it('warns once within warnDays of the review, waits out the grace days, then moves one level down with the numbers', async () => {
    const memberId = await newMember();
    // Spent long ago: enough for 金卡 over all time, nothing in the retention period that starts now.
    await buy(memberId, 500_000, new Date(Date.now() - 400 * DAY));
    expect((await memberTierRow(test, memberId)).tierId).to.equal(ids['金卡']);
    const review = await reviewAt(memberId);

    await runAt(new Date(review.getTime() - 40 * DAY));
    expect(await warnings(memberId)).to.have.length(0);
    const warned = await runAt(new Date(review.getTime() - 20 * DAY));
    expect(warned.warned).to.be.at.least(1);
    const [warning] = await warnings(memberId);
    expect(JSON.parse(warning.payload)).to.include({ tier: '金卡', metric: 0, threshold: 300_000, missing: 300_000, downgradeTo: '银卡' });
    await runAt(new Date(review.getTime() - 19 * DAY));
    expect(await warnings(memberId)).to.have.length(1);

    const grace = await runAt(new Date(review.getTime() + DAY));
    expect(grace.inGrace).to.be.at.least(1);
    expect((await memberTierRow(test, memberId)).tierId).to.equal(ids['金卡']);

    const at = new Date(review.getTime() + 8 * DAY);
    const done = await runAt(at);
    expect(done.downgraded).to.be.at.least(1);
    const { row, tierId } = await memberTierRow(test, memberId);
    expect(tierId).to.equal(ids['银卡']);
    expect(row).to.deep.include({ tierId: ids['银卡'], manual: false, warnedAt: null });
    expect(row!.since.getTime()).to.equal(at.getTime());
    expect(row!.reviewAt!.getTime()).to.be.greaterThan(at.getTime() + 364 * DAY);
    const last = (await history(memberId)).at(-1)!;
    expect(last).to.deep.include({ reason: 'retention', direction: 'down', fromTierId: ids['金卡'], toTierId: ids['银卡'], metric: 0, threshold: 300_000, basis: 'spend' });
    expect(last.windowTo!.getTime()).to.equal(at.getTime());
    expect(last.windowFrom!.getTime()).to.be.lessThan(review.getTime() - 364 * DAY);
    expect(last.note).to.include('未达标');
  });

  it('renews a member who met the retention threshold, storing the renewal without a history row', async () => {
    const memberId = await newMember();
    await buy(memberId, 500_000);
    const review = await reviewAt(memberId);
    const done = await runAt(new Date(review.getTime() + DAY));
    expect(done.renewed).to.be.at.least(1);
    const { row, tierId } = await memberTierRow(test, memberId);
    expect(tierId).to.equal(ids['金卡']);
    expect(row!.renewedAt!.getTime()).to.equal(review.getTime() + DAY);
    expect(row!.reviewAt!.getTime()).to.be.greaterThan(review.getTime() + 364 * DAY);
    expect((await history(memberId)).map((h) => h.reason)).to.deep.equal(['order']);
    const audit = await test.ctx.models.audit.AuditLog.findOne({ where: { action: 'tier.review' }, order: [['id', 'DESC']] });
    expect(audit!.summary).to.include('续期 1 人');
    expect(JSON.parse(audit!.diff!).renewed).to.deep.include({ memberId, tier: '金卡', metric: 500_000, threshold: 300_000, nextReviewDate: lastDay(row!.reviewAt!) });
  });

  it('counts what is spent within the grace days towards keeping the tier', async () => {
    const memberId = await newMember();
    await buy(memberId, 500_000, new Date(Date.now() - 400 * DAY));
    const review = await reviewAt(memberId);
    await buy(memberId, 320_000, new Date(review.getTime() + 2 * DAY));
    await runAt(new Date(review.getTime() + 8 * DAY));
    expect((await memberTierRow(test, memberId)).tierId).to.equal(ids['金卡']);
    expect((await history(memberId)).map((h) => h.reason)).to.deep.equal(['order']);
  });

  it('moves straight to the base level when the rule says to_base', async () => {
    const config = await getTiers(test, f.tokens.root);
    await publishTiers(test, f.tokens.root, config.tiers.map(({ memberCount: _n, level: _l, ...tier }) => tier), { ...settings, downgrade: 'to_base' });
    const memberId = await newMember();
    await buy(memberId, 2_000_000, new Date(Date.now() - 400 * DAY));
    expect((await memberTierRow(test, memberId)).tierId).to.equal(ids['钻石']);
    await runAt(new Date((await reviewAt(memberId)).getTime() + 8 * DAY));
    const { row, tierId } = await memberTierRow(test, memberId);
    expect(tierId).to.equal(ids['普通会员']);
    expect(row!.reviewAt).to.equal(null);
    expect((await history(memberId)).at(-1)).to.deep.include({ reason: 'retention', fromTierId: ids['钻石'], toTierId: ids['普通会员'], threshold: 1_000_000 });
  });

  it('holds a manual tier without review until its last day, then places the member by the metric again', async () => {
    const memberId = await newMember();
    await buy(memberId, 150_000);
    const until = new Date(Date.now() + 10 * DAY).toISOString().slice(0, 10);
    const res = await test.http().post(`/api/v1/members/${memberId}/tier`).set(auth(f.tokens.manager1)).send({ tierId: ids['钻石'], reason: '年度大客户', until });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.include({ manual: true, manualReason: '年度大客户' });
    expect(res.body.explanation).to.include('手动设置').and.include('年度大客户');
    expect((await memberTierRow(test, memberId)).tierId).to.equal(ids['钻石']);

    await runAt(new Date(Date.now() + 5 * DAY));
    expect((await memberTierRow(test, memberId)).tierId).to.equal(ids['钻石']);
    const done = await runAt(new Date(Date.now() + 12 * DAY));
    expect(done.manualExpired).to.be.at.least(1);
    const { row, tierId } = await memberTierRow(test, memberId);
    expect(tierId).to.equal(ids['银卡']);
    expect(row).to.deep.include({ manual: false, manualUntil: null });
    const last = (await history(memberId)).at(-1)!;
    expect(last).to.deep.include({ reason: 'manual_expired', direction: 'down', fromTierId: ids['钻石'], toTierId: ids['银卡'], metric: 150_000 });
    expect(last.note).to.include(until);
  });

  it('runs as the tiers.review job every night and reports its counts', async () => {
    expect(tiersReviewJob.schedule).to.equal('20 0 * * *');
    const summary = await runAt(new Date());
    expect(summary).to.include.all.keys('manualExpired', 'warned', 'renewed', 'downgraded', 'inGrace', 'birthdayCoupons', 'monthlyCoupons');
  });
});
