import { expect } from 'chai';
import fc from 'fast-check';
import { AppError } from '../../server/src/platform/errors/app-error.js';
import { allocate } from '../../server/src/platform/money/allocate.js';
import { maxRedeemableFen, pointsToEarn, redemption, DEFAULT_POINTS_SETTINGS, EARN_METHODS, type PointsSettings } from '../../server/src/modules/points/settings.js';
import { splitSpend } from '../../server/src/modules/wallet/ledger.js';
import { SPEND_ORDERS } from '../../server/src/modules/wallet/settings.js';

/** Seeded from HUIJI_FC_SEED when set, so a failure printed by fast-check can be replayed exactly. */
const params = { numRuns: 500, ...(process.env.HUIJI_FC_SEED ? { seed: Number(process.env.HUIJI_FC_SEED) } : {}) };

const settingsArb: fc.Arbitrary<PointsSettings> = fc
  .record({
    earnEnabled: fc.boolean(),
    earnPerYuan: fc.integer({ min: 0, max: 1000 }),
    methods: fc.subarray([...EARN_METHODS]),
    rounding: fc.constantFrom('floor', 'round', 'ceil') as fc.Arbitrary<PointsSettings['earn']['rounding']>,
    redeemEnabled: fc.boolean(),
    redeemPerYuan: fc.oneof(fc.constantFrom(1, 3, 7, 30, 100, 250), fc.integer({ min: 1, max: 10_000 })),
    maxSharePercent: fc.integer({ min: 0, max: 100 }),
    minPoints: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 100_000 })),
  })
  .map((s) => ({
    ...DEFAULT_POINTS_SETTINGS,
    earn: { enabled: s.earnEnabled, pointsPerYuan: s.earnPerYuan, methods: s.methods, rounding: s.rounding },
    redeem: { enabled: s.redeemEnabled, pointsPerYuan: s.redeemPerYuan, maxSharePercent: s.maxSharePercent, minPoints: s.minPoints },
  }));

/** The redemption's outcome: the points it uses, or the error code it refuses with. */
function redeemOutcome(settings: PointsSettings, input: { amountFen: number; payableFen: number; balance: number }): number | string {
  try {
    return redemption(settings, input).points;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
}

describe('money properties: allocate, splitSpend and the points rules (fast-check)', () => {
  it('allocate: parts add up to the total, never exceed their weight when the total fits, stay within one of the exact share, and repeat', () => {
    const weights = fc.array(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 1_000_000_000_000 })), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(weights, fc.double({ min: 0, max: 1.5, noNaN: true }), fc.integer({ min: 0, max: 5 }), (ws, scale, extra) => {
        const sumW = ws.reduce((a, b) => a + b, 0);
        fc.pre(sumW > 0);
        const total = Math.min(Number.MAX_SAFE_INTEGER, Math.floor(sumW * scale) + extra);
        const parts = allocate(total, ws);
        expect(parts).to.have.length(ws.length);
        expect(parts.reduce((a, b) => a + b, 0)).to.equal(total);
        parts.forEach((part, i) => {
          expect(Number.isSafeInteger(part) && part >= 0, `part ${i}`).to.equal(true);
          if (total <= sumW) expect(part, `part ${i} vs its weight`).to.be.at.most(ws[i]);
          // |part - total * w / sum| < 1, in integers: |part * sum - total * w| < sum.
          const gap = BigInt(part) * BigInt(sumW) - BigInt(total) * BigInt(ws[i]);
          expect((gap < 0n ? -gap : gap) < BigInt(sumW), `part ${i} vs its exact share`).to.equal(true);
        });
        expect(allocate(total, [...ws])).to.deep.equal(parts);
      }),
      params,
    );
  });

  it('allocate: a total over zero weights only is refused, and nothing over no weights is no parts', () => {
    expect(() => allocate(1, [0, 0])).to.throw();
    expect(allocate(0, [0, 0])).to.deep.equal([0, 0]);
    expect(allocate(5, [])).to.deep.equal([]);
  });

  it('splitSpend: the two parts add up to the spend and neither bucket is overdrawn, in every spend order', () => {
    const buckets = fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 1_000_000_000 }));
    fc.assert(
      fc.property(fc.constantFrom(...SPEND_ORDERS), buckets, buckets, fc.double({ min: 0, max: 1, noNaN: true }), (order, p, b, share) => {
        fc.pre(p + b > 0);
        const amount = Math.max(1, Math.ceil((p + b) * share));
        const split = splitSpend(order, p, b, amount);
        expect(split.principal + split.bonus).to.equal(amount);
        expect(split.principal).to.be.within(0, p);
        expect(split.bonus).to.be.within(0, b);
        if (order === 'principal_first') expect(split.bonus).to.equal(Math.max(0, amount - p));
        if (order === 'bonus_first') expect(split.principal).to.equal(Math.max(0, amount - b));
        if (order === 'proportional') {
          // Within half a fen of the member's mix, except where the principal could not cover its share.
          const exact2 = 2n * BigInt(amount) * BigInt(b);
          const got2 = 2n * BigInt(split.bonus) * BigInt(p + b);
          const gap = got2 - exact2;
          if (split.principal < p) expect((gap < 0n ? -gap : gap) <= BigInt(p + b), `bonus ${split.bonus} of ${amount} over P=${p} B=${b}`).to.equal(true);
        }
      }),
      params,
    );
  });

  it('splitSpend: a spend above both buckets is refused', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SPEND_ORDERS), fc.nat(1_000_000), fc.nat(1_000_000), fc.integer({ min: 1, max: 1000 }), (order, p, b, over) => {
        expect(() => splitSpend(order, p, b, p + b + over)).to.throw();
      }),
      params,
    );
  });

  it('pointsToEarn: never negative, monotone in the amount paid and in the multiplier, and within rounding of the exact product', () => {
    const fenArb = fc.oneof(fc.integer({ min: -100, max: 1000 }), fc.integer({ min: 0, max: 10_000_000_000 }));
    const multiplier = fc.constantFrom(0, 0.5, 1, 1.25, 1.5, 2, 3.3333);
    fc.assert(
      fc.property(settingsArb, fenArb, fenArb, multiplier, multiplier, (settings, a, b, m1, m2) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const [mLo, mHi] = m1 <= m2 ? [m1, m2] : [m2, m1];
        expect(pointsToEarn(settings, lo, mLo)).to.be.at.least(0);
        expect(pointsToEarn(settings, lo, mLo)).to.be.at.most(pointsToEarn(settings, hi, mLo));
        expect(pointsToEarn(settings, hi, mLo)).to.be.at.most(pointsToEarn(settings, hi, mHi));
        if (settings.earn.enabled && hi > 0 && mHi > 0) {
          const exact = (hi * settings.earn.pointsPerYuan * Math.round(mHi * 10_000)) / 1_000_000;
          expect(Math.abs(pointsToEarn(settings, hi, mHi) - exact)).to.be.below(1 + 1e-6);
        } else {
          expect(pointsToEarn(settings, hi, mHi)).to.equal(0);
        }
      }),
      params,
    );
  });

  it('redemption: an accepted one is whole points, within the share, the balance and the minimum', () => {
    fc.assert(
      fc.property(settingsArb, fc.integer({ min: -500, max: 10_000_000 }), fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: -5, max: 10_000_000 }), (settings, balance, payableFen, amountFen) => {
        const outcome = redeemOutcome(settings, { amountFen, payableFen, balance });
        if (typeof outcome === 'string') {
          expect(outcome).to.be.oneOf(['POINTS_REDEMPTION_REFUSED', 'INSUFFICIENT_BALANCE']);
          return;
        }
        expect(settings.redeem.enabled).to.equal(true);
        expect(outcome * 100).to.equal(amountFen * settings.redeem.pointsPerYuan);
        expect(amountFen * 100, 'the share of the payable').to.be.at.most(payableFen * settings.redeem.maxSharePercent);
        expect(outcome).to.be.at.most(balance);
        expect(outcome).to.be.at.least(settings.redeem.minPoints);
      }),
      params,
    );
  });

  it('maxRedeemableFen: what it offers is accepted, and one step more is not', () => {
    fc.assert(
      fc.property(settingsArb, fc.integer({ min: -500, max: 10_000_000 }), fc.integer({ min: 0, max: 10_000_000 }), (settings, balance, payableFen) => {
        const max = maxRedeemableFen(settings, payableFen, balance);
        expect(max).to.be.within(0, payableFen);
        const shareCap = Math.floor((payableFen * settings.redeem.maxSharePercent) / 100);
        expect(max, 'never above the share').to.be.at.most(shareCap);
        if (max > 0) expect(redeemOutcome(settings, { amountFen: max, payableFen, balance })).to.be.a('number');
        const step = 100 / gcd(100, settings.redeem.pointsPerYuan);
        if (max + step <= payableFen) expect(redeemOutcome(settings, { amountFen: max + step, payableFen, balance }), `${max} + ${step}`).to.be.a('string');
      }),
      params,
    );
  });
});

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
