import type { FieldGuard } from '../access/field-policy/index.js';
import type { PlainRecord } from '../access/field-policy/record-shape.js';
import type { OrderModels, OrderPaymentRecord, OrderRecord, OrderRefundRecord } from './models.js';

type ItemRecord = InstanceType<OrderModels['OrderItem']>;
type DiscountRecord = InstanceType<OrderModels['OrderDiscount']>;

/** An order (or a refund) as a reader may see it: the id always, the rest as the field guard allows. */
export type ShownOrder = PlainRecord & { id: number };

/** Keys every reader of an order sees; the amounts and lines go through the field guard. */
export const ORDER_ALWAYS_VISIBLE = ['id', 'source', 'channel', 'note', 'member', 'storeName', 'cashierName', 'salespersonId'] as const;

export interface OrderNames {
  stores: Map<number, string>;
  staff: Map<number, string>;
  members: Map<number, PlainRecord>;
}

export interface OrderParts {
  items: ItemRecord[];
  discounts: DiscountRecord[];
  payments: OrderPaymentRecord[];
  refunds: OrderRefundRecord[];
}

/** The order's columns a view reads: a row as read, or as the checkout just wrote it. */
export type OrderFields = Pick<
  OrderRecord,
  'id' | 'orderNo' | 'source' | 'externalNo' | 'memberId' | 'storeId' | 'channel' | 'cashierId' | 'salespersonId' | 'occurredAt' | 'amount' | 'discount' | 'payable' | 'pointsUsed' | 'pointsEarned' | 'refundedAmount' | 'status' | 'note'
>;

/** The parts a view reads; OrderParts as read qualify. */
export interface ViewParts {
  items: ReadonlyArray<Pick<ItemRecord, 'lineNo' | 'sku' | 'name' | 'category' | 'quantity' | 'unitPrice' | 'amount' | 'discount' | 'payable' | 'refundedQuantity' | 'refundedAmount'>>;
  discounts: ReadonlyArray<Pick<DiscountRecord, 'step' | 'reference' | 'label' | 'amount'>>;
  payments: ReadonlyArray<Pick<OrderPaymentRecord, 'method' | 'amount' | 'points' | 'principal' | 'bonus' | 'refundedAmount' | 'refundedPoints'>>;
  refunds: readonly OrderRefundRecord[];
}

export function orderSummaryView(order: OrderFields, names: OrderNames): PlainRecord {
  return {
    id: order.id,
    orderNo: order.orderNo,
    source: order.source ?? null,
    externalNo: order.externalNo ?? null,
    memberId: order.memberId ?? null,
    member: order.memberId ? (names.members.get(order.memberId) ?? { id: order.memberId }) : null,
    storeId: order.storeId,
    storeName: names.stores.get(order.storeId) ?? null,
    channel: order.channel ?? null,
    cashierId: order.cashierId ?? null,
    cashierName: order.cashierId ? (names.staff.get(order.cashierId) ?? null) : null,
    salespersonId: order.salespersonId ?? null,
    occurredAt: order.occurredAt.toISOString(),
    amount: order.amount,
    discount: order.discount,
    payable: order.payable,
    pointsUsed: order.pointsUsed,
    pointsEarned: order.pointsEarned,
    refundedAmount: order.refundedAmount ?? 0,
    refundable: order.payable - (order.refundedAmount ?? 0),
    status: order.status ?? 'completed',
    note: order.note ?? null,
  };
}

export function refundView(refund: OrderRefundRecord, staff: Map<number, string>): ShownOrder {
  return {
    id: refund.id,
    refundNo: refund.refundNo,
    amount: refund.amount,
    lines: refund.lines ? (JSON.parse(refund.lines) as unknown) : null,
    payments: JSON.parse(refund.payments) as unknown,
    pointsReturned: refund.pointsReturned,
    pointsReversed: refund.pointsReversed,
    reason: refund.reason ?? null,
    createdAt: refund.createdAt.toISOString(),
    operatorName: refund.operatorId ? (staff.get(refund.operatorId) ?? null) : null,
  };
}

export function orderView(order: OrderFields, parts: ViewParts, names: OrderNames): PlainRecord {
  return {
    ...orderSummaryView(order, names),
    items: [...parts.items]
      .sort((a, b) => a.lineNo - b.lineNo)
      .map((item) => ({
        lineNo: item.lineNo,
        sku: item.sku,
        name: item.name,
        category: item.category ?? null,
        quantity: item.quantity,
        unitPrice: item.unitPrice,
        amount: item.amount,
        discount: item.discount,
        payable: item.payable,
        refundedQuantity: item.refundedQuantity ?? 0,
        refundedAmount: item.refundedAmount ?? 0,
      })),
    discounts: parts.discounts.map((d) => ({ step: d.step, reference: d.reference ?? null, label: d.label, amount: d.amount })),
    payments: parts.payments.map((p) => ({
      method: p.method,
      amount: p.amount,
      points: p.points,
      principal: p.principal,
      bonus: p.bonus,
      refundedAmount: p.refundedAmount ?? 0,
      refundedPoints: p.refundedPoints ?? 0,
    })),
    refunds: [...parts.refunds].sort((a, b) => a.id - b.id).map((r) => refundView(r, names.staff)),
  };
}

/** An order as this reader may see it. */
export function showOrder(guard: FieldGuard, view: PlainRecord): PlainRecord {
  return guard.project(view);
}
