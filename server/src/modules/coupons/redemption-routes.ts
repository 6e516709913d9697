import { access, defineRoute, type RouteSpec } from '../../platform/http/route.js';
import { z } from '../../platform/http/zod.js';
import { pricedLines } from '../orders/checkout.js';
import { OrderBody } from '../orders/schemas.js';
import type { ApplicableCoupons } from './applicable.js';
import { Coupon } from './schemas.js';
import type { CouponValidator } from './validate.js';

const Reason = z.object({ code: z.string(), zh: z.string(), en: z.string() }).nullable();

const ValidateQuery = z.strictObject({
  code: z.string().trim().min(1).max(32),
  storeId: z.coerce.number().int().positive(),
  memberId: z.coerce.number().int().positive().optional(),
  amount: z.coerce.number().int().min(0).max(10_000_000_000).optional().openapi({ description: 'The order amount so far, fen' }),
  channel: z.string().trim().max(32).optional(),
});

const ValidationResult = z
  .object({ code: z.string(), valid: z.boolean(), coupon: Coupon.nullable(), discount: z.number().int().nullable(), reason: Reason })
  .openapi('CouponValidation');

const ApplicableList = z
  .object({
    items: z.array(
      z.object({
        coupon: Coupon,
        selected: z.boolean(),
        applicable: z.boolean(),
        discount: z.object({ amount: z.number().int(), label: z.string(), lines: z.record(z.string(), z.number().int()) }).nullable(),
        reason: Reason,
      }),
    ),
  })
  .openapi('ApplicableCoupons');

/**
 * The redemption side's routes: a POS validating a code, and the cashier page's list of a
 * member's coupons for the order being rung up. Mounted before `/api/v1/coupons/:id`.
 */
export function redemptionRoutes(applicable: ApplicableCoupons, validator: CouponValidator): RouteSpec[] {
  const tags = ['coupons'];
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/coupons/validate',
      summary: 'Whether a coupon code can be used in a store (by a member, on an amount), with the precise reason when not',
      tags,
      access: access.permission('marketing:coupon:view'),
      query: ValidateQuery,
      response: ValidationResult,
      errors: ['STORE_NOT_FOUND'],
      handler: ({ principal, query }) => validator.validate(principal!, query),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/coupons/applicable',
      summary: 'The member’s coupons for an order being rung up (the order preview’s body): which apply beside the chosen ones, for how much, and why not',
      tags,
      access: access.permission('marketing:coupon:view'),
      body: OrderBody,
      response: ApplicableList,
      errors: ['STORE_NOT_FOUND', 'MEMBER_NOT_FOUND', 'COUPON_NOT_FOUND', 'COUPON_DUPLICATE'],
      handler: ({ principal, body }) =>
        applicable.list(principal!, {
          memberId: body.memberId,
          storeId: body.storeId,
          channel: body.channel,
          lines: pricedLines(body),
          paymentMethods: body.payments.map((p) => p.method),
          couponCodes: body.couponCodes,
        }),
    }),
  ];
}
