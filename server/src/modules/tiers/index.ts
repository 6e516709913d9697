import { Op, type Sequelize } from 'sequelize';
import type { RouteSpec } from '../../platform/http/route.js';
import { hasPermission } from '../../platform/http/router.js';
import type { AuditService } from '../audit/service.js';
import type { DomainEvents } from '../events/outbox.js';
import type { LoyaltySettings } from '../loyalty/settings-store.js';
import type { MemberService, OverviewPart, TierCondition } from '../members/service.js';
import type { EarningMultiplier, PricingStep } from '../orders/pricing.js';
import type { StaffService } from '../staff/service.js';
import { TierBenefits, type BenefitTotals, type TierCoupons } from './benefits.js';
import { TierCatalogStore } from './catalog.js';
import { TierChanges } from './changes.js';
import { TierConfigService } from './config-service.js';
import { MemberTiers } from './member-tiers.js';
import { TierMetrics } from './metrics.js';
import { defineTierModels, type TierModels } from './models.js';
import { tierMultiplier, tierPricingStep } from './pricing-step.js';
import { TierBulkChanges } from './bulk-changes.js';
import { TierReview, type ReviewTotals } from './review.js';
import { baseOf } from './rules.js';
import { tierRoutes } from './routes.js';
import { TierSettingsStore } from './settings.js';
import { TierUpgrades } from './upgrades.js';

export { default as tiersReviewJob } from './jobs/review.job.js';
export { tierCoupons, type TierCoupons } from './benefits.js';
export type { TierModels } from './models.js';

export interface TiersModuleDeps {
  sequelize: Sequelize;
  loyaltySettings: LoyaltySettings;
  members: MemberService;
  staff: StaffService;
  audit: AuditService;
  events: DomainEvents;
  businessTimezone: string;
  /**
   * The coupons module's templates and issuing (birthday and monthly gifts, and checking
   * the templates a level names); a function, since coupons is created after tiers.
   */
  coupons?: () => TierCoupons | null;
}

export interface TiersModule {
  models: TierModels;
  config: TierConfigService;
  members: MemberTiers;
  /** The checkout's tier step and points multiplier: `orders.pricing.register(step).earnWith(multiplier)`. */
  pricingStep: PricingStep;
  multiplier: EarningMultiplier;
  /** The member 360's tier and its recent changes, for callers who may see tiers. */
  overviewPart: OverviewPart;
  /** The member list's tier filter: the base level also holds members never placed, or placed in a retired level. */
  tierCondition: TierCondition;
  /** The daily review and gifts at `now` (the job's clock). */
  runDaily(now: Date, progress?: (percent: number) => Promise<void>): Promise<ReviewTotals & { coupons: BenefitTotals }>;
  routes: RouteSpec[];
}

/** Member tiers (会员等级): levels and rules, the checkout step, the daily review, explanations. */
export function createTiers(deps: TiersModuleDeps): TiersModule {
  const { sequelize, businessTimezone: timeZone } = deps;
  const models = defineTierModels(sequelize);
  const settings = new TierSettingsStore(deps.loyaltySettings);
  const catalog = new TierCatalogStore(models, settings);
  const metrics = new TierMetrics(sequelize);
  const changes = new TierChanges({ sequelize, models, audit: deps.audit, events: deps.events });
  const upgrades = new TierUpgrades({ models, catalog, metrics, changes, members: deps.members, timeZone });
  const bulk = new TierBulkChanges(sequelize, deps.events);
  const coupons = deps.coupons ?? (() => null);
  const config = new TierConfigService({ sequelize, models, catalog, settings, metrics, bulk, audit: deps.audit, timeZone, coupons });
  const members = new MemberTiers({ sequelize, models, catalog, metrics, changes, members: deps.members, staff: deps.staff, timeZone });
  const review = new TierReview({ sequelize, models, metrics, changes, bulk, members: deps.members, audit: deps.audit, events: deps.events, timeZone });
  const benefits = new TierBenefits({ sequelize, members: deps.members, timeZone, coupons });
  return {
    models,
    config,
    members,
    pricingStep: tierPricingStep(catalog, upgrades),
    multiplier: tierMultiplier(catalog),
    tierCondition: async (tierId) => {
      const { levels } = await catalog.get();
      if (levels.length === 0 || baseOf(levels).id !== tierId) return { tierId };
      const placed = levels.filter((level) => level.id !== tierId).map((level) => level.id);
      return { [Op.or]: [{ tierId: null }, { tierId: { [Op.notIn]: placed.length > 0 ? placed : [0] } }] };
    },
    overviewPart: async (principal, memberId) => {
      if (!hasPermission(principal, 'loyalty:tier:view')) return {};
      const [tier, history] = await Promise.all([members.explain(principal, memberId), members.history(principal, memberId, { limit: 5 })]);
      return { tier, tierHistory: history.items };
    },
    async runDaily(now, progress) {
      const current = await catalog.load();
      // Each page reports progress, which also renews the job's lock on a long night.
      const totals = await review.run(current, now, async () => progress?.(50));
      const coupons = await benefits.issue(current, now, async () => progress?.(90));
      return { ...totals, coupons };
    },
    routes: tierRoutes(config, members),
  };
}
