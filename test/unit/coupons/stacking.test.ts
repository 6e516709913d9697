import { expect } from 'chai';
import { evaluateCoupons, type CouponRules } from '../../../server/src/modules/coupons/rules.js';
import { duplicateRefusal } from '../../../server/src/modules/coupons/stacking.js';
import { context, coupon, line, template } from './fixtures.js';

type Slot = 'E' | 'A1' | 'A2' | 'B';
type Outcome = 'ok' | 'COUPON_TOO_MANY' | 'COUPON_NOT_STACKABLE';

/**
 * The stacking matrix: every pair of templates from {exclusive, group A, another group A,
 * group B}, a template paired with itself included, at max_per_order 1 and 2.
 */
const MATRIX: Array<[Slot, Slot, 1 | 2, Outcome]> = [
  ['E', 'E', 1, 'COUPON_TOO_MANY'],
  ['E', 'E', 2, 'ok'],
  ['E', 'A1', 1, 'COUPON_NOT_STACKABLE'],
  ['E', 'A1', 2, 'COUPON_NOT_STACKABLE'],
  ['E', 'A2', 1, 'COUPON_NOT_STACKABLE'],
  ['E', 'A2', 2, 'COUPON_NOT_STACKABLE'],
  ['E', 'B', 1, 'COUPON_NOT_STACKABLE'],
  ['E', 'B', 2, 'COUPON_NOT_STACKABLE'],
  ['A1', 'A1', 1, 'COUPON_TOO_MANY'],
  ['A1', 'A1', 2, 'ok'],
  ['A1', 'A2', 1, 'ok'],
  ['A1', 'A2', 2, 'ok'],
  ['A1', 'B', 1, 'COUPON_NOT_STACKABLE'],
  ['A1', 'B', 2, 'COUPON_NOT_STACKABLE'],
  ['A2', 'A2', 1, 'COUPON_TOO_MANY'],
  ['A2', 'A2', 2, 'ok'],
  ['A2', 'B', 1, 'COUPON_NOT_STACKABLE'],
  ['A2', 'B', 2, 'COUPON_NOT_STACKABLE'],
  ['B', 'B', 1, 'COUPON_TOO_MANY'],
  ['B', 'B', 2, 'ok'],
];

const GROUPS: Record<Slot, string | null> = { E: null, A1: 'A', A2: 'A', B: 'B' };

function templates(maxPerOrder: number, extra: Partial<CouponRules> = {}): Record<Slot, CouponRules> {
  const make = (slot: Slot) => template({ name: `券${slot}`, kind: 'voucher', amountOff: 1_000, threshold: null, stackGroup: GROUPS[slot], maxPerOrder, ...extra });
  return { E: make('E'), A1: make('A1'), A2: make('A2'), B: make('B') };
}

const lines = [line(1, 'A', 1, 30_000)];

describe('coupons: the stacking matrix', () => {
  for (const [first, second, max, outcome] of MATRIX) {
    it(`${first} + ${second} at max_per_order ${max}: ${outcome}`, () => {
      for (const [a, b] of [[first, second], [second, first]] as const) {
        const set = templates(max);
        const result = evaluateCoupons([coupon(set[a]), coupon(set[b])], lines, context());
        if (outcome === 'ok') {
          expect(result.ok, `${a}+${b}`).to.equal(true);
          if (result.ok) expect(result.discounts.map((d) => d.lines[1])).to.deep.equal([1_000, 1_000]);
        } else {
          expect(result.ok ? 'ok' : result.error.code, `${a}+${b}`).to.equal(outcome);
        }
      }
    });
  }

  it('names both coupons, both templates and the reason when two do not stack', () => {
    const set = templates(1);
    const exclusive = coupon(set.E);
    const grouped = coupon(set.A1);
    const result = evaluateCoupons([grouped, exclusive], lines, context());
    expect(result.ok).to.equal(false);
    if (result.ok) return;
    expect(result.error.params).to.include({ code: exclusive.code, template: '券E', other: grouped.code, otherTemplate: '券A1' });
    expect(result.error.messageIn('zh-CN')).to.equal(`优惠券 ${exclusive.code}（券E）不能与 ${grouped.code}（券A1）同时使用：「券E」不与其他券同享`);
    const groups = evaluateCoupons([coupon(set.A1), coupon(set.B)], lines, context());
    expect(groups.ok ? '' : groups.error.messageIn('en')).to.include('different stacking groups (A / B)');
  });

  it('counts a template toward its maximum across a larger set', () => {
    const set = templates(1);
    const result = evaluateCoupons([coupon(set.A1), coupon(set.A2), coupon(set.A1)], lines, context());
    expect(result.ok ? 'ok' : result.error.params).to.deep.equal({ template: '券A1', max: 1 });
    expect(evaluateCoupons([coupon(set.A1), coupon(set.A2)], lines, context()).ok).to.equal(true);
  });

  it('keeps the tier price when every stacked coupon allows it, and drops it when one does not', () => {
    const withTier = templates(2);
    const both = evaluateCoupons([coupon(withTier.A1), coupon(withTier.A2)], lines, context());
    expect(both.ok && both.discounts.some((d) => d.excludes)).to.equal(false);
    const withoutTier = templates(2, { withTierDiscount: false });
    const mixed = evaluateCoupons([coupon(withTier.A1), coupon(withoutTier.A2)], lines, context());
    expect(mixed.ok && mixed.discounts.map((d) => d.excludes ?? [])).to.deep.equal([[], ['tier']]);
  });

  it('refuses a stackable pair when one of them does not combine with points and points pay', () => {
    const plain = templates(2);
    const noPoints = templates(2, { withPoints: false });
    const pair = [coupon(plain.A1), coupon(noPoints.A2)];
    expect(evaluateCoupons(pair, lines, context({ paymentMethods: ['cash'] })).ok).to.equal(true);
    const paid = evaluateCoupons(pair, lines, context({ paymentMethods: ['points', 'cash'] }));
    expect(paid.ok ? 'ok' : [paid.error.code, paid.error.params.code]).to.deep.equal(['COUPON_NOT_WITH_POINTS', pair[1].code]);
    const samePair = [coupon(plain.A1), coupon(plain.A1)];
    expect(evaluateCoupons(samePair, lines, context({ paymentMethods: ['points', 'cash'] })).ok).to.equal(true);
  });

  it('refuses the same code entered twice', () => {
    expect(duplicateRefusal(['AAAA', 'BBBB'])).to.equal(null);
    const twice = duplicateRefusal(['AAAA', 'BBBB', 'AAAA']);
    expect([twice?.code, twice?.params.code]).to.deep.equal(['COUPON_DUPLICATE', 'AAAA']);
  });
});
