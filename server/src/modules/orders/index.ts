import type { RouteSpec } from '../../platform/http/route.js';
import { defineOrderModels, type OrderModels } from './models.js';
import { DocumentNumbers } from './order-numbers.js';
import { PricingPipeline } from './pricing.js';
import { RefundService } from './refunds.js';
import { orderRoutes } from './routes.js';
import { OrderService, type OrderServiceDeps } from './service.js';

export type { PricingStep, EarningMultiplier } from './pricing.js';
export type { OrderService } from './service.js';
export type { RefundService } from './refunds.js';

export interface OrdersModule {
  models: OrderModels;
  orders: OrderService;
  refunds: RefundService;
  /** Tiers and coupons register their pricing steps here. */
  pricing: PricingPipeline;
  routes: RouteSpec[];
}

/** Orders, the checkout and refunds, on the points and wallet ledgers. */
export function createOrders(deps: Omit<OrderServiceDeps, 'models' | 'pricing' | 'orderNumbers'>): OrdersModule {
  const models = defineOrderModels(deps.sequelize);
  const pricing = new PricingPipeline();
  const full: OrderServiceDeps = {
    ...deps,
    models,
    pricing,
    orderNumbers: new DocumentNumbers(deps.sequelize, 'order.no', '', deps.timeZone),
  };
  const orders = new OrderService(full);
  const refunds = new RefundService(full, orders, new DocumentNumbers(deps.sequelize, 'order.refund', 'R', deps.timeZone));
  return { models, orders, refunds, pricing, routes: orderRoutes(orders, refunds) };
}
