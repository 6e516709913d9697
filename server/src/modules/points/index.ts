import type { Sequelize } from 'sequelize';
import type { RouteSpec } from '../../platform/http/route.js';
import type { AuditService } from '../audit/service.js';
import type { Idempotency } from '../../platform/http/idempotency.js';
import type { DomainEvents } from '../events/outbox.js';
import type { LoyaltySettings } from '../loyalty/settings-store.js';
import type { MemberService } from '../members/service.js';
import { PointsExpiry } from './expiry.js';
import { PointsLedger } from './ledger.js';
import { definePointModels, type PointModels } from './models.js';
import { pointsRoutes } from './routes.js';
import { PointsService } from './service.js';
import { PointsSettingsStore } from './settings.js';

export { PointsLedger, POINTS_KINDS, POINTS_SOURCES, type LedgerMember, type LotPart } from './ledger.js';
export { PointsService } from './service.js';
export {
  DEFAULT_POINTS_SETTINGS,
  EARN_METHODS,
  POINTS_EVENTS,
  PointsSettingsSchema,
  PointsSettingsStore,
  expiryFor,
  maxRedeemableFen,
  pointsToEarn,
  redemption,
  type EarnMethod,
  type PointsEvent,
  type PointsSettings,
} from './settings.js';
export { default as pointsExpireJob } from './jobs/expire.job.js';
export type { PointModels } from './models.js';

export interface PointsModuleDeps {
  sequelize: Sequelize;
  loyaltySettings: LoyaltySettings;
  members: MemberService;
  audit: AuditService;
  events: DomainEvents;
  idempotency: Idempotency;
  businessTimezone: string;
}

export interface PointsModule {
  models: PointModels;
  service: PointsService;
  routes: RouteSpec[];
}

/** Points (积分): lots, the ledger, settings, adjustments, event grants and expiry. */
export function createPoints(deps: PointsModuleDeps): PointsModule {
  const models = definePointModels(deps.sequelize);
  const ledger = new PointsLedger(models);
  const settings = new PointsSettingsStore(deps.loyaltySettings);
  const expiry = new PointsExpiry({ sequelize: deps.sequelize, models, ledger, settings, members: deps.members, audit: deps.audit, events: deps.events });
  const service = new PointsService({ sequelize: deps.sequelize, models, ledger, settings, expiry, members: deps.members, audit: deps.audit, idempotency: deps.idempotency, businessTimezone: deps.businessTimezone });
  return { models, service, routes: pointsRoutes(service) };
}
