import { expect } from 'chai';
import { AppError } from '../../server/src/platform/errors/app-error.js';
import {
  DEFAULT_POINTS_SETTINGS,
  PointsSettingsSchema,
  expiryFor,
  maxRedeemableFen,
  pointsToEarn,
  redemption,
  type PointsSettings,
} from '../../server/src/modules/points/settings.js';

const SHANGHAI = 'Asia/Shanghai';

/** The defaults with some parts replaced. */
function rules(patch: { earn?: Partial<PointsSettings['earn']>; redeem?: Partial<PointsSettings['redeem']>; expiry?: Partial<PointsSettings['expiry']> } = {}): PointsSettings {
  const d = DEFAULT_POINTS_SETTINGS;
  return { ...d, earn: { ...d.earn, ...patch.earn }, redeem: { ...d.redeem, ...patch.redeem }, expiry: { ...d.expiry, ...patch.expiry } };
}

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).to.be.instanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected a refusal');
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

describe('points settings', () => {
  describe('the settings document', () => {
    it('accepts its defaults and refuses values out of range, unknown methods and unknown keys', () => {
      expect(PointsSettingsSchema.safeParse(DEFAULT_POINTS_SETTINGS).success).to.equal(true);
      const bad: unknown[] = [
        { ...DEFAULT_POINTS_SETTINGS, earn: { ...DEFAULT_POINTS_SETTINGS.earn, pointsPerYuan: 1001 } },
        { ...DEFAULT_POINTS_SETTINGS, earn: { ...DEFAULT_POINTS_SETTINGS.earn, methods: ['cash', 'points'] } },
        { ...DEFAULT_POINTS_SETTINGS, earn: { ...DEFAULT_POINTS_SETTINGS.earn, methods: ['cash', 'cash'] } },
        { ...DEFAULT_POINTS_SETTINGS, redeem: { ...DEFAULT_POINTS_SETTINGS.redeem, pointsPerYuan: 0 } },
        { ...DEFAULT_POINTS_SETTINGS, redeem: { ...DEFAULT_POINTS_SETTINGS.redeem, maxSharePercent: 101 } },
        { ...DEFAULT_POINTS_SETTINGS, expiry: { ...DEFAULT_POINTS_SETTINGS.expiry, policy: 'monthly' } },
        { ...DEFAULT_POINTS_SETTINGS, surprise: true },
      ];
      for (const value of bad) expect(PointsSettingsSchema.safeParse(value).success, JSON.stringify(value)).to.equal(false);
    });
  });

  describe('pointsToEarn', () => {
    it('turns fen paid into points with the configured rounding, once per order', () => {
      expect(pointsToEarn(rules(), 1999)).to.equal(19);
      expect(pointsToEarn(rules({ earn: { rounding: 'round' } }), 1999)).to.equal(20);
      expect(pointsToEarn(rules({ earn: { rounding: 'ceil' } }), 1901)).to.equal(20);
      expect(pointsToEarn(rules({ earn: { rounding: 'round' } }), 150)).to.equal(2);
      expect(pointsToEarn(rules({ earn: { rounding: 'round' } }), 149)).to.equal(1);
      for (const rounding of ['floor', 'round', 'ceil'] as const) expect(pointsToEarn(rules({ earn: { rounding } }), 1900)).to.equal(19);
      expect(pointsToEarn(rules({ earn: { pointsPerYuan: 3 } }), 1234)).to.equal(37);
    });

    it('applies a tier multiplier exactly, without float drift', () => {
      expect(pointsToEarn(rules(), 1999, 1.5)).to.equal(29);
      expect(pointsToEarn(rules({ earn: { rounding: 'round' } }), 1999, 1.5)).to.equal(30);
      // 0.1 + 0.2 style drift would make 1000 fen x 1.1 read 10.999... and floor to 10.
      expect(pointsToEarn(rules(), 1000, 1.1)).to.equal(11);
      expect(pointsToEarn(rules(), 1000, 1.2)).to.equal(12);
      expect(pointsToEarn(rules({ earn: { pointsPerYuan: 1000 } }), 100_000_000_000, 2)).to.equal(2_000_000_000_000);
    });

    it('earns nothing when earning is off, the rate is 0 or nothing was paid', () => {
      expect(pointsToEarn(rules({ earn: { enabled: false } }), 10_000)).to.equal(0);
      expect(pointsToEarn(rules({ earn: { pointsPerYuan: 0 } }), 10_000)).to.equal(0);
      expect(pointsToEarn(rules(), 0)).to.equal(0);
      expect(pointsToEarn(rules(), -500)).to.equal(0);
      expect(() => pointsToEarn(rules(), 10.5)).to.throw(/whole fen/);
    });
  });

  describe('redemption', () => {
    it('gives the points an amount costs at the rate', () => {
      expect(redemption(rules(), { amountFen: 500, payableFen: 2000, balance: 1000 })).to.deep.equal({ points: 500 });
      expect(redemption(rules({ redeem: { pointsPerYuan: 30, minPoints: 1 } }), { amountFen: 10, payableFen: 2000, balance: 1000 })).to.deep.equal({ points: 3 });
    });

    it('refuses with the rule broken, in both languages', () => {
      const disabled = refusal(() => redemption(rules({ redeem: { enabled: false } }), { amountFen: 500, payableFen: 2000, balance: 1000 }));
      expect(disabled.code).to.equal('POINTS_REDEMPTION_REFUSED');
      expect(disabled.details).to.deep.include({ rule: 'disabled' });
      expect(disabled.messageIn('zh-CN')).to.include('积分抵扣未开启');

      const fraction = refusal(() => redemption(rules({ redeem: { pointsPerYuan: 30, minPoints: 1 } }), { amountFen: 5, payableFen: 2000, balance: 1000 }));
      expect(fraction.details).to.deep.include({ rule: 'whole_points' });
      expect(fraction.messageIn('en')).to.include('0.05 yuan is not a whole number of points');

      const few = refusal(() => redemption(rules(), { amountFen: 50, payableFen: 2000, balance: 1000 }));
      expect(few.details).to.deep.include({ rule: 'min_points', minPoints: 100 });

      const share = refusal(() => redemption(rules(), { amountFen: 1100, payableFen: 2000, balance: 5000 }));
      expect(share.details).to.deep.include({ rule: 'max_share', maxAmount: 1000 });
      expect(share.messageIn('zh-CN')).to.include('50%（10.00 元）');
      expect(redemption(rules(), { amountFen: 1000, payableFen: 2000, balance: 5000 }).points).to.equal(1000);

      const zero = refusal(() => redemption(rules(), { amountFen: 0, payableFen: 2000, balance: 5000 }));
      expect(zero.details).to.deep.include({ rule: 'amount' });
    });

    it('answers a balance shortage as the ledger does, with INSUFFICIENT_BALANCE', () => {
      const short = refusal(() => redemption(rules(), { amountFen: 500, payableFen: 2000, balance: 400 }));
      expect(short.code).to.equal('INSUFFICIENT_BALANCE');
      expect(short.params).to.deep.include({ needed: 500, available: 400 });
      expect(short.messageIn('zh-CN')).to.match(/^积分.*500.*400/);
      expect(short.messageIn('en')).to.include('points').and.include('500').and.include('400');
      const owed = refusal(() => redemption(rules(), { amountFen: 500, payableFen: 2000, balance: -30 }));
      expect(owed.params.available).to.equal(0);
    });
  });

  describe('maxRedeemableFen', () => {
    it('is the least of the share cap and the balance, in whole points', () => {
      expect(maxRedeemableFen(rules(), 2000, 100_000)).to.equal(1000);
      expect(maxRedeemableFen(rules(), 2001, 100_000)).to.equal(1000);
      expect(maxRedeemableFen(rules(), 2000, 350)).to.equal(350);
      // 30 points a yuan: 10 fen buy 3 whole points, so the amount steps by 10 fen.
      expect(maxRedeemableFen(rules({ redeem: { pointsPerYuan: 30 } }), 100_000, 1000)).to.equal(3330);
      expect(maxRedeemableFen(rules({ redeem: { pointsPerYuan: 1, minPoints: 1 } }), 100_000, 7)).to.equal(700);
    });

    it('is 0 when the most would be below the minimum, redemption is off, or nothing is held', () => {
      expect(maxRedeemableFen(rules(), 2000, 50)).to.equal(0);
      expect(maxRedeemableFen(rules({ redeem: { enabled: false } }), 2000, 1000)).to.equal(0);
      expect(maxRedeemableFen(rules(), 2000, -40)).to.equal(0);
      expect(maxRedeemableFen(rules({ redeem: { maxSharePercent: 0 } }), 2000, 1000)).to.equal(0);
      expect(maxRedeemableFen(rules(), 0, 1000)).to.equal(0);
    });

    it('is always an amount redemption accepts', () => {
      for (const pointsPerYuan of [1, 3, 7, 30, 100, 125, 250, 9999]) {
        for (const payable of [1, 99, 1000, 12_345, 999_999]) {
          for (const balance of [1, 100, 777, 50_000]) {
            const settings = rules({ redeem: { pointsPerYuan, minPoints: 1, maxSharePercent: 37 } });
            const max = maxRedeemableFen(settings, payable, balance);
            if (max === 0) continue;
            const { points } = redemption(settings, { amountFen: max, payableFen: payable, balance });
            expect(points).to.be.at.most(balance);
          }
        }
      }
    });
  });

  describe('expiryFor (Asia/Shanghai)', () => {
    const at = (text: string) => new Date(text);

    it('never expires under the never policy', () => {
      expect(expiryFor(rules({ expiry: { policy: 'never' } }), at('2026-05-10T04:00:00Z'), SHANGHAI)).to.equal(null);
    });

    it('year_end: midnight after 31 December of the local year earned, plus grace months', () => {
      const yearEnd = rules({ expiry: { policy: 'year_end' } });
      expect(iso(expiryFor(yearEnd, at('2026-05-10T04:00:00Z'), SHANGHAI))).to.equal('2026-12-31T16:00:00.000Z');
      // 23:59 on 31 December in Shanghai: still 2026, so a minute to go.
      expect(iso(expiryFor(yearEnd, at('2026-12-31T15:59:00Z'), SHANGHAI))).to.equal('2026-12-31T16:00:00.000Z');
      // Already 1 January 00:30 in Shanghai though 2026 in UTC: the points count as 2027's.
      expect(iso(expiryFor(yearEnd, at('2026-12-31T16:30:00Z'), SHANGHAI))).to.equal('2027-12-31T16:00:00.000Z');
      expect(iso(expiryFor(yearEnd, at('2026-12-31T20:00:00Z'), 'UTC'))).to.equal('2027-01-01T00:00:00.000Z');
      expect(iso(expiryFor(rules({ expiry: { policy: 'year_end', graceMonths: 3 } }), at('2026-05-10T04:00:00Z'), SHANGHAI))).to.equal('2027-03-31T16:00:00.000Z');
      expect(iso(expiryFor(rules({ expiry: { policy: 'year_end', graceMonths: 2 } }), at('2026-05-10T04:00:00Z'), SHANGHAI))).to.equal('2027-02-28T16:00:00.000Z');
      expect(iso(expiryFor(rules({ expiry: { policy: 'year_end', graceMonths: 2 } }), at('2027-05-10T04:00:00Z'), SHANGHAI))).to.equal('2028-02-29T16:00:00.000Z');
      expect(iso(expiryFor(rules({ expiry: { policy: 'year_end', graceMonths: 12 } }), at('2026-05-10T04:00:00Z'), SHANGHAI))).to.equal('2027-12-31T16:00:00.000Z');
    });

    it('rolling_months: midnight after the last day of the month N months after the month earned', () => {
      const months = (n: number) => rules({ expiry: { policy: 'rolling_months', months: n } });
      expect(iso(expiryFor(months(12), at('2026-05-10T04:00:00Z'), SHANGHAI))).to.equal('2027-05-31T16:00:00.000Z');
      expect(iso(expiryFor(months(1), at('2026-01-31T04:00:00Z'), SHANGHAI))).to.equal('2026-02-28T16:00:00.000Z');
      expect(iso(expiryFor(months(1), at('2026-11-15T04:00:00Z'), SHANGHAI))).to.equal('2026-12-31T16:00:00.000Z');
      expect(iso(expiryFor(months(2), at('2026-11-15T04:00:00Z'), SHANGHAI))).to.equal('2027-01-31T16:00:00.000Z');
      // 30 April 20:00 UTC is already 1 May in Shanghai: May's points.
      expect(iso(expiryFor(months(1), at('2026-04-30T20:00:00Z'), SHANGHAI))).to.equal('2026-06-30T16:00:00.000Z');
    });

    it('days_after: midnight after the day N days after the local day earned', () => {
      const days = (n: number) => rules({ expiry: { policy: 'days_after', days: n } });
      expect(iso(expiryFor(days(365), at('2026-05-10T04:00:00Z'), SHANGHAI))).to.equal('2027-05-10T16:00:00.000Z');
      expect(iso(expiryFor(days(1), at('2026-01-31T04:00:00Z'), SHANGHAI))).to.equal('2026-02-01T16:00:00.000Z');
      expect(iso(expiryFor(days(30), at('2026-02-28T20:00:00Z'), SHANGHAI))).to.equal('2026-03-31T16:00:00.000Z');
      expect(iso(expiryFor(days(1), at('2026-12-31T04:00:00Z'), SHANGHAI))).to.equal('2027-01-01T16:00:00.000Z');
      expect(iso(expiryFor(days(366), at('2027-03-01T04:00:00Z'), SHANGHAI))).to.equal('2028-03-01T16:00:00.000Z');
    });
  });
});
