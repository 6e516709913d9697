import type { Router } from 'express';
import type { Sequelize } from 'sequelize';
import type { FieldCipher } from '../../platform/crypto/field-cipher.js';
import type { Idempotency } from '../../platform/http/idempotency.js';
import type { Principal, RouteSpec } from '../../platform/http/route.js';
import { hasPermission } from '../../platform/http/router.js';
import type { Logger } from '../../platform/logger/index.js';
import type { AuditService } from '../audit/service.js';
import type { DomainEvents } from '../events/outbox.js';
import type { TaskService } from '../jobs/task-service.js';
import type { MemberService, OverviewSections } from '../members/service.js';
import type { OrdersModule } from '../orders/index.js';
import { DEFAULT_LIMITS, type CodeLimits } from '../registration/limits.js';
import { baseUrlFrom } from '../registration/routes.js';
import { defaultSmsProvider, type SmsProvider } from '../registration/sms.js';
import type { StoreService } from '../stores/service.js';
import type { PlanCoupons } from '../wallet/plans.js';
import { couponBatchRoutes } from './batch-routes.js';
import { BatchRun } from './batch-run.js';
import { BatchTargets } from './batch-targets.js';
import { CouponBatches } from './batches.js';
import { ClaimService } from './claims.js';
import { CouponQueries } from './coupon-queries.js';
import { CouponExpiry } from './expiry.js';
import { IssuingService } from './issuing.js';
import { defineCouponModels, type CouponModels } from './models.js';
import { claimPageRouter } from './page/router.js';
import { createCouponRedemption, type CouponRedemptionModule } from './redemption-module.js';
import { couponRoutes } from './routes.js';
import { TemplateService } from './templates.js';
import { topupCoupons } from './topup-coupons.js';
import { VoidingService } from './voiding.js';

export { generateCode, isWellFormedCode, normalizeCode } from './codes.js';
export { ruleText, type RuleText } from './rule-text.js';
export type { IssueOptions, IssuingService } from './issuing.js';
export type { TemplateService } from './templates.js';
export type { VoidingService } from './voiding.js';
export type { CouponModels, CouponRecord, TemplateRecord } from './models.js';

export interface CouponsModuleDeps {
  sequelize: Sequelize;
  logger: Logger;
  env: 'production' | 'development' | 'test';
  members: MemberService;
  stores: StoreService;
  orders: OrdersModule;
  tasks: TaskService;
  idempotency: Idempotency;
  events: DomainEvents;
  audit: AuditService;
  cipher: FieldCipher;
  businessTimezone: string;
  /** The public origin printed in claim QR codes; else the request's. */
  baseUrl?: string;
  /** The SMS gateway of the claim page; the registration page's default when left out. */
  sms?: SmsProvider;
  /** The claim page's SMS code limits; the registration page's defaults when left out. */
  limits?: Partial<CodeLimits>;
}

export interface CouponsModule {
  models: CouponModels;
  templates: TemplateService;
  issuing: IssuingService;
  voiding: VoidingService;
  queries: CouponQueries;
  claims: ClaimService;
  batches: CouponBatches;
  expiry: CouponExpiry;
  /** The checkout side: pricing step (register it on orders.pricing), validation, applicable coupons. */
  redemption: CouponRedemptionModule;
  /** What the wallet's top-up plans call to give and take back coupons (`useCoupons`). */
  topupCoupons: PlanCoupons;
  /** The member 360 view's coupons: the available ones, soonest to expire first. */
  overviewPart: (principal: Principal, memberId: number) => Promise<Partial<OverviewSections>>;
  routes: RouteSpec[];
  /** `/c/:claimCode` and its script; mount before the console's catch-all. */
  page: Router;
}

/** Coupons (优惠券): templates, issuing, self-claim, voiding, expiry, batches and the checkout side. */
export function createCoupons(deps: CouponsModuleDeps): CouponsModule {
  const { sequelize, members, stores, audit, events, businessTimezone } = deps;
  const models = defineCouponModels(sequelize);
  const templates = new TemplateService({ sequelize, models, stores, audit, businessTimezone });
  const issuing = new IssuingService({ sequelize, models, templates, members, stores, idempotency: deps.idempotency, events, audit, businessTimezone });
  const queries = new CouponQueries({
    sequelize,
    models,
    members,
    businessTimezone,
    orderNumbers: (ids) => deps.orders.orders.numbersOf(ids),
  });
  const voiding = new VoidingService({ sequelize, models, members, queries, events, audit });
  const claims = new ClaimService({
    sequelize,
    logger: deps.logger,
    models,
    members,
    issuing,
    cipher: deps.cipher,
    limits: { ...DEFAULT_LIMITS, ...deps.limits },
    sms: deps.sms ?? defaultSmsProvider(deps.env, deps.logger),
    businessTimezone,
  });
  const expiry = new CouponExpiry({ sequelize, models, audit, events });
  const run = new BatchRun({ sequelize, models, members, targets: new BatchTargets(members), audit, businessTimezone });
  const batches = new CouponBatches({ sequelize, models, templates, members, run, tasks: deps.tasks, audit, events, businessTimezone });
  const redemption = createCouponRedemption({ sequelize, models, events, members, stores, orders: deps.orders, timeZone: businessTimezone });
  const overviewPart = async (principal: Principal, memberId: number): Promise<Partial<OverviewSections>> =>
    hasPermission(principal, 'marketing:coupon:view') ? { coupons: (await queries.ofMember(principal, memberId, { status: 'available', limit: 5 })).items } : {};
  return {
    models,
    templates,
    issuing,
    voiding,
    queries,
    claims,
    batches,
    expiry,
    redemption,
    topupCoupons: topupCoupons({ templates, issuing, voiding }),
    overviewPart,
    routes: [
      // First: `/coupons/validate` and `/coupons/applicable` are not coupon ids.
      ...redemption.routes,
      ...couponBatchRoutes(batches, deps.tasks),
      ...couponRoutes({ templates, issuing, queries, voiding, claims, baseUrl: baseUrlFrom(deps.baseUrl) }),
    ],
    page: claimPageRouter({ claims, logger: deps.logger }),
  };
}
