import type { Sequelize, Transaction } from 'sequelize';
import { columnsOf, execute, insertRows } from '../../platform/db/raw-sql.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { DomainEvents } from '../events/outbox.js';
import { discountAmount, type Discount, type PlacedOrder, type RefundedOrder } from '../orders/pricing.js';
import type { CouponModels, CouponRecord, RedemptionRecord } from './models.js';
import { timeText, type CouponMeta } from './rules.js';

/** An order line's quantities as the refund left them (the orders module's service reads them). */
export interface OrderLineCount {
  lineNo: number;
  quantity: number;
  refundedQuantity: number;
}

export interface RedemptionDeps {
  sequelize: Sequelize;
  models: CouponModels;
  events: DomainEvents;
  /** The order's lines, read in the refund's transaction after it updated them. */
  orderLines: (orderId: number, transaction: Transaction) => Promise<OrderLineCount[]>;
  timeZone: string;
  now?: () => Date;
}

/**
 * What the coupon step writes in the checkout's and the refund's transactions. A use is
 * taken by a guarded UPDATE (uses_left >= n AND status = 'available'); when another
 * checkout got there first it changes no row and the whole checkout rolls back with
 * COUPON_USED. Nothing recorded is edited: redemptions and events are appended, and a
 * redemption is only marked returned once all its uses came back.
 */
export class CouponRedemptions {
  constructor(private readonly deps: RedemptionDeps) {}

  async placed(order: PlacedOrder, discounts: readonly Discount[], transaction: Transaction): Promise<void> {
    if (discounts.length === 0) return;
    const { sequelize, events } = this.deps;
    const memberId = order.member?.id;
    const now = this.now();
    const used = discounts.map((discount) => ({ discount, meta: discount.meta as unknown as CouponMeta, amount: discountAmount(discount) }));
    for (const { discount, meta } of used) {
      if (memberId === undefined) throw new AppError('COUPON_NOT_OWNED', { params: { code: discount.reference ?? '' } });
      // status is set first: MySQL assigns left to right, so it must read uses_left before the decrement.
      const changed = await execute(
        sequelize,
        `UPDATE coupons SET status = CASE WHEN uses_left = $1 THEN 'used' ELSE status END, uses_left = uses_left - $1, updated_at = $2
         WHERE id = $3 AND uses_left >= $1 AND status = 'available'`,
        [meta.uses, now, meta.couponId],
        transaction,
      );
      if (changed !== 1) throw new AppError('COUPON_USED', { params: { code: discount.reference ?? '' } });
    }
    const common = { orderId: order.id, memberId: memberId!, storeId: order.storeId };
    await insertRows(
      sequelize,
      'coupon_redemptions',
      used.map(({ meta, amount }) => columnsOf({ couponId: meta.couponId, ...common, lineNo: meta.lineNo, uses: meta.uses, amount, status: 'applied', createdAt: now })),
      transaction,
    );
    await insertRows(
      sequelize,
      'coupon_events',
      used.map(({ meta }) => columnsOf({ couponId: meta.couponId, type: 'redeemed', orderId: order.id, refundId: null, operatorId: order.operatorId, reason: null, at: now })),
      transaction,
    );
    for (const { discount, meta, amount } of used) {
      await events.emit(
        {
          type: 'coupon.redeemed',
          entityType: 'coupon',
          entityId: meta.couponId,
          memberId,
          payload: { code: discount.reference, templateId: meta.templateId, kind: meta.kind, orderId: order.id, orderNo: order.orderNo, storeId: order.storeId, uses: meta.uses, lineNo: meta.lineNo, amount },
          at: now,
        },
        transaction,
      );
    }
  }

  /**
   * Gives back what a refund undoes. An exchange or punch coupon's uses come back with its
   * line's units, in proportion (the refund values every unit of a line alike, the free
   * ones included); any other coupon comes back when the order is refunded in full. A
   * coupon past its validity stays used (event `return_expired`); a voided one gets nothing.
   */
  async refunded(refund: RefundedOrder, transaction: Transaction): Promise<void> {
    const { CouponRedemption, Coupon } = this.deps.models;
    const redemptions = await CouponRedemption.findAll({ where: { orderId: refund.orderId, status: 'applied' }, order: [['id', 'ASC']], transaction });
    if (redemptions.length === 0) return;
    const needsLines = redemptions.some((r) => r.lineNo !== null && (refund.fullyRefunded || refund.lines[r.lineNo]));
    const lines = needsLines ? await this.deps.orderLines(refund.orderId, transaction) : [];
    const coupons = await Coupon.findAll({ where: { id: redemptions.map((r) => r.couponId) }, transaction });
    const now = this.now();
    for (const redemption of redemptions) {
      const { before, after } = usesBack(redemption, refund, lines);
      const coupon = coupons.find((c) => c.id === redemption.couponId);
      if (after <= before || !coupon || coupon.status === 'voided') continue;
      if (coupon.status === 'expired' || now > coupon.validUntil) {
        await this.event(coupon, 'return_expired', refund, `${after - before} 次未退回：券已于 ${timeText(coupon.validUntil, this.deps.timeZone)} 过期`, now, transaction);
        continue;
      }
      await this.giveBack(coupon, redemption, after - before, after === redemption.uses, refund, now, transaction);
    }
  }

  private async giveBack(coupon: CouponRecord, redemption: RedemptionRecord, uses: number, complete: boolean, refund: RefundedOrder, now: Date, transaction: Transaction) {
    const { sequelize, events } = this.deps;
    // Guarded, so a use never comes back twice: a coupon never holds more than it was issued with.
    const changed = await execute(
      sequelize,
      `UPDATE coupons SET status = 'available', uses_left = uses_left + $1, updated_at = $2
       WHERE id = $3 AND uses_left + $1 <= uses_total AND status IN ('available', 'used')`,
      [uses, now, coupon.id],
      transaction,
    );
    if (changed !== 1) return;
    if (complete) {
      await execute(
        sequelize,
        `UPDATE coupon_redemptions SET status = 'returned', returned_refund_id = $1, returned_at = $2 WHERE id = $3 AND status = 'applied'`,
        [refund.refundId, now, redemption.id],
        transaction,
      );
    }
    await this.event(coupon, 'returned', refund, complete && uses === redemption.uses ? null : `退回 ${uses}/${redemption.uses} 次`, now, transaction);
    await events.emit(
      {
        type: 'coupon.returned',
        entityType: 'coupon',
        entityId: coupon.id,
        memberId: coupon.memberId,
        payload: { code: coupon.code, templateId: coupon.templateId, orderId: refund.orderId, refundId: refund.refundId, refundNo: refund.refundNo, uses, redemptionReturned: complete },
        at: now,
      },
      transaction,
    );
  }

  private async event(coupon: CouponRecord, type: 'returned' | 'return_expired', refund: RefundedOrder, reason: string | null, at: Date, transaction: Transaction) {
    await insertRows(
      this.deps.sequelize,
      'coupon_events',
      [columnsOf({ couponId: coupon.id, type, orderId: refund.orderId, refundId: refund.refundId, operatorId: refund.operatorId, reason, at })],
      transaction,
    );
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }
}

/**
 * How many of a redemption's uses count as returned before and after this refund. Item
 * coupons follow their line: floor(uses × refunded / quantity), all of them once the line
 * is gone; other coupons come back whole with the order's last refund.
 */
export function usesBack(redemption: Pick<RedemptionRecord, 'lineNo' | 'uses'>, refund: Pick<RefundedOrder, 'fullyRefunded' | 'lines'>, lines: readonly OrderLineCount[]) {
  const { uses, lineNo } = redemption;
  if (lineNo === null) return { before: 0, after: refund.fullyRefunded ? uses : 0 };
  const line = lines.find((l) => l.lineNo === lineNo);
  if (!line) return { before: 0, after: 0 };
  const share = (refunded: number) => (refunded >= line.quantity ? uses : Math.floor((uses * refunded) / line.quantity));
  const before = share(line.refundedQuantity - (refund.lines[lineNo] ?? 0));
  return { before, after: refund.fullyRefunded ? uses : share(line.refundedQuantity) };
}
