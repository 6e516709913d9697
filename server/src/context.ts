import type { Sequelize } from 'sequelize';
import type { HuijiConfig } from './platform/config/schema.js';
import { currentRequestContext } from './platform/http/request-context.js';
import { loadOrCreateLoginKeys } from './platform/crypto/login-keys.js';
import { createSequelize } from './platform/db/connect.js';
import type { RouteSpec } from './platform/http/route.js';
import type { Logger } from './platform/logger/index.js';
import { Readiness } from './platform/health.js';
import { ApiKeyService } from './modules/access/api-keys-service.js';
import { createFieldRegistry, registerBuiltinFields, type FieldRegistry } from './modules/access/field-policy/index.js';
import { defineAccessModels, type AccessModels } from './modules/access/models.js';
import { RoleService } from './modules/access/roles-service.js';
import { accessRoutes } from './modules/access/routes.js';
import { AccessService } from './modules/access/service.js';
import { StaffService } from './modules/staff/service.js';
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

/** Everything one running Huiji holds: configuration, database, services and routes. */
export interface AppContext {
  config: HuijiConfig;
  logger: Logger;
  sequelize: Sequelize;
  readiness: Readiness;
  models: { auth: AuthModels; audit: AuditModels; access: AccessModels; stores: StoreModels };
  services: {
    auth: AuthService;
    access: AccessService;
    audit: AuditService;
    stores: StoreService;
    roles: RoleService;
    staff: StaffService;
    apiKeys: ApiKeyService;
  };
  fieldRegistry: FieldRegistry;
  auditKeys: AuditKeys;
  auditSealer: AuditSealer;
  routes: RouteSpec[];
  startedAt: Date;
}

export function createContext(config: HuijiConfig, logger: Logger): AppContext {
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
  const roles = new RoleService(sequelize, accessModels, fieldRegistry, audit);
  const staff = new StaffService(sequelize, { auth: authModels, access: accessModels, stores: storeModels }, auth, audit);
  const apiKeys = new ApiKeyService(sequelize, { access: accessModels, auth: authModels }, access, audit);
  const startedAt = new Date();
  return {
    config,
    logger,
    sequelize,
    readiness: new Readiness(),
    models: { auth: authModels, audit: auditModels, access: accessModels, stores: storeModels },
    services: { auth, access, audit, stores, roles, staff, apiKeys },
    fieldRegistry,
    auditKeys,
    auditSealer: new AuditSealer(sequelize, auditModels, auditKeys, logger),
    routes: [
      ...authRoutes(auth),
      ...auditRoutes(audit, () => verifyAuditTrail(sequelize, auditModels, auditKeys, currentRequestContext()?.locale), { businessTimezone: config.businessTimezone }),
      ...storeRoutes(stores),
      ...staffRoutes(staff),
      ...accessRoutes({ roles, apiKeys, registry: fieldRegistry }),
      ...systemRoutes({ sequelize, businessTimezone: config.businessTimezone, startedAt }),
    ],
    startedAt,
  };
}
