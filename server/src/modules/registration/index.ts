import type { Router } from 'express';
import type { Sequelize } from 'sequelize';
import type { FieldCipher } from '../../platform/crypto/field-cipher.js';
import type { RouteSpec } from '../../platform/http/route.js';
import type { Logger } from '../../platform/logger/index.js';
import type { AuditService } from '../audit/service.js';
import type { MemberConsents } from '../members/consents.js';
import type { MemberContact } from '../members/contact.js';
import type { CustomValues } from '../members/custom-values.js';
import type { MemberService } from '../members/service.js';
import type { StoreService } from '../stores/service.js';
import { ChannelService } from './channels-service.js';
import { VerificationCodes, registrationCodeBook } from './codes.js';
import { DEFAULT_LIMITS, type CodeLimits } from './limits.js';
import { defineRegistrationModels } from './models.js';
import { registrationPageRouter } from './page/router.js';
import { publicRegistrationRoutes } from './public-routes.js';
import { RegistrationService } from './registration-service.js';
import { baseUrlFrom, channelRoutes } from './routes.js';
import { defaultSmsProvider, type SmsProvider } from './sms.js';

export { REGISTRATION_ERRORS } from './errors.js';
export { default as pruneRegistrationCodesJob } from './jobs/prune-codes.job.js';
export type { SmsProvider } from './sms.js';
export type { RegistrationService } from './registration-service.js';

export interface RegistrationModuleDeps {
  sequelize: Sequelize;
  logger: Logger;
  env: 'production' | 'development' | 'test';
  businessTimezone: string;
  audit: AuditService;
  stores: StoreService;
  members: MemberService;
  consents: MemberConsents;
  custom: CustomValues;
  contact: MemberContact;
  cipher: FieldCipher;
  /** The gateway; defaults to logging the text outside production, and to failing in it. */
  sms?: SmsProvider;
  /** The public origin printed in QR codes (`https://vip.example.com`); else the request's. */
  baseUrl?: string;
  limits?: Partial<CodeLimits>;
}

export interface RegistrationModule {
  service: RegistrationService;
  /** The API: console routes and the public page's endpoints. */
  routes: RouteSpec[];
  /** `/r/:code` and its script; mount before the console's catch-all. */
  page: Router;
}

/** Self-registration (注册渠道 and the public page), built on the members module's services. */
export function createRegistration(deps: RegistrationModuleDeps): RegistrationModule {
  const models = defineRegistrationModels(deps.sequelize);
  const limits: CodeLimits = { ...DEFAULT_LIMITS, ...deps.limits };
  const channels = new ChannelService({ sequelize: deps.sequelize, models, stores: deps.stores, audit: deps.audit });
  const codes = new VerificationCodes({ sequelize: deps.sequelize, book: registrationCodeBook(models), cipher: deps.cipher, limits, businessTimezone: deps.businessTimezone });
  const service = new RegistrationService({
    sequelize: deps.sequelize,
    logger: deps.logger,
    channels,
    codes,
    limits,
    members: deps.members,
    consents: deps.consents,
    custom: deps.custom,
    stores: deps.stores,
    contact: deps.contact,
    audit: deps.audit,
    sms: deps.sms ?? defaultSmsProvider(deps.env, deps.logger),
  });
  return {
    service,
    routes: [...channelRoutes(channels, baseUrlFrom(deps.baseUrl)), ...publicRegistrationRoutes(service)],
    page: registrationPageRouter({ registration: service, logger: deps.logger }),
  };
}
