import { AppError } from '../../platform/errors/app-error.js';
import type { Principal } from '../../platform/http/route.js';
import { discountAmount } from '../orders/pricing.js';
import { reasonOf, type ApplicableDeps } from './applicable.js';
import { normalizeCode } from './codes.js';
import type { CouponWithRecord } from './pricing-step.js';
import { couponRefusal, evaluateCoupons } from './rules.js';
import { couponView, type CouponView } from './views.js';

export interface ValidateInput {
  code: string;
  storeId: number;
  /** The customer at the till; without it the coupon's holder is assumed. */
  memberId?: number;
  /** The order's amount so far, fen: prices an amount coupon that covers every item. */
  amount?: number;
  channel?: string | null;
}

export interface Validation {
  code: string;
  valid: boolean;
  coupon: CouponView | null;
  /** What the coupon takes off `amount`; null when it depends on the order's items. */
  discount: number | null;
  reason: { code: string; zh: string; en: string } | null;
}

/**
 * A POS asks whether a code can be used before it sends the order: the same rules as the
 * checkout, on what the POS knows (the code, the store, maybe the member and the amount).
 * A coupon of a member outside the caller's reach reads exactly like a missing one.
 */
export class CouponValidator {
  constructor(private readonly deps: Pick<ApplicableDeps, 'step' | 'members' | 'stores'>) {}

  async validate(principal: Principal, input: ValidateInput): Promise<Validation> {
    await this.deps.stores.get(principal, input.storeId);
    const code = normalizeCode(input.code);
    let coupon: CouponWithRecord;
    try {
      [coupon] = await this.deps.step.inHand([code]);
      await this.deps.members.findInScope(principal, coupon.memberId);
    } catch (error) {
      if (error instanceof AppError && (error.code === 'COUPON_NOT_FOUND' || error.code === 'MEMBER_NOT_FOUND')) {
        return { code, valid: false, coupon: null, discount: null, reason: reasonOf(new AppError('COUPON_NOT_FOUND', { params: { code } })) };
      }
      throw error;
    }
    const view = couponView(coupon.record, coupon.template, null);
    const context = this.deps.step.context({ memberId: input.memberId ?? coupon.memberId, storeId: input.storeId, channel: input.channel ?? null, paymentMethods: [] });
    const refusal = couponRefusal(coupon, context);
    if (refusal) return { code, valid: false, coupon: view, discount: null, reason: reasonOf(refusal) };
    const { template } = coupon;
    const coversAll = template.skus.length === 0 && template.categories.length === 0 && template.kind !== 'exchange' && template.kind !== 'punch';
    if (input.amount === undefined || !coversAll) return { code, valid: true, coupon: view, discount: null, reason: null };
    const line = { lineNo: 1, sku: '*', name: '*', category: null, quantity: 1, unitPrice: input.amount, amount: input.amount, discount: 0, payable: input.amount };
    const result = evaluateCoupons([coupon], [line], context);
    if (!result.ok) return { code, valid: false, coupon: view, discount: null, reason: reasonOf(result.error) };
    return { code, valid: true, coupon: view, discount: discountAmount(result.discounts[0]), reason: null };
  }
}
