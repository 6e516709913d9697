import { Op } from 'sequelize';
import type { AppError } from '../../platform/errors/app-error.js';
import type { Principal } from '../../platform/http/route.js';
import type { MemberService } from '../members/service.js';
import { discountAmount, type PricedLine, type PricingPipeline } from '../orders/pricing.js';
import type { StoreService } from '../stores/service.js';
import { normalizeCode } from './codes.js';
import type { CouponModels } from './models.js';
import { inHandOf, type CouponPricingStep } from './pricing-step.js';
import { evaluateCoupons, type CouponInHand } from './rules.js';
import { duplicateRefusal } from './stacking.js';
import { couponView, type CouponView } from './views.js';

export interface ApplicableDeps {
  models: CouponModels;
  step: CouponPricingStep;
  members: Pick<MemberService, 'findInScope'>;
  stores: Pick<StoreService, 'get'>;
  /** The checkout's pipeline, for the tier price the coupons apply after. */
  pricing: PricingPipeline;
}

export interface ApplicableInput {
  memberId?: number | null;
  storeId: number;
  channel?: string | null;
  /** The order's lines before any discount. */
  lines: PricedLine[];
  paymentMethods: readonly string[];
  /** Coupons the cashier has already chosen; each other coupon is judged beside them. */
  couponCodes?: readonly string[];
}

export interface ApplicableCoupon {
  coupon: CouponView;
  selected: boolean;
  applicable: boolean;
  discount: { amount: number; label: string; lines: Record<number, number> } | null;
  reason: { code: string; zh: string; en: string } | null;
}

/** At most this many of a member's coupons are judged per request; the soonest to expire first. */
const MAX_COUPONS = 200;

/**
 * The member's usable coupons for an order being rung up, each with whether it applies
 * beside the ones already chosen, what it would take off, or the precise reason it does
 * not: the same rules and the same order of pricing as the checkout (tier, then coupons;
 * a coupon not combined with the tier price is judged on the full price). Reads only.
 */
export class ApplicableCoupons {
  constructor(private readonly deps: ApplicableDeps) {}

  async list(principal: Principal, input: ApplicableInput): Promise<{ items: ApplicableCoupon[] }> {
    await this.deps.stores.get(principal, input.storeId);
    if (!input.memberId) return { items: [] };
    const member = await this.deps.members.findInScope(principal, input.memberId);
    const context = this.deps.step.context({ memberId: member.id, storeId: input.storeId, channel: input.channel ?? null, paymentMethods: input.paymentMethods });
    const chosenCodes = (input.couponCodes ?? []).map(normalizeCode);
    const duplicate = duplicateRefusal(chosenCodes);
    if (duplicate) throw duplicate;
    const chosen = chosenCodes.length ? await this.deps.step.inHand(chosenCodes) : [];
    const owned = await this.owned(member.id, context.now);
    const tier = await this.deps.pricing.price({
      principal,
      member,
      storeId: input.storeId,
      channel: input.channel ?? null,
      couponCodes: [],
      paymentMethods: input.paymentMethods,
      lines: input.lines,
      mode: 'preview',
    });
    const judge = (set: CouponInHand[]) => evaluateCoupons(set, tier.lines, context);

    const items = owned.map((candidate): ApplicableCoupon => {
      const selected = chosen.some((c) => c.id === candidate.id);
      let result = judge(selected ? chosen : [candidate]);
      if (result.ok && !selected && chosen.length > 0) result = judge([...chosen, candidate]);
      const discount = result.ok ? result.discounts.find((d) => d.reference === candidate.code) : undefined;
      return {
        coupon: couponView(candidate.record, candidate.template, null),
        selected,
        applicable: result.ok,
        discount: discount ? { amount: discountAmount(discount), label: discount.label, lines: discount.lines } : null,
        reason: result.ok ? null : reasonOf(result.error),
      };
    });
    // Stable: applicable first, the larger saving first; otherwise the soonest to expire first.
    items.sort((a, b) => Number(b.applicable) - Number(a.applicable) || (b.discount?.amount ?? 0) - (a.discount?.amount ?? 0));
    return { items };
  }

  /** The member's available coupons still within validity, with their templates. */
  private async owned(memberId: number, now: Date) {
    const { Coupon, CouponTemplate } = this.deps.models;
    const rows = await Coupon.findAll({
      where: { memberId, status: 'available', validUntil: { [Op.gte]: now } },
      order: [['validUntil', 'ASC'], ['id', 'ASC']],
      limit: MAX_COUPONS,
    });
    if (rows.length === 0) return [];
    const templates = await CouponTemplate.findAll({ where: { id: [...new Set(rows.map((row) => row.templateId))] } });
    return rows.map((record) => inHandOf(record, templates.find((t) => t.id === record.templateId)!));
  }
}

export function reasonOf(error: AppError): { code: string; zh: string; en: string } {
  return { code: error.code, zh: error.messageIn('zh-CN'), en: error.messageIn('en') };
}
