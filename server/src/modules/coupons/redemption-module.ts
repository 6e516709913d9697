import type { Sequelize } from 'sequelize';
import type { RouteSpec } from '../../platform/http/route.js';
import type { DomainEvents } from '../events/outbox.js';
import type { MemberService } from '../members/service.js';
import type { OrdersModule } from '../orders/index.js';
import type { StoreService } from '../stores/service.js';
import { ApplicableCoupons } from './applicable.js';
import type { CouponModels } from './models.js';
import { CouponPricingStep } from './pricing-step.js';
import { CouponRedemptions } from './redemption.js';
import { redemptionRoutes } from './redemption-routes.js';
import { CouponValidator } from './validate.js';

export interface CouponRedemptionDeps {
  sequelize: Sequelize;
  models: CouponModels;
  events: DomainEvents;
  members: MemberService;
  stores: StoreService;
  orders: OrdersModule;
  timeZone: string;
}

export interface CouponRedemptionModule {
  /** Registered on the checkout: `orders.pricing.register(pricingStep)`. */
  pricingStep: CouponPricingStep;
  redemptions: CouponRedemptions;
  applicable: ApplicableCoupons;
  validator: CouponValidator;
  /** Mount before the coupons module's routes: `/coupons/validate` is not a coupon id. */
  routes: RouteSpec[];
}

/**
 * Coupons at the checkout: the pricing step, what it writes when an order is placed or
 * refunded, and the cashier's and the POS's questions about codes. Built once the orders
 * module exists, since it prices after the tier step and reads refunded lines through it.
 */
export function createCouponRedemption(deps: CouponRedemptionDeps): CouponRedemptionModule {
  const { sequelize, models, events, members, stores, orders, timeZone } = deps;
  const redemptions = new CouponRedemptions({
    sequelize,
    models,
    events,
    timeZone,
    orderLines: async (orderId, transaction) => (await orders.orders.partsOf(orderId, transaction)).items,
  });
  const pricingStep = new CouponPricingStep({ sequelize, models, redemptions, timeZone });
  const applicable = new ApplicableCoupons({ models, step: pricingStep, members, stores, pricing: orders.pricing });
  const validator = new CouponValidator({ step: pricingStep, members, stores });
  return { pricingStep, redemptions, applicable, validator, routes: redemptionRoutes(applicable, validator) };
}
