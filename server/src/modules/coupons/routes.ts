import type { Request } from 'express';
import { AppError } from '../../platform/errors/app-error.js';
import { IDEMPOTENCY_ERRORS, idempotencyKeyOf, replayAware } from '../../platform/http/idempotency.js';
import { access, defineRoute, type RouteSpec } from '../../platform/http/route.js';
import { registrationCodes } from '../registration/errors.js';
import { withRetryAfter } from '../registration/public-routes.js';
import { qrPng } from '../registration/qr.js';
import type { BaseUrl } from '../registration/routes.js';
import { QrQuery } from '../registration/schemas.js';
import type { ClaimService } from './claims.js';
import type { CouponQueries } from './coupon-queries.js';
import type { IssuingService } from './issuing.js';
import {
  ClaimBody,
  ClaimPage,
  ClaimParams,
  ClaimResult,
  ClaimSmsBody,
  ClaimSmsResult,
  CouponDetail,
  CouponList,
  CouponPage,
  CouponQuery,
  IdParams,
  IssueBody,
  MemberCouponsQuery,
  RedemptionPage,
  RedemptionQuery,
  Template,
  TemplateBody,
  TemplatePage,
  TemplatePatchBody,
  TemplateQuery,
  VoidBody,
} from './schemas.js';
import type { TemplateService } from './templates.js';
import { claimPageUrl, withClaimUrl, type TemplateView } from './views.js';
import type { VoidingService } from './voiding.js';

export interface CouponRouteDeps {
  templates: TemplateService;
  issuing: IssuingService;
  queries: CouponQueries;
  voiding: VoidingService;
  claims: ClaimService;
  baseUrl: BaseUrl;
}

const TEMPLATE_RULE_ERRORS = ['COUPON_TEMPLATE_EXPIRED', 'COUPON_CLAIM_CODE_TAKEN'] as const;

/** Coupon templates, issuing, coupons, voiding, the redemption log and the public claim page's API. */
export function couponRoutes({ templates, issuing, queries, voiding, claims, baseUrl }: CouponRouteDeps): RouteSpec[] {
  const tags = ['coupons'];
  const url = (req: Request, view: TemplateView) => withClaimUrl(view, baseUrl(req));
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/coupon-templates',
      summary: 'Coupon templates, newest first, keyset-paged',
      tags,
      access: access.permission('marketing:coupon:view'),
      query: TemplateQuery,
      response: TemplatePage,
      handler: async ({ query, req }) => {
        const page = await templates.list(query);
        return { ...page, items: page.items.map((view) => url(req, view)) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/coupon-templates',
      summary: 'Create a coupon template as a draft or active (each kind names the fields it needs)',
      tags,
      access: access.permission('marketing:coupon:create'),
      body: TemplateBody,
      response: Template,
      status: 201,
      errors: [...TEMPLATE_RULE_ERRORS],
      handler: async ({ principal, body, req }) => url(req, await templates.create(principal!, body)),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/coupon-templates/:id',
      summary: 'One coupon template with its rule in words and the stock left',
      tags,
      access: access.permission('marketing:coupon:view'),
      params: IdParams,
      response: Template,
      errors: ['COUPON_TEMPLATE_NOT_FOUND'],
      handler: async ({ params, req }) => url(req, await templates.get(params.id)),
    }),
    defineRoute({
      method: 'patch',
      path: '/api/v1/coupon-templates/:id',
      summary: 'Change a template or its status; once coupons are out only name, description, stock, limits, claim settings and status change',
      tags,
      access: access.permission('marketing:coupon:update'),
      params: IdParams,
      body: TemplatePatchBody,
      response: Template,
      errors: ['COUPON_TEMPLATE_NOT_FOUND', 'COUPON_TEMPLATE_LOCKED', 'COUPON_TEMPLATE_BAD_TRANSITION', ...TEMPLATE_RULE_ERRORS],
      handler: async ({ principal, params, body, req }) => url(req, await templates.update(principal!, params.id, body)),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/coupon-templates/:id/issue',
      summary: 'Issue coupons of a template to one member (Idempotency-Key header; required for API keys)',
      tags,
      access: access.permission('marketing:coupon:issue'),
      params: IdParams,
      body: IssueBody,
      response: CouponList,
      status: 201,
      errors: [
        'COUPON_TEMPLATE_NOT_FOUND',
        'COUPON_TEMPLATE_NOT_ACTIVE',
        'COUPON_TEMPLATE_EXPIRED',
        'COUPON_OUT_OF_STOCK',
        'COUPON_MEMBER_LIMIT',
        'COUPON_DAILY_LIMIT',
        'MEMBER_NOT_FOUND',
        'MEMBER_FROZEN',
        'STORE_NOT_FOUND',
        ...IDEMPOTENCY_ERRORS,
      ],
      handler: async ({ principal, params, body, req, res }) => replayAware(res, await issuing.issue(principal!, params.id, body, idempotencyKeyOf(req))),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/coupon-templates/:id/claim-qr',
      summary: "The QR code (PNG) of a template's public claim page, for posters and counters (download=1 to save it)",
      tags,
      access: access.permission('marketing:coupon:view'),
      params: IdParams,
      query: QrQuery,
      errors: ['COUPON_TEMPLATE_NOT_FOUND', 'COUPON_CLAIM_NOT_FOUND'],
      handler: async ({ params, query, req, res }) => {
        const template = await templates.get(params.id);
        if (!template.claimCode) throw new AppError('COUPON_CLAIM_NOT_FOUND');
        if (query.download === '1') res.attachment(`coupon-${template.claimCode}.png`);
        res.set('Cache-Control', 'no-store');
        res.type('png').send(await qrPng(claimPageUrl(baseUrl(req), template.claimCode), query.size));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/coupons',
      summary: 'Search coupons of members within the caller’s stores: by exact code, member, template or status',
      tags,
      access: access.permission('marketing:coupon:view'),
      query: CouponQuery,
      response: CouponPage,
      handler: ({ principal, query }) => queries.search(principal!, query),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/coupons/:id',
      summary: 'One coupon with every event of its life',
      tags,
      access: access.permission('marketing:coupon:view'),
      params: IdParams,
      response: CouponDetail,
      errors: ['COUPON_RECORD_NOT_FOUND'],
      handler: ({ principal, params }) => queries.detail(principal!, params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/coupons/:id/void',
      summary: 'Void an available coupon with a reason (used, expired and voided ones cannot be)',
      tags,
      access: access.permission('marketing:coupon:void'),
      params: IdParams,
      body: VoidBody,
      response: CouponDetail,
      errors: ['COUPON_RECORD_NOT_FOUND', 'COUPON_VOID_REFUSED'],
      handler: ({ principal, params, body }) => voiding.void(principal!, params.id, body.reason),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/members/:id/coupons',
      summary: "A member's coupons: available first by expiry; storeId keeps those usable in that store",
      tags,
      access: access.permission('marketing:coupon:view'),
      params: IdParams,
      query: MemberCouponsQuery,
      response: CouponList,
      errors: ['MEMBER_NOT_FOUND'],
      handler: ({ principal, params, query }) => queries.ofMember(principal!, params.id, query),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/coupon-redemptions',
      summary: 'The redemption log of the caller’s stores, newest first: by template, store, coupon, order and business days',
      tags,
      access: access.permission('marketing:coupon:view'),
      query: RedemptionQuery,
      response: RedemptionPage,
      handler: ({ principal, query }) => queries.redemptions(principal!, query),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/public/coupons/:claimCode',
      summary: "A claim page's coupon: rule, validity and how many are left",
      tags,
      access: access.public(),
      params: ClaimParams,
      response: ClaimPage,
      errors: ['COUPON_CLAIM_NOT_FOUND'],
      handler: ({ params }) => claims.page(params.claimCode),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/public/coupons/:claimCode/sms-code',
      summary: 'Send a 6-digit code to the phone (the registration page’s limits per phone and address; 429 with when to retry)',
      tags,
      access: access.public(),
      params: ClaimParams,
      body: ClaimSmsBody,
      response: ClaimSmsResult,
      status: 202,
      errors: registrationCodes(
        'COUPON_CLAIM_NOT_FOUND',
        'COUPON_OUT_OF_STOCK',
        'COUPON_CLAIM_BUSY',
        'REGISTRATION_SMS_TOO_SOON',
        'REGISTRATION_SMS_PHONE_LIMIT',
        'REGISTRATION_SMS_IP_LIMIT',
        'REGISTRATION_SMS_UNAVAILABLE',
      ),
      handler: ({ params, body, req, res }) => withRetryAfter(res, () => claims.sendCode(params.claimCode, body.phone, req.ip ?? null)),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/public/coupons/:claimCode/claim',
      summary: 'Claim one coupon for the member with this phone, proved by the SMS code (not a member: 404 with a hint to register)',
      tags,
      access: access.public(),
      params: ClaimParams,
      body: ClaimBody,
      response: ClaimResult,
      status: 201,
      errors: registrationCodes(
        'COUPON_CLAIM_NOT_FOUND',
        'COUPON_CLAIM_NOT_MEMBER',
        'COUPON_OUT_OF_STOCK',
        'COUPON_MEMBER_LIMIT',
        'COUPON_DAILY_LIMIT',
        'COUPON_TEMPLATE_EXPIRED',
        'MEMBER_FROZEN',
        'REGISTRATION_CODE_WRONG',
        'REGISTRATION_CODE_LOCKED',
        'REGISTRATION_CODE_EXPIRED',
      ),
      handler: ({ params, body }) => claims.claim(params.claimCode, body),
    }),
  ];
}
