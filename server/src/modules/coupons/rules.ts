import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { ErrorCode } from '../../platform/errors/catalog.js';
import { yuanText } from '../../platform/money/yuan-text.js';
import { spreadOverLines, type Discount, type PricedLine } from '../orders/pricing.js';
import type { CouponRecord, TemplateKind, TemplateRecord } from './models.js';
import { ruleText } from './rule-text.js';
import { stackingRefusal } from './stacking.js';

dayjs.extend(utc);
dayjs.extend(timezone);

/**
 * Whether coupons may be used on an order and what each takes off which line: pure
 * functions over a template's rules, the coupons and the priced lines, no database. The
 * checkout's pricing step, the applicable-coupons list and the POS validation all call
 * these, so a cashier sees exactly the reason the checkout would give.
 */

export type CouponRules = Pick<
  TemplateRecord,
  | 'id' | 'name' | 'kind' | 'status' | 'amountOff' | 'threshold' | 'discountRate' | 'maxOff' | 'itemSku' | 'itemName' | 'punchUses'
  | 'storeIds' | 'channels' | 'categories' | 'skus' | 'stackGroup' | 'maxPerOrder' | 'withTierDiscount' | 'withPoints'
>;

export type CouponInHand = Pick<CouponRecord, 'id' | 'code' | 'memberId' | 'status' | 'usesLeft' | 'validFrom' | 'validUntil'> & { template: CouponRules };

export interface RedemptionContext {
  /** Null for a walk-in customer, who holds no coupons. */
  memberId: number | null;
  storeId: number;
  channel: string | null;
  paymentMethods: readonly string[];
  now: Date;
  timeZone: string;
}

/** What `meta` of a coupon discount carries to `placed`. */
export interface CouponMeta {
  couponId: number;
  templateId: number;
  kind: TemplateKind;
  uses: number;
  /** The line an exchange or punch coupon took units of; null for amount coupons. */
  lineNo: number | null;
}

export type Evaluation = { ok: true; discounts: Discount[] } | { ok: false; error: AppError };

/** Every error a checkout with coupons may answer besides the checkout's own. */
export const COUPON_REDEMPTION_ERRORS = [
  'COUPON_NOT_FOUND', 'COUPON_NOT_OWNED', 'COUPON_USED', 'COUPON_VOIDED', 'COUPON_EXPIRED', 'COUPON_NOT_STARTED', 'COUPON_PAUSED',
  'COUPON_THRESHOLD_NOT_MET', 'COUPON_WRONG_STORE', 'COUPON_WRONG_CHANNEL', 'COUPON_NO_ELIGIBLE_ITEMS', 'COUPON_ITEM_NOT_IN_ORDER',
  'COUPON_NOT_STACKABLE', 'COUPON_TOO_MANY', 'COUPON_NOT_WITH_POINTS', 'COUPON_DUPLICATE',
] as const satisfies readonly ErrorCode[];

/** An order that names no channel is a sale at the store counter. */
export const COUNTER_CHANNEL = 'store';

const KIND_RANK: Record<TemplateKind, number> = { exchange: 0, punch: 1, full_reduction: 2, voucher: 2, discount: 3 };

/** A business time as a message shows it. */
export function timeText(at: Date, timeZone: string): string {
  return dayjs(at).tz(timeZone).format('YYYY-MM-DD HH:mm');
}

/** Why this coupon cannot be used on this order whatever its lines, or null. */
export function couponRefusal(coupon: CouponInHand, ctx: RedemptionContext): AppError | null {
  const { code, template } = coupon;
  if (ctx.memberId === null || coupon.memberId !== ctx.memberId) return new AppError('COUPON_NOT_OWNED', { params: { code } });
  if (coupon.status === 'voided') return new AppError('COUPON_VOIDED', { params: { code } });
  if (coupon.status === 'used' || coupon.usesLeft <= 0) return new AppError('COUPON_USED', { params: { code } });
  if (coupon.status === 'expired' || ctx.now > coupon.validUntil) return new AppError('COUPON_EXPIRED', { params: { code, until: timeText(coupon.validUntil, ctx.timeZone) } });
  if (ctx.now < coupon.validFrom) return new AppError('COUPON_NOT_STARTED', { params: { code, from: timeText(coupon.validFrom, ctx.timeZone) } });
  if (template.status !== 'active') return new AppError('COUPON_PAUSED', { params: { code, template: template.name } });
  if (template.storeIds.length > 0 && !template.storeIds.includes(ctx.storeId)) return new AppError('COUPON_WRONG_STORE', { params: { code } });
  const channel = ctx.channel ?? COUNTER_CHANNEL;
  if (template.channels.length > 0 && !template.channels.includes(channel)) {
    return new AppError('COUPON_WRONG_CHANNEL', { params: { code, channel, channels: template.channels.join(', ') } });
  }
  if (!template.withPoints && ctx.paymentMethods.includes('points')) return new AppError('COUPON_NOT_WITH_POINTS', { params: { code } });
  return null;
}

/**
 * Prices a set of coupons on the lines the tier step left: checks each coupon, then how
 * they stack, then applies them in a fixed order, each seeing the lines as the previous
 * left them: item coupons (exchange, punch) first, as they take whole units at their
 * price; then amount coupons, the higher threshold first so it sees the most; then
 * percent coupons, on what is left. Ties go by code, so the input's order never matters.
 */
export function evaluateCoupons(coupons: readonly CouponInHand[], lines: readonly PricedLine[], ctx: RedemptionContext): Evaluation {
  for (const coupon of coupons) {
    const refusal = couponRefusal(coupon, ctx);
    if (refusal) return { ok: false, error: refusal };
  }
  const stacking = stackingRefusal(coupons);
  if (stacking) return { ok: false, error: stacking };
  const ordered = [...coupons].sort(
    (a, b) =>
      KIND_RANK[a.template.kind] - KIND_RANK[b.template.kind] ||
      (b.template.threshold ?? 0) - (a.template.threshold ?? 0) ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
  // Judged on the full price when a coupon does not combine with the tier price: the
  // pipeline will price the order again without the tier step (`excludes`), and the coupon
  // must not be refused first for a threshold the lower price misses. Only the tier step
  // prices before coupons, so a line's full price is its amount.
  const base = coupons.some((c) => !c.template.withTierDiscount) ? lines.map((line) => ({ ...line, discount: 0, payable: line.amount })) : lines;
  const working = new Working(base);
  const discounts: Discount[] = [];
  for (const coupon of ordered) {
    const found = coupon.template.kind === 'exchange' || coupon.template.kind === 'punch' ? working.takeUnits(coupon) : working.takeAmount(coupon);
    if (found instanceof AppError) return { ok: false, error: found };
    discounts.push(found);
  }
  return { ok: true, discounts };
}

/** The lines as the coupons so far left them, and how many units of each item coupons took. */
class Working {
  private lines: PricedLine[];
  private readonly startPayable = new Map<number, number>();
  private readonly unitsTaken = new Map<number, number>();

  constructor(lines: readonly PricedLine[]) {
    this.lines = lines.map((line) => ({ ...line }));
    for (const line of lines) this.startPayable.set(line.lineNo, line.payable);
  }

  /** Exchange: one unit of the item's line; punch: as many units as it has uses left. */
  takeUnits(coupon: CouponInHand): Discount | AppError {
    const { template } = coupon;
    const line = this.lines.find((l) => l.sku === template.itemSku && this.unitsLeft(l) > 0);
    if (!line) return new AppError('COUPON_ITEM_NOT_IN_ORDER', { params: { code: coupon.code, item: template.itemName ?? template.itemSku ?? '' } });
    const units = template.kind === 'punch' ? Math.min(this.unitsLeft(line), coupon.usesLeft) : 1;
    const taken = this.unitsTaken.get(line.lineNo) ?? 0;
    // Units are worth the line's price as the coupon step found it; the last unit takes the rounding.
    const off = this.unitValue(line, taken + units) - this.unitValue(line, taken);
    this.unitsTaken.set(line.lineNo, taken + units);
    return this.discount(coupon, { [line.lineNo]: off }, units, line.lineNo);
  }

  /** Full reduction, voucher and discount: spread over the eligible lines by what each still costs. */
  takeAmount(coupon: CouponInHand): Discount | AppError {
    const { template, code } = coupon;
    const eligible = this.lines.filter((line) => line.payable > 0 && isEligible(template, line));
    if (eligible.length === 0) return new AppError('COUPON_NO_ELIGIBLE_ITEMS', { params: { code, scope: scopeText(template) } });
    const base = eligible.reduce((total, line) => total + line.payable, 0);
    const threshold = template.threshold ?? 0;
    if (base < threshold) {
      return new AppError('COUPON_THRESHOLD_NOT_MET', { params: { code, threshold: yuanText(threshold), eligible: yuanText(base), missing: yuanText(threshold - base) } });
    }
    let off: number;
    if (template.kind === 'discount') {
      // What the member pays is rounded half up to the fen; the coupon takes the rest.
      off = base - Math.floor((base * (template.discountRate ?? 100) + 50) / 100);
      if (template.maxOff !== null) off = Math.min(off, template.maxOff);
    } else {
      off = Math.min(template.amountOff ?? 0, base);
    }
    return this.discount(coupon, spreadOverLines(off, eligible), 1, null);
  }

  private discount(coupon: CouponInHand, parts: Record<number, number>, uses: number, lineNo: number | null): Discount {
    const lines: Record<number, number> = {};
    for (const [key, off] of Object.entries(parts)) if (off > 0) lines[Number(key)] = off;
    this.lines = this.lines.map((line) => {
      const off = lines[line.lineNo] ?? 0;
      return off ? { ...line, discount: line.discount + off, payable: line.payable - off } : line;
    });
    const { template } = coupon;
    const meta: CouponMeta = { couponId: coupon.id, templateId: template.id, kind: template.kind, uses, lineNo };
    return {
      step: 'coupon',
      reference: coupon.code,
      label: couponLabel(template, coupon.code, uses),
      lines,
      ...(template.withTierDiscount ? {} : { excludes: ['tier' as const] }),
      meta: { ...meta },
    };
  }

  private unitsLeft(line: PricedLine): number {
    return line.quantity - (this.unitsTaken.get(line.lineNo) ?? 0);
  }

  private unitValue(line: PricedLine, units: number): number {
    const payable = this.startPayable.get(line.lineNo) ?? 0;
    return units >= line.quantity ? payable : Math.floor((payable * units) / line.quantity);
  }
}

/** A line counts when the template names no SKUs or categories, or names its SKU or its category. */
export function isEligible(template: Pick<CouponRules, 'skus' | 'categories'>, line: Pick<PricedLine, 'sku' | 'category'>): boolean {
  if (template.skus.length === 0 && template.categories.length === 0) return true;
  return template.skus.includes(line.sku) || (line.category !== null && template.categories.includes(line.category));
}

function scopeText(template: Pick<CouponRules, 'skus' | 'categories'>): { zh: string; en: string } {
  const zh: string[] = [];
  const en: string[] = [];
  if (template.categories.length) {
    zh.push(`分类 ${template.categories.join('、')}`);
    en.push(`categories ${template.categories.join(', ')}`);
  }
  if (template.skus.length) {
    zh.push(`商品 ${template.skus.join('、')}`);
    en.push(`items ${template.skus.join(', ')}`);
  }
  return zh.length ? { zh: zh.join('；'), en: en.join('; ') } : { zh: '有余额未付的商品', en: 'items with something left to pay' };
}

/** "满200减30（券 ABCD…）": the rule and the code's head, so a receipt shows which coupon it was. */
export function couponLabel(template: CouponRules, code: string, uses: number): string {
  const rule = ruleText(template).zh;
  return `${rule}${template.kind === 'punch' ? ` ×${uses}` : ''}（券 ${code.slice(0, 4)}…）`;
}
