import { z } from '../../platform/http/zod.js';
import { IdParams, optionalText } from '../../platform/http/common-schemas.js';
import { localized } from '../../platform/http/validation.js';
import { PAYMENT_METHODS } from './models.js';

/** Fen: a whole number; 100 million yuan is past any single sale. */
const fen = (min = 0) => z.number().int().min(min).max(10_000_000_000);
const MAX_LINES = 200;
const MAX_ORDER_FEN = 10_000_000_000;

export const OrderItemInput = z.strictObject({
  sku: z.string().trim().min(1).max(64),
  name: z.string().trim().min(1).max(128),
  category: optionalText(64),
  quantity: z.number().int().min(1).max(100_000),
  unitPrice: fen(),
});

export const PaymentInput = z.strictObject({
  method: z.enum(PAYMENT_METHODS),
  amount: fen(1),
});

export const OrderBody = z
  .strictObject({
    memberId: z.number().int().positive().nullable().optional(),
    storeId: z.number().int().positive(),
    items: z.array(OrderItemInput).min(1).max(MAX_LINES),
    payments: z.array(PaymentInput).max(10).default([]),
    couponCodes: z.array(z.string().trim().min(1).max(64)).max(10).optional(),
    externalNo: optionalText(64),
    source: optionalText(32),
    channel: optionalText(32),
    salespersonId: z.number().int().positive().nullable().optional(),
    occurredAt: z.coerce.date().optional(),
    note: optionalText(255),
    paymentPin: z.string().regex(/^\d{6}$/).optional(),
  })
  .refine((body) => new Set(body.payments.map((p) => p.method)).size === body.payments.length, {
    path: ['payments'],
    error: localized('每种支付方式只能出现一次', 'Each payment method may appear once'),
  })
  .refine((body) => body.items.reduce((total, item) => total + item.quantity * item.unitPrice, 0) <= MAX_ORDER_FEN, {
    path: ['items'],
    error: localized('单笔订单金额不能超过 1 亿元', 'One order cannot exceed 100 million yuan'),
  })
  .refine((body) => !body.externalNo || body.source, {
    path: ['source'],
    error: localized('填写外部单号时须注明来源系统', 'An external number needs its source system'),
  });
export type OrderInput = z.output<typeof OrderBody>;

export const RefundBody = z
  .strictObject({
    amount: fen(1).optional(),
    lines: z
      .array(z.strictObject({ lineNo: z.number().int().positive(), quantity: z.number().int().positive() }))
      .min(1)
      .max(MAX_LINES)
      .optional(),
    reason: optionalText(255),
  })
  .refine((body) => !(body.amount !== undefined && body.lines !== undefined), {
    path: ['amount'],
    error: localized('按金额退款与按商品退款只能选一种', 'Refund either by amount or by lines, not both'),
  });
export type RefundInput = z.output<typeof RefundBody>;

export const OrderQuery = z.strictObject({
  memberId: z.coerce.number().int().positive().optional(),
  storeId: z.coerce.number().int().positive().optional(),
  status: z.enum(['completed', 'partially_refunded', 'refunded']).optional(),
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  keyword: z.string().trim().max(64).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(20),
});
export type OrderListQuery = z.output<typeof OrderQuery>;

const Line = z.object({
  lineNo: z.number().int(),
  sku: z.string(),
  name: z.string(),
  category: z.string().nullable(),
  quantity: z.number().int(),
  unitPrice: z.number().int(),
  amount: z.number().int(),
  discount: z.number().int(),
  payable: z.number().int(),
});
const Step = z.object({ step: z.string(), reference: z.string().nullable(), label: z.string(), amount: z.number().int() });
const Payment = z.object({
  method: z.string(),
  amount: z.number().int(),
  points: z.number().int(),
  principal: z.number().int(),
  bonus: z.number().int(),
});
const Money = z.union([z.number().int(), z.string()]);

export const Preview = z
  .object({
    amount: z.number().int(),
    discount: z.number().int(),
    payable: z.number().int(),
    steps: z.array(Step),
    items: z.array(Line),
    payments: z.array(Payment),
    paid: z.number().int(),
    due: z.number().int(),
    pointsEarned: z.number().int(),
    member: z
      .object({
        id: z.number().int(),
        cardNo: z.string().nullable().optional(),
        name: z.string().nullable().optional(),
        status: z.string().optional(),
        points: Money.optional(),
        wallet: z.union([z.object({ principal: z.number().int(), bonus: z.number().int() }), z.string()]).optional(),
        pinSet: z.boolean(),
      })
      .nullable(),
    redemption: z
      .object({ enabled: z.boolean(), pointsPerYuan: z.number().int(), minPoints: z.number().int(), maxAmount: z.number().int() })
      .nullable(),
  })
  .openapi('OrderPreview');

const RefundView = z.object({
  id: z.number().int(),
  refundNo: z.string(),
  amount: z.number().int(),
  lines: z.array(z.object({ lineNo: z.number().int(), quantity: z.number().int(), amount: z.number().int() })).nullable(),
  payments: z.array(z.object({ method: z.string(), amount: z.number().int(), points: z.number().int() })),
  pointsReturned: z.number().int(),
  pointsReversed: z.number().int(),
  reason: z.string().nullable(),
  createdAt: z.string(),
  operatorName: z.string().nullable(),
})
  .partial()
  .required({ id: true });

const OrderSummaryShape = {
  id: z.number().int(),
  orderNo: z.string(),
  source: z.string().nullable(),
  externalNo: z.string().nullable(),
  memberId: z.number().int().nullable(),
  member: z.record(z.string(), z.unknown()).nullable(),
  storeId: z.number().int(),
  storeName: z.string().nullable(),
  channel: z.string().nullable(),
  cashierId: z.number().int().nullable(),
  cashierName: z.string().nullable(),
  salespersonId: z.number().int().nullable(),
  occurredAt: z.string(),
  amount: Money,
  discount: Money,
  payable: Money,
  pointsUsed: Money,
  pointsEarned: Money,
  refundedAmount: Money,
  refundable: Money,
  status: z.string(),
  note: z.string().nullable(),
};

export const OrderSummary = z.object(OrderSummaryShape).partial().required({ id: true }).openapi('OrderSummary');
export const Order = z
  .object({
    ...OrderSummaryShape,
    items: z.array(Line.extend({ refundedQuantity: z.number().int(), refundedAmount: z.number().int() })),
    discounts: z.array(Step),
    payments: z.array(Payment.extend({ refundedAmount: z.number().int(), refundedPoints: z.number().int() })),
    refunds: z.array(RefundView),
  })
  .partial()
  .required({ id: true })
  .openapi('Order');
export const OrderPage = z.object({ items: z.array(OrderSummary), nextCursor: z.string().nullable() }).openapi('OrderPage');
export const RefundResult = z.object({ refund: RefundView, order: Order }).openapi('OrderRefundResult');

export { IdParams };
