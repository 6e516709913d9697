import type { Transaction } from 'sequelize';
import { AppError } from '../../platform/errors/app-error.js';
import { yuanText } from '../../platform/money/yuan-text.js';
import type { Principal } from '../../platform/http/route.js';
import type { RefundedOrder } from './pricing.js';
import { allocate, sum } from '../../platform/money/allocate.js';
import type { LedgerMove } from '../loyalty/ledger-move.js';
import type { MemberRecord } from '../members/models.js';
import type { OrderItemRecord, OrderPaymentRecord, OrderRecord, OrderStatus } from './models.js';
import type { DocumentNumbers } from './order-numbers.js';
import { refundView, type OrderNames, type OrderParts, type ShownOrder } from './order-view.js';
import type { RefundInput } from './schemas.js';
import type { OrderService, OrderServiceDeps } from './service.js';

interface LineReturn {
  item: OrderItemRecord;
  quantity: number;
  amount: number;
}

/** What `quantity` of a line's units are worth: the last unit takes the rounding, so a whole line refunds exactly its payable. */
function lineValue(item: OrderItemRecord, quantity: number): number {
  return quantity >= item.quantity ? item.payable : Math.floor((item.payable * quantity) / item.quantity);
}

/**
 * Refunds reverse an order through the ledgers, never by editing them. A refund's amount
 * is split over the order's payments in proportion to what each has left to refund, so
 * the last refund returns exactly what is left of each. Points redeemed go back to the
 * lots they came from; stored value to the top-ups and buckets it came from; points
 * earned are taken back in proportion (owed when already spent); steps that priced the
 * order (coupons) undo theirs. Amounts refunded never exceed what was paid.
 */
export class RefundService {
  constructor(
    private readonly deps: OrderServiceDeps,
    private readonly orders: OrderService,
    private readonly refundNumbers: DocumentNumbers,
  ) {}

  async refund(principal: Principal, orderId: number, input: RefundInput, idempotencyKey: string | undefined): Promise<{ value: { refund: ShownOrder; order: ShownOrder }; replayed: boolean }> {
    const before = await this.orders.findInScope(principal, orderId);
    const refundNo = await this.refundNumbers.take();
    // Names for the response, read before the transaction (see OrderService.place).
    const earlier = await this.deps.models.OrderRefund.findAll({ where: { orderId }, attributes: ['operatorId'] });
    const names = await this.orders.prefetchNames(principal, before.memberId ? [before.memberId] : [], [before.cashierId ?? 0, principal.userId, ...earlier.map((r) => r.operatorId ?? 0)]);
    return this.deps.idempotency.run({ principal, key: idempotencyKey, endpoint: `POST /api/v1/orders/${orderId}/refunds`, request: input }, async (transaction) => {
      const order = await this.orders.findInScope(principal, orderId, transaction);
      // The order row first, then the member: the same order of locks as every other refund.
      const member = order.memberId ? await this.deps.members.lockForReversal(order.memberId, transaction) : null;
      const parts = await this.orders.partsOf(order.id, transaction);
      return this.apply(principal, order, member, parts, input, { refundNo, names }, transaction);
    });
  }

  private async apply(
    principal: Principal,
    order: OrderRecord,
    member: MemberRecord | null,
    parts: OrderParts,
    input: RefundInput,
    { refundNo, names }: { refundNo: string; names: OrderNames },
    transaction: Transaction,
  ) {
    const { models } = this.deps;
    const left = order.payable - order.refundedAmount;
    // Units a discount paid for (a punch card's visits) may be worth nothing to refund, yet
    // they come back by lines, with the coupon uses that paid for them, even after the money.
    const discounted = (item: OrderItemRecord | undefined) => (item?.discount ?? 0) > 0;
    const discountedOnly = input.lines !== undefined && input.lines.every((l) => discounted(parts.items.find((i) => i.lineNo === l.lineNo)));
    if (order.status === 'refunded' || (left <= 0 && !discountedOnly)) throw new AppError('ORDER_ALREADY_REFUNDED', { params: { orderNo: order.orderNo } });
    const lines = this.lineReturns(parts.items, input);
    const amount = input.amount ?? (lines ? Math.min(left, sum(lines.map((l) => l.amount))) : left);
    if (amount > left) throw new AppError('REFUND_EXCEEDS_PAID', { params: { amount: yuanText(amount), refundable: yuanText(left) } });
    if (amount <= 0 && !discountedOnly) throw new AppError('REFUND_EXCEEDS_PAID', { params: { amount: yuanText(amount), refundable: yuanText(left) } });

    const shares = allocate(amount, parts.payments.map((p) => p.amount - p.refundedAmount));
    const refundedAfter = order.refundedAmount + amount;
    // By lines, the order is done once its money and the units a discount paid for are back; by amount, once the money is.
    const discountedLeft = sum(parts.items.filter(discounted).map((i) => i.quantity - i.refundedQuantity)) - sum((lines ?? []).filter((l) => discounted(l.item)).map((l) => l.quantity));
    const everything = refundedAfter === order.payable && (lines === null || discountedLeft === 0);
    const byPayment = parts.payments.map((payment, i) => ({ payment, amount: shares[i], points: pointsBack(payment, shares[i]) }));
    const reversedBefore = sum(parts.refunds.map((r) => r.pointsReversed));
    const reversedTarget = everything ? order.pointsEarned : order.payable > 0 ? Math.floor((order.pointsEarned * refundedAfter) / order.payable) : 0;
    const pointsReversed = Math.max(0, reversedTarget - reversedBefore);
    const pointsReturned = sum(byPayment.map((p) => p.points));
    const operatorId = principal.kind === 'user' ? principal.userId : null;

    const refund = await models.OrderRefund.create(
      {
        refundNo,
        orderId: order.id,
        amount,
        lines: lines ? JSON.stringify(lines.map((l) => ({ lineNo: l.item.lineNo, quantity: l.quantity, amount: l.amount }))) : null,
        payments: JSON.stringify(byPayment.filter((p) => p.amount > 0).map((p) => ({ method: p.payment.method, amount: p.amount, points: p.points }))),
        pointsReturned,
        pointsReversed,
        reason: input.reason ?? null,
        operatorId,
        apiKeyId: principal.apiKeyId,
      },
      { transaction },
    );
    const move = (kind: string): LedgerMove => ({ kind, sourceType: 'refund', sourceId: refund.id, storeId: order.storeId, operatorId, reason: refundNo });
    const earlierRefunds = parts.refunds.map((r) => r.id);
    if (member) {
      for (const { payment, amount: back, points } of byPayment) {
        if (payment.method === 'points' && points > 0) await this.returnPoints(member, order, earlierRefunds, points, move('redeem_return'), transaction);
        if (payment.method === 'wallet' && back > 0) await this.returnStoredValue(member, order, earlierRefunds, back, move('spend_return'), transaction);
      }
      if (pointsReversed > 0) {
        const [earned] = await this.deps.pointsLedger.partsOf('earn', 'order', [order.id], transaction);
        await this.deps.pointsLedger.takeBack(member, pointsReversed, { ...move('earn_reversal'), preferLotId: earned?.lotId ?? null }, transaction);
      }
      member.totalSpent = Math.max(0, member.totalSpent - amount);
      await member.save({ transaction });
    }
    for (const { payment, amount: back, points } of byPayment) {
      if (back > 0) await payment.update({ refundedAmount: payment.refundedAmount + back, refundedPoints: payment.refundedPoints + points }, { transaction });
    }
    const returnedLines = lines ?? (input.amount === undefined ? this.allLeft(parts.items) : []);
    for (const line of returnedLines) {
      await line.item.update({ refundedQuantity: line.item.refundedQuantity + line.quantity, refundedAmount: line.item.refundedAmount + line.amount }, { transaction });
    }
    const status: OrderStatus = everything ? 'refunded' : 'partially_refunded';
    await order.update({ refundedAmount: refundedAfter, status }, { transaction });
    const returned: RefundedOrder = {
      orderId: order.id,
      refundId: refund.id,
      refundNo,
      memberId: member?.id ?? null,
      amount,
      fullyRefunded: everything,
      lines: Object.fromEntries(returnedLines.map((l) => [l.item.lineNo, l.quantity])),
      operatorId,
    };
    for (const step of this.deps.pricing.registered()) await step.refunded?.(returned, transaction);
    await this.deps.audit.record(
      {
        action: 'order.refund',
        entityType: 'order',
        entityId: order.id,
        storeId: order.storeId,
        summary: `退款 ${refundNo}：订单 ${order.orderNo} 退 ${yuanText(amount)}${input.reason ? `；原因：${input.reason}` : ''}`,
        diff: [{ field: 'refundedAmount', before: order.refundedAmount - amount, after: refundedAfter }, { field: 'status', before: null, after: status }] as never,
      },
      { transaction },
    );
    await this.deps.events.emit(
      {
        type: 'order.refunded',
        entityType: 'order',
        entityId: order.id,
        memberId: member?.id ?? null,
        payload: { orderNo: order.orderNo, refundNo, amount, pointsReturned, pointsReversed, fullyRefunded: everything },
      },
      transaction,
    );
    const refreshed = await this.orders.partsOf(order.id, transaction);
    return { refund: refundView(refund, names.staff), order: this.orders.present(principal, order, refreshed, names) };
  }

  /** Lines asked for, each within what is left of it; null when the refund is not by lines. */
  private lineReturns(items: OrderItemRecord[], input: RefundInput): LineReturn[] | null {
    if (!input.lines) return null;
    const merged = new Map<number, number>();
    for (const line of input.lines) merged.set(line.lineNo, (merged.get(line.lineNo) ?? 0) + line.quantity);
    return [...merged].map(([lineNo, quantity]) => {
      const item = items.find((i) => i.lineNo === lineNo);
      const left = item ? item.quantity - item.refundedQuantity : 0;
      if (!item || quantity > left) throw new AppError('REFUND_LINE_INVALID', { params: { lineNo, left } });
      const amount = lineValue(item, item.refundedQuantity + quantity) - lineValue(item, item.refundedQuantity);
      return { item, quantity, amount };
    });
  }

  /** A full refund returns every unit still on the order. */
  private allLeft(items: OrderItemRecord[]): LineReturn[] {
    return items
      .filter((item) => item.refundedQuantity < item.quantity)
      .map((item) => ({ item, quantity: item.quantity - item.refundedQuantity, amount: item.payable - lineValue(item, item.refundedQuantity) }));
  }

  private async returnPoints(member: MemberRecord, order: OrderRecord, earlierRefunds: number[], points: number, move: LedgerMove, transaction: Transaction) {
    const ledger = this.deps.pointsLedger;
    const spent = await ledger.partsOf('redeem', 'order', [order.id], transaction);
    const returned = earlierRefunds.length ? await ledger.partsOf('redeem_return', 'refund', earlierRefunds, transaction) : [];
    const left = spent.map((part) => ({ lotId: part.lotId, points: part.points - (returned.find((r) => r.lotId === part.lotId)?.points ?? 0) }));
    const shares = allocate(points, left.map((part) => Math.max(0, part.points)));
    await ledger.returnTo(member, left.map((part, i) => ({ lotId: part.lotId, points: shares[i] })).filter((part) => part.points > 0), move, transaction);
  }

  private async returnStoredValue(member: MemberRecord, order: OrderRecord, earlierRefunds: number[], amount: number, move: LedgerMove, transaction: Transaction) {
    const ledger = this.deps.walletLedger;
    const spent = await ledger.partsOf('spend', 'order', [order.id], transaction);
    const returned = earlierRefunds.length ? await ledger.partsOf('spend_return', 'refund', earlierRefunds, transaction) : [];
    // Each top-up's principal and bonus as separate buckets, so each gets back its own share.
    const buckets = spent.flatMap((part) => {
      const back = returned.find((r) => r.topupId === part.topupId);
      return [
        { topupId: part.topupId, bucket: 'principal' as const, left: part.principal - (back?.principal ?? 0) },
        { topupId: part.topupId, bucket: 'bonus' as const, left: part.bonus - (back?.bonus ?? 0) },
      ];
    });
    const shares = allocate(amount, buckets.map((b) => Math.max(0, b.left)));
    const byTopup = new Map<number, { topupId: number; principal: number; bonus: number }>();
    buckets.forEach((b, i) => {
      const entry = byTopup.get(b.topupId) ?? { topupId: b.topupId, principal: 0, bonus: 0 };
      entry[b.bucket] += shares[i];
      byTopup.set(b.topupId, entry);
    });
    await ledger.returnTo(member, [...byTopup.values()].filter((p) => p.principal + p.bonus > 0), move, transaction);
  }
}

/** Points a points payment gives back for `back` fen of it: in proportion, the rest on its last refund. */
function pointsBack(payment: OrderPaymentRecord, back: number): number {
  if (payment.method !== 'points' || back === 0) return 0;
  const refundedAfter = payment.refundedAmount + back;
  const target = refundedAfter >= payment.amount ? payment.points : Math.floor((payment.points * refundedAfter) / payment.amount);
  return target - payment.refundedPoints;
}

