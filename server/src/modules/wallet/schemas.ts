import dayjs from 'dayjs';
import { IdParams } from '../../platform/http/common-schemas.js';
import { localized } from '../../platform/http/validation.js';
import { z } from '../../platform/http/zod.js';
import { PLAN_STATUSES, TOPUP_PAY_METHODS } from './models.js';
import { PIN_PATTERN } from './pin.js';

/** Fen: a whole number; the settings narrow a top-up further (minTopup, maxTopup). */
const fen = (min: number) => z.number().int().min(min).max(1_000_000_000);
const points = z.number().int().min(0).max(10_000_000);
const reason = z.string().trim().min(1).max(200);
const couponTemplateId = z.number().int().positive().nullable().openapi({ description: 'The coupon template a top-up on the plan gives; null: none' });
const couponCount = z.number().int().min(0).max(20).openapi({ description: 'How many coupons of the template each top-up issues' });

export const PlanBody = z.strictObject({
  name: z.string().trim().min(1).max(64),
  amount: fen(1),
  bonus: fen(0),
  points,
  sortOrder: z.number().int().min(0).max(9999).optional(),
  couponTemplateId: couponTemplateId.optional(),
  couponCount: couponCount.optional(),
});

export const PlanPatchBody = z.strictObject({
  name: z.string().trim().min(1).max(64).optional(),
  amount: fen(1).optional().openapi({ description: 'Only while no top-up used the plan (TOPUP_PLAN_IN_USE)' }),
  bonus: fen(0).optional(),
  points: points.optional(),
  status: z.enum(PLAN_STATUSES).optional(),
  sortOrder: z.number().int().min(0).max(9999).optional(),
  couponTemplateId: couponTemplateId.optional(),
  couponCount: couponCount.optional(),
});

export const PlanQuery = z.strictObject({ status: z.enum(PLAN_STATUSES).optional() });

export const Plan = z
  .object({
    id: z.number().int(),
    name: z.string(),
    amount: z.number().int(),
    bonus: z.number().int(),
    points: z.number().int(),
    couponTemplateId: z.number().int().nullable(),
    couponCount: z.number().int(),
    status: z.enum(PLAN_STATUSES),
    sortOrder: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('WalletPlan');

export const PlanList = z.object({ items: z.array(Plan) }).openapi('WalletPlanList');

export const TopupBody = z.strictObject({
  amount: fen(1),
  bonus: fen(0).optional(),
  planId: z.number().int().positive().optional(),
  payMethod: z.enum(TOPUP_PAY_METHODS),
  storeId: z.number().int().positive().optional(),
  reason: z.string().trim().max(200).optional(),
});

export const TopupRefundBody = z.strictObject({
  amount: fen(1).optional().openapi({ description: 'Fen of unspent principal to return; all of it when left out' }),
  reason,
});

export const Topup = z
  .object({
    id: z.number().int(),
    topupNo: z.string(),
    memberId: z.number().int(),
    storeId: z.number().int(),
    planId: z.number().int().nullable(),
    payMethod: z.enum(TOPUP_PAY_METHODS),
    principal: z.number().int(),
    bonus: z.number().int(),
    points: z.number().int(),
    principalRemaining: z.number().int(),
    bonusRemaining: z.number().int(),
    refundedPrincipal: z.number().int(),
    voidedBonus: z.number().int(),
    status: z.enum(['active', 'partially_refunded', 'refunded']),
    operatorId: z.number().int().nullable(),
    createdAt: z.string(),
  })
  .openapi('WalletTopup');

const Buckets = z.object({ principal: z.number().int(), bonus: z.number().int() });

export const TopupResult = Topup.extend({
  wallet: Buckets,
  pointsBalance: z.number().int(),
  couponsIssued: z.number().int().openapi({ description: "Coupons the plan gave with this top-up (in the member's coupons)" }),
}).openapi('WalletTopupResult');

export const TopupList = z.object({ items: z.array(Topup) }).openapi('WalletTopupList');

export const TopupRefundResult = z
  .object({
    topup: Topup,
    refundedPrincipal: z.number().int(),
    voidedBonus: z.number().int(),
    pointsTakenBack: z.number().int(),
    couponsVoided: z.number().int().openapi({ description: "The top-up's unused coupons voided, in proportion to the principal returned" }),
  })
  .openapi('WalletTopupRefund');

export const WalletSummary = z
  .object({
    principal: z.number().int(),
    bonus: z.number().int(),
    total: z.number().int(),
    pinSet: z.boolean(),
    pinLockedUntil: z.string().nullable(),
    topups: z.array(Topup),
  })
  .openapi('WalletSummary');

export const LedgerQuery = z.strictObject({
  cursor: z.string().regex(/^\d{1,15}$/).optional().openapi({ description: 'The nextCursor of the previous page' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const LedgerRow = z.object({
  id: z.number().int(),
  kind: z.string(),
  sourceType: z.string(),
  sourceId: z.number().int().nullable(),
  topupId: z.number().int(),
  principalDelta: z.number().int(),
  bonusDelta: z.number().int(),
  principalAfter: z.number().int(),
  bonusAfter: z.number().int(),
  storeId: z.number().int(),
  topupStoreId: z.number().int(),
  operatorId: z.number().int().nullable(),
  reason: z.string().nullable(),
  createdAt: z.string(),
});

export const LedgerPage = z.object({ items: z.array(LedgerRow), nextCursor: z.string().nullable() }).openapi('WalletLedgerPage');

export const PinBody = z.strictObject({
  pin: z.string().regex(PIN_PATTERN, { error: localized('支付密码须为 6 位数字', 'The payment PIN is 6 digits') }),
});

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((value) => dayjs(value, 'YYYY-MM-DD').format('YYYY-MM-DD') === value, { error: localized('不是有效日期', 'Not a valid date') });

export const LiabilityQuery = z.strictObject({ asOf: day.optional() });

export const Liability = z
  .object({
    asOf: z.string(),
    stores: z.array(
      z.object({
        storeId: z.number().int(),
        storeCode: z.string(),
        storeName: z.string(),
        principal: z.number().int(),
        bonus: z.number().int(),
        members: z.number().int(),
      }),
    ),
    totals: z.object({ principal: z.number().int(), bonus: z.number().int(), members: z.number().int() }),
  })
  .openapi('WalletLiability');

export const TrendQuery = z.strictObject({ days: z.coerce.number().int().min(1).max(90).default(30) });

export const LiabilityTrend = z
  .object({ days: z.array(z.object({ date: z.string(), principal: z.number().int(), bonus: z.number().int() })) })
  .openapi('WalletLiabilityTrend');

export { IdParams };
