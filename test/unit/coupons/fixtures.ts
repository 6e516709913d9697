import type { PricedLine } from '../../../server/src/modules/orders/pricing.js';
import type { CouponInHand, CouponRules, RedemptionContext } from '../../../server/src/modules/coupons/rules.js';

/** Named builders for the coupon rule tests: a template, a coupon of it, lines and an order context. */
export const NOW = new Date('2027-03-10T04:00:00Z');
const DAY = 86_400_000;

let nextId = 1;

export function template(overrides: Partial<CouponRules> = {}): CouponRules {
  return {
    id: nextId++,
    name: '满200减30',
    kind: 'full_reduction',
    status: 'active',
    amountOff: 3_000,
    threshold: 20_000,
    discountRate: null,
    maxOff: null,
    itemSku: null,
    itemName: null,
    punchUses: null,
    storeIds: [],
    channels: [],
    categories: [],
    skus: [],
    stackGroup: null,
    maxPerOrder: 1,
    withTierDiscount: true,
    withPoints: true,
    ...overrides,
  };
}

export function coupon(rules: CouponRules, overrides: Partial<Omit<CouponInHand, 'template'>> = {}): CouponInHand {
  const id = nextId++;
  return {
    id,
    code: `C${String(id).padStart(11, '0')}`,
    memberId: 7,
    status: 'available',
    usesLeft: rules.kind === 'punch' ? (rules.punchUses ?? 1) : 1,
    validFrom: new Date(NOW.getTime() - 10 * DAY),
    validUntil: new Date(NOW.getTime() + 10 * DAY),
    template: rules,
    ...overrides,
  };
}

export function line(lineNo: number, sku: string, quantity: number, unitPrice: number, category: string | null = null, discount = 0): PricedLine {
  const amount = quantity * unitPrice;
  return { lineNo, sku, name: sku, category, quantity, unitPrice, amount, discount, payable: amount - discount };
}

export function context(overrides: Partial<RedemptionContext> = {}): RedemptionContext {
  return { memberId: 7, storeId: 1, channel: null, paymentMethods: ['cash'], now: NOW, timeZone: 'Asia/Shanghai', ...overrides };
}
