import { IDEMPOTENCY_ERRORS, idempotencyKeyOf, replayAware } from '../../platform/http/idempotency.js';
import { access, defineRoute, type RouteSpec } from '../../platform/http/route.js';
import { IdParams, Order, OrderBody, OrderPage, OrderQuery, Preview, RefundBody, RefundResult } from './schemas.js';
import type { RefundService } from './refunds.js';
import type { OrderService } from './service.js';
import { COUPON_REDEMPTION_ERRORS } from '../coupons/rules.js';

export function orderRoutes(orders: OrderService, refunds: RefundService): RouteSpec[] {
  return [
    defineRoute({
      method: 'post',
      path: '/api/v1/orders/preview',
      summary: 'Price an order and plan its payments without writing anything (the cashier checks it before confirming)',
      tags: ['orders'],
      access: access.permission('order:order:create'),
      body: OrderBody,
      response: Preview,
      errors: ['STORE_NOT_FOUND', 'MEMBER_NOT_FOUND', 'MEMBER_FROZEN', 'ORDER_MEMBER_REQUIRED', 'INSUFFICIENT_BALANCE', 'POINTS_REDEMPTION_REFUSED', ...COUPON_REDEMPTION_ERRORS],
      handler: ({ principal, body }) => orders.preview(principal!, body),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/orders',
      summary: 'Check out: one transaction applies discounts, points, stored value and earnings (Idempotency-Key required for API keys)',
      tags: ['orders'],
      access: access.permission('order:order:create'),
      body: OrderBody,
      response: Order,
      status: 201,
      errors: [
        'STORE_NOT_FOUND',
        'MEMBER_NOT_FOUND',
        'MEMBER_FROZEN',
        'ORDER_MEMBER_REQUIRED',
        'ORDER_PAYMENT_MISMATCH',
        'INSUFFICIENT_BALANCE',
        'POINTS_REDEMPTION_REFUSED',
        ...COUPON_REDEMPTION_ERRORS,
        'ORDER_EXTERNAL_NO_TAKEN',
        'PAYMENT_PIN_REQUIRED',
        'PAYMENT_PIN_WRONG',
        'PAYMENT_PIN_LOCKED',
        ...IDEMPOTENCY_ERRORS,
      ],
      handler: async ({ principal, body, req, res }) => replayAware(res, await orders.place(principal!, body, idempotencyKeyOf(req))),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/orders',
      summary: 'Orders of the caller\'s stores, newest first',
      tags: ['orders'],
      access: access.permission('order:order:view'),
      query: OrderQuery,
      response: OrderPage,
      handler: ({ principal, query }) => orders.list(principal!, query),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/orders/:id',
      summary: 'One order with its lines, discounts, payments and refunds',
      tags: ['orders'],
      access: access.permission('order:order:view'),
      params: IdParams,
      response: Order,
      errors: ['ORDER_NOT_FOUND'],
      handler: ({ principal, params }) => orders.get(principal!, params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/orders/:id/refunds',
      summary: 'Refund an order in full, by lines or by amount; each effect is reversed through its ledger',
      tags: ['orders'],
      access: access.permission('order:order:refund'),
      params: IdParams,
      body: RefundBody,
      response: RefundResult,
      status: 201,
      errors: ['ORDER_NOT_FOUND', 'ORDER_ALREADY_REFUNDED', 'REFUND_EXCEEDS_PAID', 'REFUND_LINE_INVALID', ...IDEMPOTENCY_ERRORS],
      handler: async ({ principal, params, body, req, res }) => replayAware(res, await refunds.refund(principal!, params.id, body, idempotencyKeyOf(req))),
    }),
  ];
}
