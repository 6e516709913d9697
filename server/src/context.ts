import os from 'node:os';
import path from 'node:path';
import type { Router } from 'express';
import type { Sequelize } from 'sequelize';
import { JOBS } from './jobs.js';
import { createJobsBackend } from './platform/jobs/backend.js';
import { GatedBackend } from './platform/jobs/gated-backend.js';
import { JobRunner } from './platform/jobs/job-runner.js';
import { JobsService } from './modules/jobs/jobs-service.js';
import { defineJobModels, type JobModels } from './modules/jobs/models.js';
import { jobRoutes, taskRoutes } from './modules/jobs/routes.js';
import { TaskService } from './modules/jobs/task-service.js';
import type { HuijiConfig } from './platform/config/schema.js';
import { currentRequestContext } from './platform/http/request-context.js';
import { loadOrCreateLoginKeys } from './platform/crypto/login-keys.js';
import { FieldCipher } from './platform/crypto/field-cipher.js';
import { loadFieldKeys } from './platform/crypto/field-keys.js';
import { createSequelize } from './platform/db/connect.js';
import type { RouteSpec } from './platform/http/route.js';
import type { Logger } from './platform/logger/index.js';
import { Readiness } from './platform/health.js';
import { ApiKeyService } from './modules/access/api-keys-service.js';
import { createFieldRegistry, registerBuiltinFields, type FieldRegistry } from './modules/access/field-policy/index.js';
import { defineAccessModels, type AccessModels } from './modules/access/models.js';
import { RoleService } from './modules/access/roles-service.js';
import { accessRoutes } from './modules/access/routes.js';
import { auditDiffView } from './modules/access/guards.js';
import { AccessService } from './modules/access/service.js';
import { StaffService } from './modules/staff/service.js';
import { MemberConsents } from './modules/members/consents.js';
import { MemberContact } from './modules/members/contact.js';
import { MemberPrivacy } from './modules/members/privacy.js';
import { MemberExports } from './modules/members/export.js';
import { MemberImporter } from './modules/members/import/importer.js';
import { memberPrivacyRoutes } from './modules/members/privacy-routes.js';
import { CustomFieldStore } from './modules/members/custom-field-store.js';
import { customFieldRoutes } from './modules/members/custom-fields-routes.js';
import { CustomFieldService } from './modules/members/custom-fields-service.js';
import { CustomIndex } from './modules/members/custom-index.js';
import { CustomValues } from './modules/members/custom-values.js';
import { defineMemberModels, type MemberModels } from './modules/members/models.js';
import { MemberReferences } from './modules/members/references.js';
import { memberRoutes } from './modules/members/routes.js';
import { MemberViews } from './modules/members/saved-views.js';
import { memberFileRoutes } from './modules/members/file-routes.js';
import { MemberService } from './modules/members/service.js';
import { createRegistration, type RegistrationService } from './modules/registration/index.js';
import { staffRoutes } from './modules/staff/routes.js';
import { defineStoreModels, type StoreModels } from './modules/stores/models.js';
import { storeRoutes } from './modules/stores/routes.js';
import { StoreService } from './modules/stores/service.js';
import { removeInitialPasswordFile, BOOTSTRAP_USERNAME } from './modules/auth/bootstrap.js';
import { defineAuthModels, type AuthModels } from './modules/auth/models.js';
import { authRoutes } from './modules/auth/routes.js';
import { AuthService } from './modules/auth/service.js';
import { systemRoutes } from './modules/system/routes.js';
import { loadAuditKeys, type AuditKeys } from './modules/audit/keys.js';
import { defineAuditModels, type AuditModels } from './modules/audit/models.js';
import { auditRoutes } from './modules/audit/routes.js';
import { AuditSealer } from './modules/audit/sealer.js';
import { AuditService } from './modules/audit/service.js';
import { verifyAuditTrail } from './modules/audit/verify.js';
import { DomainEvents } from './modules/events/outbox.js';
import { LoyaltySettings } from './modules/loyalty/settings-store.js';
import { createPoints, type PointModels, type PointsService } from './modules/points/index.js';
import { createWallet, type WalletModule } from './modules/wallet/index.js';
import { Idempotency } from './platform/http/idempotency.js';
import { createOrders, type OrdersModule } from './modules/orders/index.js';
import { createTiers, tierCoupons, type TiersModule } from './modules/tiers/index.js';
import { createCoupons, type CouponsModule } from './modules/coupons/index.js';
import { hasPermission } from './platform/http/router.js';
import { BackupService, backupRoutes } from './modules/backup/index.js';

/** Everything one running Huiji holds: configuration, database, services and routes. */
export interface AppContext {
  config: HuijiConfig;
  logger: Logger;
  sequelize: Sequelize;
  readiness: Readiness;
  models: { auth: AuthModels; audit: AuditModels; access: AccessModels; stores: StoreModels; jobs: JobModels; members: MemberModels; orders: OrdersModule['models']; points: PointModels };
  services: {
    auth: AuthService;
    access: AccessService;
    audit: AuditService;
    stores: StoreService;
    roles: RoleService;
    staff: StaffService;
    members: MemberService;
    memberExports: MemberExports;
    memberImporter: MemberImporter;
    apiKeys: ApiKeyService;
    tasks: TaskService;
    jobs: JobsService<AppContext>;
    registration: RegistrationService;
    points: PointsService;
    /** Stored value: ledger (for the checkout), pins, settings, plans, top-ups, liability. */
    wallet: WalletModule;
    /** Orders, the checkout (and its pricing steps, which tiers and coupons extend) and refunds. */
    orders: OrdersModule;
    /** Member tiers: levels and rules, the checkout's tier step, the daily review, explanations. */
    tiers: TiersModule;
    /** Coupons: templates, issuing, claims, voiding, batches, expiry and the checkout's coupon step. */
    coupons: CouponsModule;
    /** Encrypted backups: the list, starting one, and the daily run with copy and retention. */
    backups: BackupService;
  };
  /** Background jobs: defined here, started by main.ts (or the worker) once the database is ready. */
  jobRunner: JobRunner<AppContext>;
  jobBackend: GatedBackend;
  /** At-most-once writes (checkout, refunds, top-ups) keyed by the caller's Idempotency-Key. */
  idempotency: Idempotency;
  fieldRegistry: FieldRegistry;
  /** Encrypts personal data at rest and computes its blind indexes. */
  fieldCipher: FieldCipher;
  auditKeys: AuditKeys;
  auditSealer: AuditSealer;
  routes: RouteSpec[];
  /** Public HTML pages outside the API (self-registration's /r/<code>); the app mounts them before the console. */
  pages: Router[];
  startedAt: Date;
}

export async function createContext(config: HuijiConfig, logger: Logger): Promise<AppContext> {
  const sequelize = createSequelize({
    url: config.databaseUrl,
    poolMax: config.database.poolMax,
    logger: config.logLevel === 'debug' ? logger : undefined,
  });
  const authModels = defineAuthModels(sequelize);
  const auditModels = defineAuditModels(sequelize);
  const auditKeys = loadAuditKeys(config.dataDir, config.audit.hmacKey);
  const audit = new AuditService(auditModels, auditKeys);
  const accessModels = defineAccessModels(sequelize);
  const storeModels = defineStoreModels(sequelize);
  const access = new AccessService(accessModels);
  const fieldRegistry = registerBuiltinFields(createFieldRegistry());
  const auth = new AuthService({
    sequelize,
    models: authModels,
    access,
    audit,
    config,
    loginKeys: loadOrCreateLoginKeys(config.dataDir),
    onPasswordChanged: (user) => {
      if (user.username === BOOTSTRAP_USERNAME) removeInitialPasswordFile(config.dataDir);
    },
  });
  const stores = new StoreService(sequelize, storeModels, audit);
  const roles = new RoleService(sequelize, accessModels, fieldRegistry, audit, () => access.forget());
  const staff = new StaffService(sequelize, { auth: authModels, access: accessModels, stores: storeModels }, auth, audit, (userId) => access.forget(userId));
  const apiKeys = new ApiKeyService(sequelize, { access: accessModels, auth: authModels }, access, audit);
  const fieldCipher = new FieldCipher(loadFieldKeys(config.dataDir, config.crypto));
  const memberModels = defineMemberModels(sequelize);
  const memberContact = new MemberContact(fieldCipher);
  const customFieldStore = new CustomFieldStore(sequelize, memberModels, fieldRegistry);
  const customIndex = new CustomIndex(memberModels);
  const customValues = new CustomValues(customFieldStore);
  const customFields = new CustomFieldService({ sequelize, models: memberModels, store: customFieldStore, index: customIndex, registry: fieldRegistry, audit });
  const members = new MemberService({
    sequelize,
    models: memberModels,
    audit,
    registry: fieldRegistry,
    contact: memberContact,
    references: new MemberReferences(memberModels, stores, staff, customValues),
    custom: customValues,
    index: customIndex,
    diffKey: auditKeys.diffHashKey,
    cardPrefix: config.members.cardPrefix,
    businessTimezone: config.businessTimezone,
  });
  const consents = new MemberConsents(sequelize, memberModels, members, audit);
  const registration = createRegistration({ baseUrl: config.http.publicUrl, sequelize, logger, env: config.env, businessTimezone: config.businessTimezone, audit, stores, members, consents, custom: customValues, contact: memberContact, cipher: fieldCipher });
  const privacy = new MemberPrivacy({ sequelize, models: memberModels, members, consents, contact: memberContact, registry: fieldRegistry, audit, index: customIndex });
  // One instance each for every module that keeps loyalty settings or emits domain events.
  const loyaltySettings = new LoyaltySettings(sequelize);
  const domainEvents = new DomainEvents(sequelize);
  const idempotency = new Idempotency(sequelize);
  const points = createPoints({ sequelize, loyaltySettings, members, audit, events: domainEvents, idempotency, businessTimezone: config.businessTimezone });
  const wallet = createWallet({ sequelize, loyaltySettings, members, stores, points: points.service, idempotency, events: domainEvents, audit, businessTimezone: config.businessTimezone });
  const orders = createOrders({
    sequelize,
    members,
    stores,
    staff,
    audit,
    events: domainEvents,
    registry: fieldRegistry,
    idempotency,
    pointsLedger: points.service.ledger,
    walletLedger: wallet.ledger,
    rules: async () => ({ points: await points.service.readSettings(), wallet: await wallet.settings.read() }),
    verifyPin: (principal, memberId, pin) => wallet.pins.verifyPaymentPin(principal, memberId, pin),
    timeZone: config.businessTimezone,
  });
  const tiers = createTiers({
    sequelize,
    loyaltySettings,
    members,
    staff,
    audit,
    events: domainEvents,
    businessTimezone: config.businessTimezone,
    // Coupons is created below; tier gifts and the templates a level names go through it.
    coupons: () => tierCoupons({ find: (id) => coupons.templates.find(id), issueInTransaction: (template, member, options, tx) => coupons.issuing.issueInTransaction(template, member, options, tx) }),
  });
  orders.pricing.register(tiers.pricingStep).earnWith(tiers.multiplier);
  members.addOverviewPart(tiers.overviewPart);
  members.useTierCondition(tiers.tierCondition);
  members.addOverviewPart(async (principal, memberId) =>
    hasPermission(principal, 'order:order:view')
      ? { recentOrders: (await orders.orders.list(principal, { memberId, limit: 5 })).items }
      : {},
  );
  const startedAt = new Date();

  const jobModels = defineJobModels(sequelize);
  const outputRoot = path.join(config.dataDir, 'job-output');
  const jobBackend = new GatedBackend(await createJobsBackend({ sequelize, mongodbUrl: config.jobs.mongodbUrl }), logger);
  const jobRunner: JobRunner<AppContext> = new JobRunner<AppContext>({
    backend: jobBackend,
    specs: JOBS,
    deps: () => ctx,
    logger,
    timezone: config.businessTimezone,
    nodeName: `${os.hostname()}:${process.pid}`,
    processEveryMs: config.jobs.processEverySeconds * 1000,
    outputRoot,
  });
  const tasks = new TaskService(sequelize, jobModels, (name, input, taskId) => jobRunner.enqueue(name, input, taskId), {
    outputRoot,
    retentionDays: config.jobs.outputRetentionDays,
  });
  jobRunner.tasks = tasks;
  const jobs = new JobsService(sequelize, jobRunner, audit, config.businessTimezone);
  const memberImporter = new MemberImporter({
    sequelize,
    models: memberModels,
    members,
    contact: memberContact,
    custom: customValues,
    index: customIndex,
    stores,
    audit,
    cardPrefix: config.members.cardPrefix,
    timeZone: config.businessTimezone,
    tasks,
    outputRoot,
  });
  const memberExports = new MemberExports({ members, stores, custom: customValues, tasks, audit, timeZone: config.businessTimezone });
  // After orders (its pricing step prices after the tier step) and tasks (batch issues run as tasks).
  const coupons = createCoupons({
    sequelize,
    logger,
    env: config.env,
    members,
    stores,
    orders,
    tasks,
    idempotency,
    events: domainEvents,
    audit,
    cipher: fieldCipher,
    businessTimezone: config.businessTimezone,
    baseUrl: config.http.publicUrl,
  });
  orders.pricing.register(coupons.redemption.pricingStep);
  wallet.plans.useCoupons(coupons.topupCoupons);
  wallet.topups.useCoupons(coupons.topupCoupons);
  members.addOverviewPart(coupons.overviewPart);
  const backups = new BackupService({ config, sequelize, audit, tasks, jobs: jobRunner.agenda, logger });

  const ctx: AppContext = {
    config,
    logger,
    sequelize,
    readiness: new Readiness(),
    models: { auth: authModels, audit: auditModels, access: accessModels, stores: storeModels, jobs: jobModels, members: memberModels, orders: orders.models, points: points.models },
    services: { auth, access, audit, stores, roles, staff, members, memberExports, memberImporter, apiKeys, tasks, jobs, registration: registration.service, points: points.service, wallet, orders, tiers, coupons, backups },
    jobRunner,
    jobBackend,
    idempotency,
    fieldRegistry,
    fieldCipher,
    auditKeys,
    auditSealer: new AuditSealer(sequelize, auditModels, auditKeys),
    routes: [
      ...authRoutes(auth),
      ...auditRoutes(audit, () => verifyAuditTrail(sequelize, auditModels, auditKeys, currentRequestContext()?.locale), {
        businessTimezone: config.businessTimezone,
        tasks,
        diffView: (principal) => auditDiffView(fieldRegistry, principal),
      }),
      ...storeRoutes(stores),
      ...staffRoutes(staff),
      // Before memberRoutes: /members/exports and /members/import-* are not member ids.
      ...memberFileRoutes({ exports: memberExports, importer: memberImporter, custom: customValues, outputRoot, maxUploadBytes: config.members.importMaxMegabytes * 1024 * 1024 }),
      ...memberRoutes(members, new MemberViews(sequelize, memberModels, audit)),
      ...memberPrivacyRoutes(consents, privacy),
      ...orders.routes,
      ...coupons.routes,
      ...tiers.routes,
      ...points.routes,
      ...wallet.routes,
      ...customFieldRoutes(customFields),
      ...registration.routes,
      ...accessRoutes({ roles, apiKeys, registry: fieldRegistry }),
      ...systemRoutes({ sequelize, businessTimezone: config.businessTimezone, startedAt }),
      ...backupRoutes(backups, tasks),
      ...jobRoutes(jobs, () => jobRunner.isProcessing),
      ...taskRoutes(tasks, audit),
    ],
    pages: [registration.page, coupons.page],
    startedAt,
  };
  return ctx;
}
