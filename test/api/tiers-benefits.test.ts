import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import type { JobRun } from '../../server/src/platform/jobs/job-spec.js';
import tiersReviewJob from '../../server/src/modules/tiers/jobs/review.job.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { seedAccessFixture, type AccessFixture } from '../support/access.js';
import { TEST_DIALECT } from '../support/database.js';
import { auth } from '../support/checkout.js';
import { createCouponTemplate } from '../support/coupons.js';
import { createMember, phoneSequence } from '../support/members.js';
import { DEFAULT_SETTINGS, fourLevels, getTiers, publishTiers, spend } from '../support/tiers.js';

describe(`tiers: birthday and monthly gifts from the daily job (${TEST_DIALECT})`, function () {
  this.timeout(60_000);
  let test: TestApp;
  let f: AccessFixture;
  let birthdayTemplate = 0;
  let monthlyTemplate = 0;
  const nextPhone = phoneSequence('1390018');
  const newMember = async (birthday: string) => (await createMember(test, f.tokens.root, { name: '寿星', phone: nextPhone(), homeStoreId: f.stores.s1.id, birthday })).id;
  const template = async (name: string) => (await createCouponTemplate(test, f.tokens.root, { name, kind: 'voucher', amountOff: 2_000, threshold: null, stackGroup: null })).id;
  const runAt = async (iso: string) => {
    const run = { data: { now: iso }, progress: async () => undefined } as unknown as JobRun<{ now?: string }>;
    return (await tiersReviewJob.handler(run, test.ctx))!.summary!;
  };
  const gifts = () =>
    test.ctx.sequelize.query<{ member_id: number | string; template_id: number | string; source_ref: string }>("SELECT member_id, template_id, source_ref FROM coupons WHERE source = 'tier' ORDER BY id", { type: QueryTypes.SELECT });

  let gold = 0;
  let goldLeap = 0;
  let base = 0;

  before(async () => {
    test = await startTestApp({ jobs: 'off' });
    f = await seedAccessFixture(test);
    birthdayTemplate = await template('生日礼券');
    monthlyTemplate = await template('金卡月礼');
    gold = await newMember('1990-03-15');
    goldLeap = await newMember('2000-02-29');
    base = await newMember('1991-03-15');
  });
  after(() => test.close());

  it('refuses a level that names a coupon template that does not exist', async () => {
    const baseId = (await getTiers(test, f.tokens.root)).tiers[0].id;
    const levels = fourLevels(baseId);
    levels[2] = { ...levels[2], birthdayTemplateId: 987_654 };
    const res = await test.http().put('/api/v1/tiers').set(auth(f.tokens.root)).send({ tiers: levels, settings: DEFAULT_SETTINGS });
    expect(res.status).to.equal(422);
    expect(res.body.error.code).to.equal('TIER_RULES_INVALID');
    expect(res.body.error.message).to.include('987654');
    expect(res.body.error.details.fields[0].path).to.equal('tiers.2.birthdayTemplateId');
  });

  it('gives a 金卡 member the birthday template on the birthday, once however often the job runs', async () => {
    const baseId = (await getTiers(test, f.tokens.root)).tiers[0].id;
    const levels = fourLevels(baseId);
    levels[2] = { ...levels[2], birthdayTemplateId: birthdayTemplate, monthlyTemplateId: monthlyTemplate };
    await publishTiers(test, f.tokens.root, levels);
    await spend(test, f.tokens.cashier1, f.stores.s1.id, gold, 500_000);
    await spend(test, f.tokens.cashier1, f.stores.s1.id, goldLeap, 500_000);

    const first = await runAt('2027-03-15T00:20:00+08:00');
    expect(first.birthdayCoupons).to.equal(1);
    await runAt('2027-03-15T09:00:00+08:00');
    expect((await gifts()).map((g) => [Number(g.member_id), Number(g.template_id), g.source_ref])).to.deep.equal([[gold, birthdayTemplate, 'birthday:2027']]);
    // The base member born the same day has no birthday gift at the base level.
    expect((await gifts()).some((g) => Number(g.member_id) === base)).to.equal(false);
  });

  it('gives a member born on 29 February the gift on the 28th in a year without one', async () => {
    await runAt('2027-02-28T00:20:00+08:00');
    expect((await gifts()).filter((g) => Number(g.member_id) === goldLeap).map((g) => g.source_ref)).to.deep.equal(['birthday:2027']);
  });

  it('gives the monthly template on the 1st to every member of the level, once per month', async () => {
    const summary = await runAt('2027-04-01T00:20:00+08:00');
    expect(summary.monthlyCoupons).to.equal(2);
    await runAt('2027-04-01T10:00:00+08:00');
    await runAt('2027-04-02T00:20:00+08:00');
    const monthly = (await gifts()).filter((g) => g.source_ref.startsWith('monthly:'));
    expect(monthly.map((g) => [Number(g.member_id), g.source_ref])).to.have.deep.members([
      [gold, 'monthly:2027-04'],
      [goldLeap, 'monthly:2027-04'],
    ]);
  });
});
