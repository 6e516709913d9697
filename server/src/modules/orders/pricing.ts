import type { Transaction } from 'sequelize';
import { AppError } from '../../platform/errors/app-error.js';
import type { Principal } from '../../platform/http/route.js';
import { allocate, sum } from '../../platform/money/allocate.js';
import type { MemberRecord } from '../members/models.js';

/**
 * The checkout's fixed order of pricing, documented in docs/orders.md:
 *   1. tier price   (the tiers issue registers it)
 *   2. coupons      (the coupons issue registers it)
 *   3. points offset, 4. stored value, 5. other payments (the checkout itself, as payments)
 * A discount step returns what it takes off each line, so a refund of some lines
 * reverses exactly their share.
 */
export const DISCOUNT_STEPS = ['tier', 'coupon'] as const;
export type DiscountStepName = (typeof DISCOUNT_STEPS)[number];

export interface PricedLine {
  lineNo: number;
  sku: string;
  name: string;
  category: string | null;
  quantity: number;
  unitPrice: number;
  amount: number;
  discount: number;
  payable: number;
}

export interface Discount {
  step: DiscountStepName;
  /** What the discount came from: a coupon code, a tier id. */
  reference: string | null;
  label: string;
  /** Taken off each line, by line number; adds up to the discount. */
  lines: Record<number, number>;
  /**
   * Earlier steps this discount does not combine with (a coupon that is "not with the
   * member discount"): the pipeline prices the order again without them.
   */
  excludes?: DiscountStepName[];
  /** What the step needs again when the order is placed (a coupon's id and uses). */
  meta?: Record<string, unknown>;
}

export interface PricingInput {
  principal: Principal;
  /** Locked in the checkout's transaction; unlocked in a preview. */
  member: MemberRecord | null;
  storeId: number;
  channel: string | null;
  couponCodes: readonly string[];
  /** The payment methods the order names (a coupon may refuse to combine with points). */
  paymentMethods: readonly string[];
  /** Lines as earlier steps left them. */
  lines: readonly PricedLine[];
  /** 'apply' runs inside the checkout's transaction and may reserve (a coupon used); 'preview' writes nothing. */
  mode: 'preview' | 'apply';
  transaction?: Transaction;
}

/** The order as written, for the steps' `placed` hooks; the member row is locked and saved. */
export interface PlacedOrder {
  id: number;
  orderNo: string;
  storeId: number;
  occurredAt: Date;
  payable: number;
  pointsEarned: number;
  member: MemberRecord | null;
  operatorId: number | null;
}

/** One refund as written, for the steps' `refunded` hooks. */
export interface RefundedOrder {
  orderId: number;
  refundId: number;
  refundNo: string;
  memberId: number | null;
  amount: number;
  /** The order has nothing left to refund. */
  fullyRefunded: boolean;
  /** Quantities this refund returned, by line number (empty for a refund by amount). */
  lines: Record<number, number>;
  operatorId: number | null;
}

export interface PricingStep {
  name: DiscountStepName;
  /** Reads only, in both modes: what is reserved is written by `placed`, so pricing twice is harmless. */
  price(input: PricingInput): Promise<Discount[]>;
  /** After the order row exists, in its transaction: redeem what `price` found (coupon uses), upgrade the tier. */
  placed?(order: PlacedOrder, discounts: Discount[], transaction: Transaction): Promise<void>;
  /** After a refund of the order, in its transaction: undo what this step did (coupons come back). */
  refunded?(refund: RefundedOrder, transaction: Transaction): Promise<void>;
}

/** How many points per point the tier gives (tiers register it); 1 without tiers. */
export type EarningMultiplier = (member: MemberRecord, transaction?: Transaction) => Promise<number>;

/** Splits a whole-order discount over lines in proportion to what each still costs. */
export function spreadOverLines(amount: number, lines: readonly PricedLine[]): Record<number, number> {
  const payable = sum(lines.map((line) => line.payable));
  const parts = allocate(Math.min(amount, payable), lines.map((line) => line.payable));
  return Object.fromEntries(lines.map((line, i) => [line.lineNo, parts[i]]));
}

export class PricingPipeline {
  private readonly steps = new Map<DiscountStepName, PricingStep>();
  private multiplier: EarningMultiplier = async () => 1;

  register(step: PricingStep): this {
    this.steps.set(step.name, step);
    return this;
  }

  earnWith(multiplier: EarningMultiplier): this {
    this.multiplier = multiplier;
    return this;
  }

  earningMultiplier(member: MemberRecord, transaction?: Transaction): Promise<number> {
    return this.multiplier(member, transaction);
  }

  registered(): PricingStep[] {
    return DISCOUNT_STEPS.flatMap((name) => this.steps.get(name) ?? []);
  }

  /**
   * Runs the discount steps in order; each sees the lines as the previous left them. A
   * discount that excludes an earlier step (a coupon not combined with the tier price)
   * has the order priced again without that step, so its threshold sees the full price.
   */
  async price(input: Omit<PricingInput, 'lines'> & { lines: PricedLine[] }): Promise<{ lines: PricedLine[]; discounts: Discount[] }> {
    if (input.couponCodes.length > 0 && !this.steps.has('coupon')) {
      throw new AppError('COUPON_NOT_FOUND', { params: { code: input.couponCodes[0] } });
    }
    const first = await this.run(input, new Set());
    const excluded = new Set(first.discounts.flatMap((d) => d.excludes ?? []));
    if (![...excluded].some((step) => first.discounts.some((d) => d.step === step))) return first;
    return this.run(input, excluded);
  }

  private async run(input: Omit<PricingInput, 'lines'> & { lines: PricedLine[] }, skip: ReadonlySet<DiscountStepName>) {
    let lines = input.lines.map((line) => ({ ...line }));
    const discounts: Discount[] = [];
    for (const step of this.registered()) {
      if (skip.has(step.name)) continue;
      const found = await step.price({ ...input, lines });
      for (const discount of found) {
        lines = lines.map((line) => {
          const off = Math.min(discount.lines[line.lineNo] ?? 0, line.payable);
          return { ...line, discount: line.discount + off, payable: line.payable - off };
        });
        discounts.push(discount);
      }
    }
    return { lines, discounts };
  }
}

export function discountAmount(discount: Discount): number {
  return sum(Object.values(discount.lines));
}
