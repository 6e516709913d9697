import { expect } from 'chai';
import {
  businessDate,
  discountLabel,
  discountOff,
  downgradeTarget,
  earnedLevel,
  entryWindow,
  hasReview,
  lastDayBefore,
  levelOf,
  metricOf,
  metricText,
  nextReview,
  periodStart,
  reviewAfter,
  zheText,
} from '../../../server/src/modules/tiers/rules.js';
import { level } from './levels.js';

const SHANGHAI = 'Asia/Shanghai';

const LEVELS = [level(1, 1, '普通会员', 0), level(2, 2, '银卡', 100_000, 50_000, 98), level(3, 3, '金卡', 500_000, 300_000, 95), level(4, 4, '钻石', 2_000_000, null, 90)];

describe('tiers: the rules', () => {
  it('reads 折 as a merchant writes it', () => {
    expect([95, 90, 88, 85, 50, 5, 100].map(zheText)).to.deep.equal(['9.5折', '9折', '8.8折', '8.5折', '5折', '0.5折', '']);
    expect(discountLabel({ name: '金卡', discountRate: 95 })).to.equal('金卡 9.5折');
  });

  it('takes off what the rate leaves unpaid, the paid part rounded half up to the fen', () => {
    expect(discountOff(18_345, 95)).to.equal(917);
    expect(discountOff(9_999, 95)).to.equal(500);
    expect(discountOff(10, 95)).to.equal(0);
    expect(discountOff(30, 95)).to.equal(1);
    expect(discountOff(10_000, 100)).to.equal(0);
    expect(discountOff(0, 90)).to.equal(0);
  });

  it('places a metric at the highest level whose entry threshold it meets', () => {
    expect([0, 99_999, 100_000, 499_999, 500_000, 9_000_000].map((m) => earnedLevel(LEVELS, m).name)).to.deep.equal(['普通会员', '普通会员', '银卡', '银卡', '金卡', '钻石']);
    expect(levelOf(LEVELS, null).name).to.equal('普通会员');
    expect(levelOf(LEVELS, 99).name).to.equal('普通会员');
    expect(levelOf(LEVELS, 3).name).to.equal('金卡');
  });

  it('moves down one level or to the base', () => {
    expect(downgradeTarget(LEVELS, LEVELS[3], 'one_level').name).to.equal('金卡');
    expect(downgradeTarget(LEVELS, LEVELS[3], 'to_base').name).to.equal('普通会员');
    expect(downgradeTarget(LEVELS, LEVELS[0], 'one_level').name).to.equal('普通会员');
    expect(LEVELS.map((l) => hasReview(LEVELS, l))).to.deep.equal([false, true, true, false]);
  });

  it('counts spend, points or growth', () => {
    const parts = { net: 123_456, orders: 3, points: 777 };
    expect(metricOf({ basis: 'spend', growth: { perYuan: 1, perOrder: 0 } }, parts)).to.equal(123_456);
    expect(metricOf({ basis: 'points', growth: { perYuan: 1, perOrder: 0 } }, parts)).to.equal(777);
    expect(metricOf({ basis: 'growth', growth: { perYuan: 2, perOrder: 10 } }, parts)).to.equal(1_234 * 2 + 30);
    expect(metricOf({ basis: 'growth', growth: { perYuan: 2, perOrder: 0 } }, { net: -500, orders: 0, points: 0 })).to.equal(0);
    expect(metricText('spend', 124_000)).to.deep.equal({ zh: '¥1,240.00', en: '¥1,240.00' });
    expect(metricText('points', 1_240)).to.deep.equal({ zh: '1,240 积分', en: '1,240 points' });
    expect(metricText('growth', 1_240)).to.deep.equal({ zh: '1,240 成长值', en: '1,240 growth' });
  });

  it('runs retention periods over whole business days', () => {
    // Reached on 1 April 2026 at 14:05 in Shanghai: the period's last day is 31 March 2027.
    const since = new Date('2026-04-01T06:05:00Z');
    const review = reviewAfter(since, 12, SHANGHAI);
    expect(review.toISOString()).to.equal('2027-03-31T16:00:00.000Z');
    expect(lastDayBefore(review, SHANGHAI)).to.equal('2027-03-31');
    expect(periodStart(review, 12, SHANGHAI).toISOString()).to.equal('2026-03-31T16:00:00.000Z');
    expect(businessDate(periodStart(review, 12, SHANGHAI), SHANGHAI)).to.equal('2026-04-01');
    const next = nextReview(review, 12, SHANGHAI);
    expect(lastDayBefore(next, SHANGHAI)).to.equal('2028-03-31');
    expect(periodStart(next, 12, SHANGHAI).getTime()).to.equal(review.getTime());
    // Late in the day UTC is already the next day in Shanghai.
    expect(lastDayBefore(reviewAfter(new Date('2026-03-31T17:00:00Z'), 1, SHANGHAI), SHANGHAI)).to.equal('2026-04-30');
  });

  it('counts the entry metric over all time or from the start of the day N months ago', () => {
    const now = new Date('2027-03-15T06:00:00Z');
    expect(entryWindow({ window: { type: 'lifetime' } }, now, SHANGHAI)).to.deep.equal({ from: null, to: now });
    expect(entryWindow({ window: { type: 'rolling', months: 12 } }, now, SHANGHAI).from!.toISOString()).to.equal('2026-03-14T16:00:00.000Z');
  });
});
