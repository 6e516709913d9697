import type { Task } from './jobs';
import type { MemberQuery } from './members';
import { download, http, type DownloadedFile } from './http';
import type { OrderBody } from './orders';

// Coupons: templates (the rules), issuing one by one or in batches, the coupons themselves,
// their redemptions, and what the counter may use. Amounts are integer fen.

export const TEMPLATE_KINDS = ['full_reduction', 'voucher', 'discount', 'exchange', 'punch'] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];
export const TEMPLATE_STATUSES = ['draft', 'active', 'paused', 'ended'] as const;
export type TemplateStatus = (typeof TEMPLATE_STATUSES)[number];
export type ValidityType = 'fixed' | 'relative';
export const COUPON_STATUSES = ['available', 'used', 'expired', 'voided'] as const;
export type CouponStatus = (typeof COUPON_STATUSES)[number];
export const COUPON_SOURCES = ['manual', 'batch', 'topup', 'claim', 'tier', 'automation'] as const;
export type CouponSource = (typeof COUPON_SOURCES)[number];

/** A one-line rule in both languages, as the server words it ("满200减30"). */
export interface RuleText {
  zh: string;
  en: string;
}

/** The rules a template is written with; each kind reads only its own amount fields. */
export interface TemplateRules {
  name: string;
  kind: TemplateKind;
  amountOff: number | null;
  threshold: number | null;
  /** 1-99: the percent paid (85 = 8.5折) */
  discountRate: number | null;
  maxOff: number | null;
  itemSku: string | null;
  itemName: string | null;
  punchUses: number | null;
  validityType: ValidityType;
  /** fixed: the first and last business day valid, YYYY-MM-DD */
  validFrom: string | null;
  validUntil: string | null;
  validDays: number | null;
  delayDays: number;
  /** null: unlimited */
  stock: number | null;
  perMemberLimit: number | null;
  perDayLimit: number | null;
  /** empty: all */
  storeIds: number[];
  channels: string[];
  categories: string[];
  skus: string[];
  /** null: exclusive (combines with no other coupon) */
  stackGroup: string | null;
  maxPerOrder: number;
  withTierDiscount: boolean;
  withPoints: boolean;
  /** the public self-claim link is /c/<claimCode>; null: no self-claim */
  claimCode: string | null;
  /** self-claims per member; null: the per-member limit */
  claimPerMember: number | null;
  description: string | null;
}

export interface CouponTemplate extends TemplateRules {
  id: number;
  status: TemplateStatus;
  issuedCount: number;
  /** stock left; null: unlimited */
  remaining: number | null;
  /** the public self-claim page, when there is a claim code */
  claimUrl: string | null;
  rule: RuleText;
  /** coupons were issued: only name, description, stock, limits, claim and status may change */
  locked: boolean;
  createdBy: number | null;
  createdAt: string;
  updatedAt: string;
}

export type TemplateCreate = TemplateRules & { status?: 'draft' | 'active' };
export type TemplatePatch = Partial<TemplateRules> & { status?: TemplateStatus };

export interface TemplateQuery {
  status?: TemplateStatus;
  kind?: TemplateKind;
  keyword?: string;
  limit?: number;
  cursor?: string;
}

/** The member as the caller may see them (fields their roles hide are absent or masked). */
export interface CouponMember {
  id: number;
  cardNo?: string | null;
  name?: string | null;
  phone?: string | null;
}

export interface Coupon {
  id: number;
  code: string;
  templateId: number;
  templateName: string;
  kind: TemplateKind;
  status: CouponStatus;
  usesTotal: number;
  usesLeft: number;
  validFrom: string;
  validUntil: string;
  memberId: number;
  member: CouponMember | null;
  source: CouponSource;
  sourceRef: string | null;
  /** the issuing store */
  storeId: number | null;
  issuedBy: number | null;
  issuedAt: string;
  rule: RuleText;
  voidReason: string | null;
}

export type CouponEventType = 'issued' | 'redeemed' | 'returned' | 'return_expired' | 'voided' | 'expired';

export interface CouponEvent {
  id: number;
  type: CouponEventType;
  orderId: number | null;
  refundId: number | null;
  operatorId: number | null;
  reason: string | null;
  at: string;
}

export interface CouponDetail extends Coupon {
  events: CouponEvent[];
}

export interface CouponQuery {
  code?: string;
  memberId?: number;
  templateId?: number;
  status?: CouponStatus;
  limit?: number;
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  /** null on the last page */
  nextCursor: string | null;
}

/** Who a batch goes to: picked members, the member list's filters, or a list of phones / card numbers. */
export type BatchTarget =
  | { type: 'members'; ids: number[] }
  | { type: 'filter'; query: Omit<MemberQuery, 'limit' | 'cursor'> }
  | { type: 'list'; values: string[] };

export interface BatchPreview {
  /** members the target names within reach */
  matched: number;
  /** members who would receive coupons */
  issuable: number;
  /** coupons that would be issued */
  coupons: number;
  /** left out, by reason */
  skipped: Partial<Record<SkipReason, number>>;
}

export const SKIP_REASONS = ['notFound', 'invalid', 'duplicate', 'outOfScope', 'frozen', 'perMember', 'daily', 'stock', 'inactive'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export type BatchStatus = 'queued' | 'running' | 'done' | 'failed';

/** What a batch was sent to, in short (a phone keyword masked). */
export interface BatchTargetSummary {
  type: 'members' | 'filter' | 'list';
  /** ids or values listed; null for a filter */
  size: number | null;
  query: Record<string, unknown> | null;
}

export interface CouponBatch {
  id: number;
  templateId: number;
  templateName: string;
  target: BatchTargetSummary;
  /** coupons each member receives */
  count: number;
  status: BatchStatus;
  matched: number;
  /** coupons issued so far */
  issued: number;
  skipped: Partial<Record<SkipReason, number>> | null;
  taskId: number | null;
  createdBy: number | null;
  createdAt: string;
  finishedAt: string | null;
}

export type RedemptionStatus = 'applied' | 'returned';

export interface CouponRedemption {
  id: number;
  couponId: number;
  code: string;
  templateId: number;
  templateName: string;
  orderId: number;
  orderNo: string | null;
  memberId: number;
  member: CouponMember | null;
  storeId: number;
  lineNo: number | null;
  uses: number;
  amount: number;
  status: RedemptionStatus;
  returnedRefundId: number | null;
  createdAt: string;
  returnedAt: string | null;
}

export interface RedemptionQuery {
  templateId?: number;
  storeId?: number;
  couponId?: number;
  orderId?: number;
  /** business-timezone days, both ends included */
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

/** A refusal in both languages, as the checkout would word it. */
export interface Reason {
  code: string;
  zh: string;
  en: string;
}

/** One of the member's coupons, judged against the sale beside the chosen ones: what it would take off, or why not. */
export interface ApplicableCoupon {
  coupon: Coupon;
  /** one of the body's couponCodes */
  selected: boolean;
  applicable: boolean;
  discount: { amount: number; label: string; lines: Record<string, number> } | null;
  reason: Reason | null;
}

/** GET /coupons/validate: a code judged for a store (and a member, an amount). */
export interface CouponValidation {
  code: string;
  valid: boolean;
  coupon: Coupon | null;
  discount: number | null;
  reason: Reason | null;
}

/** 优惠券模板列表（按状态、类型、名称筛选） */
export const listCouponTemplates = (query: TemplateQuery = {}) => http.get<Page<CouponTemplate>>('/api/v1/coupon-templates', { query: { ...query } });

/** 新建优惠券模板（草稿或直接启用） */
export const createCouponTemplate = (body: TemplateCreate) => http.post<CouponTemplate>('/api/v1/coupon-templates', body);

/** 一个优惠券模板 */
export const getCouponTemplate = (id: number) => http.get<CouponTemplate>(`/api/v1/coupon-templates/${id}`);

/** 修改优惠券模板或切换状态（已发券的进行中模板只能改名称、说明、加库存、限额与状态） */
export const updateCouponTemplate = (id: number, body: TemplatePatch) => http.patch<CouponTemplate>(`/api/v1/coupon-templates/${id}`, body);

/** 向一位会员发券（带幂等键，重试不会多发） */
export const issueCoupon = (templateId: number, body: { memberId: number; count?: number; reason?: string; storeId?: number }, idempotencyKey: string) =>
  http.post<{ items: Coupon[] }>(`/api/v1/coupon-templates/${templateId}/issue`, body, { headers: { 'Idempotency-Key': idempotencyKey } });

/** 自助领券二维码（PNG，需带令牌；download 时带文件名） */
export const downloadClaimQr = (templateId: number, options: { size?: number; download?: boolean } = {}): Promise<DownloadedFile> =>
  download(`/api/v1/coupon-templates/${templateId}/claim-qr`, { query: { size: options.size, download: options.download ? '1' : undefined } });

/** 批量发放的对象与每人张数 */
export interface BatchBody {
  templateId: number;
  target: BatchTarget;
  /** coupons each member receives, 1-10 */
  count?: number;
}

/** 批量发券预估：匹配人数、可发人数与张数、按原因跳过的数量（不写入任何数据） */
export const previewCouponBatch = (body: BatchBody) => http.post<BatchPreview>('/api/v1/coupon-batches/preview', body);

/** 开始批量发券（后台任务，进度见任务，未发放名单为任务文件） */
export const startCouponBatch = (body: BatchBody) =>
  http.post<{ batch: CouponBatch; task: Task }>('/api/v1/coupon-batches', body);

/** 一次批量发券的结果 */
export const getCouponBatch = (id: number) => http.get<CouponBatch>(`/api/v1/coupon-batches/${id}`);

/** 某模板的批量发券记录 */
export const listCouponBatches = (query: { templateId?: number; limit?: number; cursor?: string } = {}) =>
  http.get<Page<CouponBatch>>('/api/v1/coupon-batches', { query: { ...query } });

/** 优惠券查询（按券码、会员、模板、状态） */
export const listCoupons = (query: CouponQuery = {}) => http.get<Page<Coupon>>('/api/v1/coupons', { query: { ...query } });

/** 一张优惠券及其全部状态变化 */
export const getCoupon = (id: number) => http.get<CouponDetail>(`/api/v1/coupons/${id}`);

/** 作废一张未使用的优惠券（须填原因） */
export const voidCoupon = (id: number, reason: string) => http.post<Coupon>(`/api/v1/coupons/${id}/void`, { reason });

/** 会员的优惠券（会员 360 页；可只看某门店能用的） */
export const listMemberCoupons = (memberId: number, query: { status?: CouponStatus; storeId?: number; limit?: number } = {}) =>
  http.get<{ items: Coupon[] }>(`/api/v1/members/${memberId}/coupons`, { query: { ...query } });

/** 核销记录（按模板、门店、日期） */
export const listCouponRedemptions = (query: RedemptionQuery = {}) => http.get<Page<CouponRedemption>>('/api/v1/coupon-redemptions', { query: { ...query } });

/** 收银台：会员的可用券（请求体同订单预览），逐张说明能否与已选券一起用于本单、可减多少 */
export const listApplicableCoupons = (body: OrderBody, signal?: AbortSignal) =>
  http.post<{ items: ApplicableCoupon[] }>('/api/v1/coupons/applicable', body, { signal });

/** 按券码校验能否在某门店（某会员、某金额）使用 */
export const validateCoupon = (query: { code: string; storeId: number; memberId?: number; amount?: number; channel?: string }) =>
  http.get<CouponValidation>('/api/v1/coupons/validate', { query: { ...query } });
