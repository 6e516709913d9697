import type { Sequelize, Transaction } from 'sequelize';
import { AppError } from '../../platform/errors/app-error.js';
import type { Discount, PlacedOrder, PricingInput, PricingStep, RefundedOrder } from '../orders/pricing.js';
import { isWellFormedCode, normalizeCode } from './codes.js';
import type { CouponModels, CouponRecord, TemplateRecord } from './models.js';
import type { CouponRedemptions } from './redemption.js';
import { evaluateCoupons, type CouponInHand, type RedemptionContext } from './rules.js';
import { duplicateRefusal } from './stacking.js';

export interface CouponStepDeps {
  sequelize: Sequelize;
  models: CouponModels;
  redemptions: CouponRedemptions;
  timeZone: string;
  /** The clock; tests pass a fixed one. */
  now?: () => Date;
}

/**
 * The checkout's coupon step. `price` only reads, in both modes: the coupons by code and
 * their templates, then the pure rules. What it found is written by `placed` (redemption.ts)
 * with a guarded UPDATE, which is the last word when two checkouts race for one coupon.
 */
export class CouponPricingStep implements PricingStep {
  readonly name = 'coupon' as const;

  constructor(private readonly deps: CouponStepDeps) {}

  async price(input: PricingInput): Promise<Discount[]> {
    if (input.couponCodes.length === 0) return [];
    const codes = input.couponCodes.map(normalizeCode);
    const duplicate = duplicateRefusal(codes);
    if (duplicate) throw duplicate;
    const coupons = await this.inHand(codes, input.mode === 'apply' ? input.transaction : undefined);
    const context = this.context({ memberId: input.member?.id ?? null, storeId: input.storeId, channel: input.channel, paymentMethods: input.paymentMethods });
    const result = evaluateCoupons(coupons, input.lines, context);
    if (!result.ok) throw result.error;
    return result.discounts;
  }

  placed(order: PlacedOrder, discounts: Discount[], transaction: Transaction): Promise<void> {
    return this.deps.redemptions.placed(order, discounts, transaction);
  }

  refunded(refund: RefundedOrder, transaction: Transaction): Promise<void> {
    return this.deps.redemptions.refunded(refund, transaction);
  }

  /** The order as the rules see it, at this moment. */
  context(order: Omit<RedemptionContext, 'now' | 'timeZone'>): RedemptionContext {
    return { ...order, now: this.deps.now?.() ?? new Date(), timeZone: this.deps.timeZone };
  }

  /**
   * The coupons named, with their templates, in the order given; an unknown or mistyped
   * code is COUPON_NOT_FOUND. Inside the checkout's transaction the coupon rows are read
   * FOR UPDATE on MySQL, so a punch card's uses left are the committed ones; the
   * templates are read without a lock, which would make every checkout of a campaign
   * wait for the one before it.
   */
  async inHand(codes: readonly string[], transaction?: Transaction): Promise<CouponWithRecord[]> {
    const malformed = codes.find((code) => !isWellFormedCode(code));
    if (malformed !== undefined) throw new AppError('COUPON_NOT_FOUND', { params: { code: malformed } });
    const { Coupon, CouponTemplate } = this.deps.models;
    const lock = transaction && this.deps.sequelize.getDialect() !== 'sqlite' ? transaction.LOCK.UPDATE : undefined;
    const rows = await Coupon.findAll({ where: { code: [...codes] }, transaction, lock });
    const missing = codes.find((code) => !rows.some((row) => row.code === code));
    if (missing !== undefined) throw new AppError('COUPON_NOT_FOUND', { params: { code: missing } });
    const templates = await CouponTemplate.findAll({ where: { id: [...new Set(rows.map((row) => row.templateId))] }, transaction });
    return codes.map((code) => {
      const record = rows.find((row) => row.code === code)!;
      return inHandOf(record, templates.find((t) => t.id === record.templateId)!);
    });
  }
}

/** A coupon as the rules read it, keeping its row for the views. */
export type CouponWithRecord = CouponInHand & { record: CouponRecord; template: TemplateRecord };

export function inHandOf(record: CouponRecord, template: TemplateRecord): CouponWithRecord {
  const { id, code, memberId, status, usesLeft, validFrom, validUntil } = record;
  return { id, code, memberId, status, usesLeft, validFrom, validUntil, template, record };
}
