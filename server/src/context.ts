import type { Sequelize } from 'sequelize';
import type { HuijiConfig } from './platform/config/schema.js';
import { loadOrCreateLoginKeys } from './platform/crypto/login-keys.js';
import { createSequelize } from './platform/db/connect.js';
import type { RouteSpec } from './platform/http/route.js';
import type { Logger } from './platform/logger/index.js';
import { Readiness } from './platform/health.js';
import { defineAccessModels } from './modules/access/models.js';
import { AccessService } from './modules/access/service.js';
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
  models: { auth: AuthModels; audit: AuditModels };
  services: { auth: AuthService; access: AccessService; audit: AuditService };
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
  const access = new AccessService(defineAccessModels(sequelize));
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
  const startedAt = new Date();
  return {
    config,
    logger,
    sequelize,
    readiness: new Readiness(),
    models: { auth: authModels, audit: auditModels },
    services: { auth, access, audit },
    auditKeys,
    auditSealer: new AuditSealer(sequelize, auditModels, auditKeys, logger),
    routes: [
      ...authRoutes(auth),
      ...auditRoutes(audit, () => verifyAuditTrail(sequelize, auditModels, auditKeys)),
      ...systemRoutes({ sequelize, businessTimezone: config.businessTimezone, startedAt }),
    ],
    startedAt,
  };
}
