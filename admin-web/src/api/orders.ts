import { http } from './http';

// Orders: the checkout (preview, then the order), the order list and detail, refunds.
// Amounts are integer fen, points integers.

export const PAYMENT_METHODS = ['wallet', 'points', 'cash', 'wechat', 'alipay', 'card', 'other'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
/** What pays the rest after points and stored value. */
export const OTHER_METHODS = ['cash', 'wechat', 'alipay', 'card', 'other'] as const;
export type OtherMethod = (typeof OTHER_METHODS)[number];

export const ORDER_STATUSES = ['completed', 'partially_refunded', 'refunded'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** An amount-only sale is one item of this sku (the contract's convention). */
export const AMOUNT_SKU = 'AMOUNT';
export const AMOUNT_ITEM_NAME = '消费';

export interface OrderItemInput {
  sku: string;
  name: string;
  category?: string;
  quantity: number;
  /** fen */
  unitPrice: number;
}

export interface PaymentInput {
  method: PaymentMethod;
  /** fen */
  amount: number;
}

export interface OrderBody {
  memberId?: number;
  storeId: number;
  items: OrderItemInput[];
  payments: PaymentInput[];
  couponCodes?: string[];
  externalNo?: string;
  source?: string;
  channel?: string;
  salespersonId?: number;
  occurredAt?: string;
  note?: string;
  paymentPin?: string;
}

export interface DiscountStep {
  step: string;
  label: string;
  amount: number;
}

export interface PreviewItem {
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

export interface PreviewPayment {
  method: PaymentMethod;
  amount: number;
  /** points spent, for a points payment */
  points: number;
  /** the stored-value split, for a wallet payment */
  principal: number;
  bonus: number;
}

/** The member as the caller may see them: balances absent or a masked string for roles that may not read them. */
export interface PreviewMember {
  id: number;
  cardNo?: string | null;
  name?: string | null;
  points?: number | string;
  wallet?: { principal: number; bonus: number } | string;
  status?: string;
  pinSet: boolean;
}

export interface Redemption {
  enabled: boolean;
  pointsPerYuan: number;
  minPoints: number;
  /** the most fen points may pay now */
  maxAmount: number;
}

export interface OrderPreview {
  amount: number;
  discount: number;
  payable: number;
  steps: DiscountStep[];
  items: PreviewItem[];
  payments: PreviewPayment[];
  /** sum of the payments */
  paid: number;
  /** payable - paid; above 0 means still to pay */
  due: number;
  pointsEarned: number;
  member: PreviewMember | null;
  redemption: Redemption | null;
}

export interface OrderMember {
  id: number;
  cardNo?: string | null;
  name?: string | null;
  phone?: string | null;
}

export interface OrderItem extends PreviewItem {
  refundedQuantity: number;
  refundedAmount: number;
}

export interface OrderDiscount {
  step: string;
  reference: string | null;
  label: string;
  amount: number;
}

export interface OrderPayment extends PreviewPayment {
  refundedAmount: number;
  refundedPoints: number;
}

export interface RefundLine {
  lineNo: number;
  quantity: number;
  amount: number;
}

export interface OrderRefund {
  id: number;
  refundNo: string;
  amount: number;
  lines: RefundLine[] | null;
  payments: { method: PaymentMethod; amount: number; points: number }[];
  pointsReturned: number;
  pointsReversed: number;
  reason: string | null;
  createdAt: string;
  operatorName: string | null;
}

export interface Order {
  id: number;
  orderNo: string;
  source: string | null;
  externalNo: string | null;
  memberId: number | null;
  member: OrderMember | null;
  storeId: number;
  storeName: string | null;
  channel: string | null;
  cashierId: number | null;
  cashierName: string | null;
  salespersonId: number | null;
  occurredAt: string;
  amount: number;
  discount: number;
  payable: number;
  pointsUsed: number;
  pointsEarned: number;
  refundedAmount: number;
  /** payable - refundedAmount */
  refundable: number;
  status: OrderStatus;
  note: string | null;
  items: OrderItem[];
  discounts: OrderDiscount[];
  payments: OrderPayment[];
  refunds: OrderRefund[];
}

/** A list row: the order without its items, discounts and refunds. */
export type OrderSummary = Omit<Order, 'items' | 'discounts' | 'refunds'> & Partial<Pick<Order, 'payments'>>;

export interface OrderQuery {
  memberId?: number;
  storeId?: number;
  status?: OrderStatus;
  /** business-timezone days, both ends included */
  from?: string;
  to?: string;
  /** order no or external no */
  keyword?: string;
  cursor?: string;
  limit?: number;
}

export interface OrderPage {
  items: OrderSummary[];
  nextCursor: string | null;
}

/** Neither amount nor lines: refund everything left. */
export interface RefundBody {
  amount?: number;
  lines?: { lineNo: number; quantity: number }[];
  reason?: string;
}

export interface RefundResult {
  refund: OrderRefund;
  order: Order;
}

/** 试算订单（折扣、支付拆分、应收、可得积分），不落库 */
export const previewOrder = (body: OrderBody, signal?: AbortSignal) => http.post<OrderPreview>('/api/v1/orders/preview', body, { signal });

/** 结账下单（每次确认一个新的幂等键，重复点击不会重复扣款） */
export const createOrder = (body: OrderBody, idempotencyKey: string) =>
  http.post<Order>('/api/v1/orders', body, { headers: { 'Idempotency-Key': idempotencyKey } });

/** 订单列表（按门店、状态、日期、单号筛选，按 cursor 翻页，新单在前） */
export const listOrders = (query: OrderQuery) => http.get<OrderPage>('/api/v1/orders', { query: { ...query } });

/** 订单详情（明细、折扣、支付、退款记录） */
export const getOrder = (id: number) => http.get<Order>(`/api/v1/orders/${id}`);

/** 退款：整单、按明细数量或按金额（每次提交一个新的幂等键） */
export const refundOrder = (id: number, body: RefundBody, idempotencyKey: string) =>
  http.post<RefundResult>(`/api/v1/orders/${id}/refunds`, body, { headers: { 'Idempotency-Key': idempotencyKey } });
