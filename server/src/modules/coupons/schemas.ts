import dayjs from 'dayjs';
import { IdParams, isoDate, nullableIsoDate, optionalText } from '../../platform/http/common-schemas.js';
import { localized } from '../../platform/http/validation.js';
import { z } from '../../platform/http/zod.js';
import { PhoneSchema } from '../members/schemas.js';
import { COUPON_EVENT_TYPES, COUPON_SOURCES, COUPON_STATUSES, TEMPLATE_KINDS, TEMPLATE_STATUSES, VALIDITY_TYPES } from './models.js';

/** Fen: a whole number; ten thousand yuan off is past any coupon a store prints. */
const fen = z.number().int().min(1).max(1_000_000_000);
const count = (max: number) => z.number().int().min(1).max(max);
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((value) => dayjs(value, 'YYYY-MM-DD').format('YYYY-MM-DD') === value, { error: localized('不是有效日期', 'Not a valid date') });
const label = (max: number) => z.string().trim().min(1).max(max);
const idList = z.array(z.number().int().positive()).max(500);
const textList = (max: number) => z.array(label(max)).max(500);

/**
 * Claim codes are the last part of a public link (`/c/<code>`): lower case, so the link reads
 * the same on MySQL (case-insensitive) and SQLite.
 */
const claimCode = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9-]{3,31}$/, { error: localized('领券码为 4-32 位小写字母、数字或连字符', 'A claim code is 4-32 lower-case letters, digits or dashes') });

/**
 * The rules of a template. Which fields a kind needs is checked by the service on the
 * whole template (a PATCH changes some of them), so each missing one is named.
 */
const templateFields = {
  name: label(64),
  kind: z.enum(TEMPLATE_KINDS),
  amountOff: fen.nullable().optional().openapi({ description: 'Fen off: full_reduction and voucher' }),
  threshold: fen.nullable().optional().openapi({ description: 'Fen of eligible items the order must reach: full_reduction (required), discount (optional)' }),
  discountRate: z.number().int().min(1).max(99).nullable().optional().openapi({ description: 'discount: the percent paid, 85 = 8.5折' }),
  maxOff: fen.nullable().optional().openapi({ description: 'discount: the most it takes off, fen' }),
  itemSku: label(64).nullable().optional().openapi({ description: 'exchange and punch: the SKU of the item or service covered' }),
  itemName: label(128).nullable().optional(),
  punchUses: z.number().int().min(2).max(1000).nullable().optional().openapi({ description: 'punch: how many uses a coupon holds' }),
  validityType: z.enum(VALIDITY_TYPES),
  validFrom: day.nullable().optional().openapi({ description: 'fixed: first business day the coupons are valid' }),
  validUntil: day.nullable().optional().openapi({ description: 'fixed: last business day (valid to its end)' }),
  validDays: z.number().int().min(1).max(3650).nullable().optional().openapi({ description: 'relative: days valid, the first one included' }),
  delayDays: z.number().int().min(0).max(365).optional().openapi({ description: 'relative: days after issue before the first valid day' }),
  stock: count(10_000_000).nullable().optional().openapi({ description: 'Coupons that may ever be issued; null: unlimited' }),
  perMemberLimit: count(1000).nullable().optional(),
  perDayLimit: count(10_000_000).nullable().optional().openapi({ description: 'Coupons issued in total per business day' }),
  storeIds: idList.optional().openapi({ description: 'Stores where it may be used; empty: all' }),
  channels: textList(32).optional(),
  categories: textList(64).optional(),
  skus: textList(64).optional(),
  stackGroup: label(32).nullable().optional().openapi({ description: 'null: exclusive; else combines only with the same group' }),
  maxPerOrder: count(99).optional(),
  withTierDiscount: z.boolean().optional(),
  withPoints: z.boolean().optional(),
  claimCode: claimCode.nullable().optional().openapi({ description: 'Public self-claim link /c/<claimCode>; null: no self-claim' }),
  claimPerMember: count(1000).nullable().optional().openapi({ description: 'Self-claims per member; null: the per-member limit' }),
  description: optionalText(500),
};

export const TemplateBody = z.strictObject({ ...templateFields, status: z.enum(['draft', 'active']).default('draft') });
export type TemplateInput = z.output<typeof TemplateBody>;

export const TemplatePatchBody = z
  .strictObject({
    ...templateFields,
    status: z.enum(TEMPLATE_STATUSES).openapi({ description: 'draft -> active <-> paused; active or paused -> ended; draft -> ended' }),
  })
  .partial();
export type TemplatePatch = z.output<typeof TemplatePatchBody>;

const cursor = z.string().regex(/^\d{1,15}$/).optional().openapi({ description: 'The nextCursor of the previous page' });
const limit = z.coerce.number().int().min(1).max(200).default(50);

export const TemplateQuery = z.strictObject({
  status: z.enum(TEMPLATE_STATUSES).optional(),
  kind: z.enum(TEMPLATE_KINDS).optional(),
  keyword: z.string().trim().max(64).optional(),
  limit,
  cursor,
});

const RuleText = z.object({ zh: z.string(), en: z.string() });

export const Template = z
  .object({
    id: z.number().int(),
    name: z.string(),
    kind: z.enum(TEMPLATE_KINDS),
    amountOff: z.number().int().nullable(),
    threshold: z.number().int().nullable(),
    discountRate: z.number().int().nullable(),
    maxOff: z.number().int().nullable(),
    itemSku: z.string().nullable(),
    itemName: z.string().nullable(),
    punchUses: z.number().int().nullable(),
    validityType: z.enum(VALIDITY_TYPES),
    validFrom: z.string().nullable().openapi({ description: 'fixed: YYYY-MM-DD, business day' }),
    validUntil: z.string().nullable(),
    validDays: z.number().int().nullable(),
    delayDays: z.number().int(),
    stock: z.number().int().nullable(),
    issuedCount: z.number().int(),
    remaining: z.number().int().nullable().openapi({ description: 'Stock left; null: unlimited' }),
    perMemberLimit: z.number().int().nullable(),
    perDayLimit: z.number().int().nullable(),
    storeIds: z.array(z.number().int()),
    channels: z.array(z.string()),
    categories: z.array(z.string()),
    skus: z.array(z.string()),
    stackGroup: z.string().nullable(),
    maxPerOrder: z.number().int(),
    withTierDiscount: z.boolean(),
    withPoints: z.boolean(),
    claimCode: z.string().nullable(),
    claimPerMember: z.number().int().nullable(),
    claimUrl: z.string().nullable(),
    status: z.enum(TEMPLATE_STATUSES),
    description: z.string().nullable(),
    rule: RuleText,
    locked: z.boolean().openapi({ description: 'Coupons were issued: only name, description, stock, limits, claim and status may change' }),
    createdBy: z.number().int().nullable(),
    createdAt: isoDate,
    updatedAt: isoDate,
  })
  .openapi('CouponTemplate');

export const TemplatePage = z.object({ items: z.array(Template), nextCursor: z.string().nullable() }).openapi('CouponTemplatePage');

export const IssueBody = z.strictObject({
  memberId: z.number().int().positive(),
  count: z.number().int().min(1).max(100).default(1),
  reason: optionalText(200),
  storeId: z.number().int().positive().optional().openapi({ description: 'The issuing store; the member’s home store when left out' }),
});

const MemberSummary = z.object({ id: z.number().int() }).catchall(z.unknown());

export const Coupon = z
  .object({
    id: z.number().int(),
    code: z.string(),
    templateId: z.number().int(),
    templateName: z.string(),
    kind: z.enum(TEMPLATE_KINDS),
    status: z.enum(COUPON_STATUSES),
    usesTotal: z.number().int(),
    usesLeft: z.number().int(),
    validFrom: isoDate,
    validUntil: isoDate,
    memberId: z.number().int(),
    member: MemberSummary.nullable(),
    source: z.enum(COUPON_SOURCES),
    sourceRef: z.string().nullable(),
    storeId: z.number().int().nullable(),
    issuedBy: z.number().int().nullable(),
    issuedAt: isoDate,
    rule: RuleText,
    voidReason: z.string().nullable(),
  })
  .openapi('Coupon');

export const CouponList = z.object({ items: z.array(Coupon) }).openapi('CouponList');
export const CouponPage = z.object({ items: z.array(Coupon), nextCursor: z.string().nullable() }).openapi('CouponPage');

export const CouponEvent = z.object({
  id: z.number().int(),
  type: z.enum(COUPON_EVENT_TYPES),
  orderId: z.number().int().nullable(),
  refundId: z.number().int().nullable(),
  operatorId: z.number().int().nullable(),
  reason: z.string().nullable(),
  at: isoDate,
});

export const CouponDetail = Coupon.extend({ events: z.array(CouponEvent) }).openapi('CouponDetail');

export const CouponQuery = z.strictObject({
  code: z.string().trim().min(1).max(32).optional(),
  memberId: z.coerce.number().int().positive().optional(),
  templateId: z.coerce.number().int().positive().optional(),
  status: z.enum(COUPON_STATUSES).optional(),
  limit,
  cursor,
});
export type CouponSearch = z.output<typeof CouponQuery>;

export const MemberCouponsQuery = z.strictObject({
  status: z.enum(COUPON_STATUSES).optional(),
  storeId: z.coerce.number().int().positive().optional().openapi({ description: 'Only coupons usable in this store' }),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});

export const VoidBody = z.strictObject({ reason: label(200) });

export const RedemptionQuery = z.strictObject({
  templateId: z.coerce.number().int().positive().optional(),
  storeId: z.coerce.number().int().positive().optional(),
  couponId: z.coerce.number().int().positive().optional(),
  orderId: z.coerce.number().int().positive().optional(),
  from: day.optional(),
  to: day.optional(),
  limit,
  cursor,
});
export type RedemptionSearch = z.output<typeof RedemptionQuery>;

export const Redemption = z
  .object({
    id: z.number().int(),
    couponId: z.number().int(),
    code: z.string(),
    templateId: z.number().int(),
    templateName: z.string(),
    orderId: z.number().int(),
    orderNo: z.string().nullable(),
    memberId: z.number().int(),
    member: MemberSummary.nullable(),
    storeId: z.number().int(),
    lineNo: z.number().int().nullable(),
    uses: z.number().int(),
    amount: z.number().int(),
    status: z.enum(['applied', 'returned']),
    returnedRefundId: z.number().int().nullable(),
    createdAt: isoDate,
    returnedAt: nullableIsoDate,
  })
  .openapi('CouponRedemption');

export const RedemptionPage = z.object({ items: z.array(Redemption), nextCursor: z.string().nullable() }).openapi('CouponRedemptionPage');

export const ClaimParams = z.strictObject({ claimCode: z.string().trim().toLowerCase().max(64) });

const phone = PhoneSchema;

export const ClaimSmsBody = z.strictObject({ phone });
export const ClaimBody = z.strictObject({
  phone,
  smsCode: z.string().trim().regex(/^\d{6}$/, { error: localized('验证码为 6 位数字', 'The code is 6 digits') }),
});

export const ClaimPage = z
  .object({
    name: z.string(),
    kind: z.enum(TEMPLATE_KINDS),
    rule: RuleText,
    description: z.string().nullable(),
    validity: RuleText,
    remaining: z.number().int().nullable(),
    available: z.boolean().openapi({ description: 'Stock left and not past its last day' }),
    codeLength: z.number().int(),
    resendSeconds: z.number().int(),
  })
  .openapi('CouponClaimPage');

export const ClaimSmsResult = z.object({ sent: z.boolean(), retryAfterSeconds: z.number().int(), expiresInSeconds: z.number().int() });

export const ClaimResult = z
  .object({ code: z.string(), name: z.string(), rule: RuleText, validFrom: isoDate, validUntil: isoDate, usesTotal: z.number().int() })
  .openapi('CouponClaimResult');

export { IdParams };
