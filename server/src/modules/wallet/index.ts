import type { Sequelize } from 'sequelize';
import type { Idempotency } from '../../platform/http/idempotency.js';
import type { RouteSpec } from '../../platform/http/route.js';
import type { AuditService } from '../audit/service.js';
import type { DomainEvents } from '../events/outbox.js';
import type { LoyaltySettings } from '../loyalty/settings-store.js';
import type { MemberService } from '../members/service.js';
import type { PointsLedger } from '../points/ledger.js';
import { expiryFor, type PointsSettingsStore } from '../points/settings.js';
import type { StoreService } from '../stores/service.js';
import { WalletAccounts } from './account.js';
import { WalletLedger } from './ledger.js';
import { LiabilityReport } from './liability.js';
import { defineWalletModels, type WalletModels } from './models.js';
import { WalletPins } from './pin.js';
import { PlanService } from './plans.js';
import { walletRoutes } from './routes.js';
import { WalletSettingsService } from './settings.js';
import { TopupService } from './topups.js';

export { WalletLedger, splitSpend, takeInOrder, type WalletPart } from './ledger.js';
export { WalletPins, PIN_PATTERN } from './pin.js';
export { WALLET_SETTINGS_DEFAULTS, WALLET_SETTINGS_KEY, SPEND_ORDERS, WalletSettingsService, type SpendOrder, type WalletSettings } from './settings.js';
export { TopupService } from './topups.js';
export { PlanService } from './plans.js';
export { LiabilityReport } from './liability.js';
export type { WalletModels } from './models.js';

export interface WalletModuleDeps {
  sequelize: Sequelize;
  loyaltySettings: LoyaltySettings;
  members: MemberService;
  stores: StoreService;
  /** The points module's ledger and settings: plans give points, top-up refunds take them back. */
  points: { ledger: PointsLedger; settings: PointsSettingsStore };
  idempotency: Idempotency;
  events: DomainEvents;
  audit: AuditService;
  businessTimezone: string;
}

export interface WalletModule {
  models: WalletModels;
  ledger: WalletLedger;
  pins: WalletPins;
  settings: WalletSettingsService;
  plans: PlanService;
  topups: TopupService;
  accounts: WalletAccounts;
  liability: LiabilityReport;
  routes: RouteSpec[];
}

/** Stored value (储值): top-ups as lots of principal and bonus, the ledger, plans, PIN, liability. */
export function createWallet(deps: WalletModuleDeps): WalletModule {
  const models = defineWalletModels(deps.sequelize);
  const ledger = new WalletLedger(models);
  const settings = new WalletSettingsService(deps.sequelize, deps.loyaltySettings, deps.audit);
  const pins = new WalletPins({ sequelize: deps.sequelize, members: deps.members, settings, audit: deps.audit, businessTimezone: deps.businessTimezone });
  const plans = new PlanService(deps.sequelize, models, deps.audit);
  const topups = new TopupService({
    sequelize: deps.sequelize,
    models,
    ledger,
    settings,
    members: deps.members,
    stores: deps.stores,
    points: deps.points.ledger,
    pointsExpiry: async (earnedAt, transaction) => expiryFor(await deps.points.settings.read(transaction), earnedAt, deps.businessTimezone),
    idempotency: deps.idempotency,
    events: deps.events,
    audit: deps.audit,
    businessTimezone: deps.businessTimezone,
  });
  const accounts = new WalletAccounts(models, deps.members);
  const liability = new LiabilityReport(deps.sequelize, deps.stores, deps.businessTimezone);
  return { models, ledger, pins, settings, plans, topups, accounts, liability, routes: walletRoutes({ settings, plans, topups, accounts, pins, liability }) };
}
