import type { Transaction } from 'sequelize';
import { AppError } from '../../platform/errors/app-error.js';
import { yuanText } from '../../platform/money/yuan-text.js';
import type { Principal } from '../../platform/http/route.js';
import { sum } from '../../platform/money/allocate.js';
import type { MemberRecord } from '../members/models.js';
import { insufficientBalance } from '../loyalty/insufficient.js';
import { expiryFor, maxRedeemableFen, pointsToEarn, redemption, type PointsSettings } from '../points/settings.js';
import { splitSpend } from '../wallet/ledger.js';
import type { WalletSettings } from '../wallet/settings.js';
import type { PaymentMethod } from './models.js';
import { discountAmount, type Discount, type PricedLine, type PricingPipeline } from './pricing.js';
import type { OrderInput } from './schemas.js';

/** One payment as the checkout will apply it: points and the stored-value buckets filled in. */
export interface PlannedPayment {
  method: PaymentMethod;
  amount: number;
  points: number;
  principal: number;
  bonus: number;
}

export interface CheckoutPlan {
  lines: PricedLine[];
  discounts: Discount[];
  amount: number;
  discount: number;
  payable: number;
  payments: PlannedPayment[];
  paid: number;
  pointsUsed: number;
  pointsEarned: number;
  /** The tier's points multiplier the plan earned with. */
  multiplier: number;
}

export interface PlanRules {
  points: PointsSettings;
  wallet: WalletSettings;
  timeZone: string;
}

const BALANCE_METHODS: ReadonlySet<PaymentMethod> = new Set(['wallet', 'points']);

export function pricedLines(input: OrderInput): PricedLine[] {
  return input.items.map((item, i) => {
    const amount = item.quantity * item.unitPrice;
    return { lineNo: i + 1, sku: item.sku, name: item.name, category: item.category ?? null, quantity: item.quantity, unitPrice: item.unitPrice, amount, discount: 0, payable: amount };
  });
}

/**
 * Prices an order and plans its payments without writing: the preview shows this plan,
 * and the checkout applies exactly it inside its transaction, with the member row locked.
 * Order of steps (docs/orders.md): discounts (tier, coupons) -> points -> stored value ->
 * other payments. Points earn on what was paid by the kinds the settings name.
 */
export async function planCheckout(
  pipeline: PricingPipeline,
  rules: PlanRules,
  input: OrderInput,
  context: { principal: Principal; member: MemberRecord | null; mode: 'preview' | 'apply'; transaction?: Transaction },
): Promise<CheckoutPlan> {
  const { member } = context;
  const usesBalance = input.payments.some((p) => BALANCE_METHODS.has(p.method));
  if (usesBalance && !member) throw new AppError('ORDER_MEMBER_REQUIRED');
  if (usesBalance && member && member.status === 'frozen') throw new AppError('MEMBER_FROZEN', { params: { id: member.id } });

  const priced = await pipeline.price({
    principal: context.principal,
    member,
    storeId: input.storeId,
    channel: input.channel ?? null,
    couponCodes: input.couponCodes ?? [],
    paymentMethods: input.payments.map((p) => p.method),
    lines: pricedLines(input),
    mode: context.mode,
    transaction: context.transaction,
  });
  const amount = sum(priced.lines.map((line) => line.amount));
  const discount = sum(priced.discounts.map(discountAmount));
  const payable = amount - discount;

  const payments: PlannedPayment[] = [];
  let pointsUsed = 0;
  // Fixed order whatever order the client listed them in: points, stored value, the rest.
  const ordered = [...input.payments].sort((a, b) => rank(a.method) - rank(b.method));
  for (const payment of ordered) {
    const planned: PlannedPayment = { method: payment.method, amount: payment.amount, points: 0, principal: 0, bonus: 0 };
    if (payment.method === 'points' && member) {
      planned.points = redemption(rules.points, { amountFen: payment.amount, payableFen: payable, balance: member.pointsBalance }).points;
      if (planned.points > member.pointsBalance) {
        throw insufficientBalance('points', planned.points, member.pointsBalance);
      }
      pointsUsed = planned.points;
    } else if (payment.method === 'wallet' && member) {
      const available = member.walletPrincipal + member.walletBonus;
      if (payment.amount > available) {
        throw insufficientBalance('wallet', payment.amount, available);
      }
      const split = splitSpend(rules.wallet.spendOrder, member.walletPrincipal, member.walletBonus, payment.amount);
      planned.principal = split.principal;
      planned.bonus = split.bonus;
    }
    payments.push(planned);
  }
  const paid = sum(payments.map((p) => p.amount));
  if (context.mode === 'apply' && paid !== payable) {
    throw new AppError('ORDER_PAYMENT_MISMATCH', { params: { paid: yuanText(paid), payable: yuanText(payable) } });
  }
  const multiplier = member ? await pipeline.earningMultiplier(member, context.transaction) : 1;
  const pointsEarned = member ? pointsToEarn(rules.points, earnableFen(rules.points, payments), multiplier) : 0;
  return { lines: priced.lines, discounts: priced.discounts, amount, discount, payable, payments, paid, pointsUsed, pointsEarned, multiplier };
}

/** What the earning rule counts as paid: the kinds it names, stored value by bucket. */
export function earnableFen(settings: PointsSettings, payments: readonly PlannedPayment[]): number {
  const kinds = new Set<string>(settings.earn.methods);
  let fen = 0;
  for (const payment of payments) {
    if (payment.method === 'points') continue;
    if (payment.method === 'wallet') {
      if (kinds.has('wallet_principal')) fen += payment.principal;
      if (kinds.has('wallet_bonus')) fen += payment.bonus;
    } else if (kinds.has(payment.method)) {
      fen += payment.amount;
    }
  }
  return fen;
}

/** The most a cashier may let points pay right now, for the preview. */
export function redemptionLimits(settings: PointsSettings, payable: number, member: MemberRecord | null) {
  if (!member) return null;
  return {
    enabled: settings.redeem.enabled,
    pointsPerYuan: settings.redeem.pointsPerYuan,
    minPoints: settings.redeem.minPoints,
    maxAmount: member.status === 'frozen' ? 0 : maxRedeemableFen(settings, payable, Math.max(0, member.pointsBalance)),
  };
}

export function pointsExpiry(rules: PlanRules, at: Date): Date | null {
  return expiryFor(rules.points, at, rules.timeZone);
}

function rank(method: PaymentMethod): number {
  return method === 'points' ? 0 : method === 'wallet' ? 1 : 2;
}

