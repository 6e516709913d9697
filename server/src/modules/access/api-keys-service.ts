import crypto from 'node:crypto';
import { Op, UniqueConstraintError, type Sequelize } from 'sequelize';
import { withTransaction } from '../../platform/db/transaction.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { Principal } from '../../platform/http/route.js';
import type { AuditService } from '../audit/service.js';
import type { AuthModels } from '../auth/models.js';
import type { AccessModels, ApiKeyRecord } from './models.js';
import { ALL_PERMISSIONS, isKnownPermission } from './permissions.js';
import { inStoreScope } from './scope.js';
import type { AccessService } from './service.js';

const TOKEN = /^hj_([a-z2-7]{8})_([A-Za-z0-9_-]{43})$/;
const TOUCH_INTERVAL_MS = 60_000;

export interface ApiKeyInput {
  name: string;
  scopes: string[];
  storeId?: number | null;
  expiresAt?: Date | null;
  rateLimitPerMinute: number;
}

function sha256(value: string): string {
  return crypto.createHash('sha256').update(value).digest('hex');
}

function randomPrefix(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  return Array.from(crypto.randomBytes(8), (byte) => alphabet[byte % 32]).join('');
}

/**
 * Keys for POS and ERP systems. The secret is shown once and kept as a SHA-256 (it is 256
 * random bits, so a slow hash adds nothing); a key acts with the intersection of its
 * scopes and its creator's current permissions, so demoting the creator narrows the key.
 */
export class ApiKeyService {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly models: { access: AccessModels; auth: AuthModels },
    private readonly access: AccessService,
    private readonly audit: AuditService,
  ) {}

  async list(principal: Principal) {
    const keys = await this.models.access.ApiKey.findAll({ order: [['id', 'DESC']] });
    const visible = keys.filter((key) => key.storeId === null ? principal.storeScope === null : inStoreScope(principal, key.storeId));
    return this.views(visible);
  }

  async create(principal: Principal, input: ApiKeyInput) {
    const scopes = [...new Set(input.scopes)].sort();
    const unknown = scopes.filter((code) => !isKnownPermission(code));
    if (unknown.length > 0) throw new AppError('UNKNOWN_PERMISSION', { params: { codes: unknown.join(', ') }, details: { codes: unknown } });
    const beyond = principal.permissions.has(ALL_PERMISSIONS) ? [] : scopes.filter((code) => !principal.permissions.has(code));
    if (beyond.length > 0) throw new AppError('CANNOT_GRANT', { params: { what: beyond.join(', ') }, details: { permissions: beyond } });
    const storeId = input.storeId ?? null;
    if (principal.storeScope !== null && (storeId === null || !inStoreScope(principal, storeId))) {
      throw new AppError('CANNOT_GRANT', { params: { what: storeId === null ? 'all stores' : `store ${storeId}` } });
    }
    const secret = crypto.randomBytes(32).toString('base64url');
    for (let attempt = 0; ; attempt++) {
      const prefix = randomPrefix();
      try {
        const key = await withTransaction(this.sequelize, async (transaction) => {
          const created = await this.models.access.ApiKey.create(
            {
              name: input.name,
              prefix,
              secretHash: sha256(secret),
              scopes: JSON.stringify(scopes),
              storeId,
              rateLimitPerMinute: input.rateLimitPerMinute,
              createdBy: principal.userId,
              createdAt: new Date(),
              expiresAt: input.expiresAt ?? null,
            },
            { transaction },
          );
          await this.audit.record({
            action: 'apikey.create',
            entityType: 'api_key',
            entityId: created.id,
            storeId,
            summary: `新建 API 密钥 ${input.name}（hj_${prefix}…），权限 ${scopes.length} 项`,
            diff: [{ field: 'scopes', before: null, after: scopes }],
          });
          return created;
        });
        return { apiKey: (await this.views([key]))[0], secret: `hj_${prefix}_${secret}` };
      } catch (error) {
        if (!(error instanceof UniqueConstraintError) || attempt >= 3) throw error;
      }
    }
  }

  async revoke(principal: Principal, id: number): Promise<void> {
    await withTransaction(this.sequelize, async (transaction) => {
      const key = await this.models.access.ApiKey.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE });
      const visible = key && (key.storeId === null ? principal.storeScope === null : inStoreScope(principal, key.storeId));
      if (!key || !visible) throw new AppError('API_KEY_NOT_FOUND', { params: { id } });
      if (key.revokedAt) return;
      await key.update({ revokedAt: new Date() }, { transaction });
      await this.audit.record({
        action: 'apikey.revoke',
        entityType: 'api_key',
        entityId: key.id,
        storeId: key.storeId,
        summary: `吊销 API 密钥 ${key.name}（hj_${key.prefix}…）`,
      });
    });
  }

  /** Resolves `hj_<prefix>_<secret>` to a principal, counting the request against the key's limit. */
  async authenticate(token: string): Promise<Principal> {
    const match = TOKEN.exec(token);
    const key = match ? await this.models.access.ApiKey.findOne({ where: { prefix: match[1] } }) : null;
    const now = new Date();
    const valid =
      key &&
      crypto.timingSafeEqual(Buffer.from(key.secretHash, 'hex'), Buffer.from(sha256(match![2]), 'hex')) &&
      !key.revokedAt &&
      (!key.expiresAt || key.expiresAt > now);
    if (!key || !valid) throw new AppError('API_KEY_INVALID');
    const creator = await this.models.auth.User.findByPk(key.createdBy);
    if (!creator || creator.status !== 'active') throw new AppError('API_KEY_INVALID');

    await this.countRequest(key, now);
    if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
      await this.models.access.ApiKey.update({ lastUsedAt: now }, { where: { id: key.id } });
    }
    const grants = await this.access.grantsOf(creator.id);
    const scopes = JSON.parse(key.scopes) as string[];
    const permissions = grants.permissions.has(ALL_PERMISSIONS) ? scopes : scopes.filter((code) => grants.permissions.has(code));
    const storeScope =
      key.storeId === null ? grants.storeScope : grants.storeScope === null || grants.storeScope.includes(Number(key.storeId)) ? [Number(key.storeId)] : [];
    return {
      kind: 'api_key',
      userId: creator.id,
      username: `${creator.username}/${key.name}`,
      sessionId: null,
      apiKeyId: Number(key.id),
      roles: grants.roles,
      permissions: new Set(permissions),
      storeScope,
      ownMembersOnly: grants.ownMembersOnly,
      fieldPolicies: grants.fieldPolicies,
      mustChangePassword: false,
    };
  }

  /**
   * A fixed one-minute window per key, counted in the database so every node shares it.
   * The count only goes up while it is under the limit, in one conditional UPDATE: of many
   * concurrent requests exactly `limit` pass, and a refused one is not counted.
   */
  private async countRequest(key: ApiKeyRecord, now: Date): Promise<void> {
    const { ApiKeyUsage } = this.models.access;
    const windowStart = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
    const where = { apiKeyId: key.id, windowStart };
    const limited = () => new AppError('API_KEY_RATE_LIMITED', { params: { limit: key.rateLimitPerMinute } });
    const take = async () => {
      const [affected] = await ApiKeyUsage.update(
        { requests: this.sequelize.literal('requests + 1') },
        { where: { ...where, requests: { [Op.lt]: key.rateLimitPerMinute } } },
      );
      return affected > 0;
    };
    if (await take()) return;
    if (await ApiKeyUsage.findOne({ where, attributes: ['apiKeyId'] })) throw limited();
    try {
      await ApiKeyUsage.create({ apiKeyId: key.id, windowStart, requests: 1 });
      await ApiKeyUsage.destroy({ where: { apiKeyId: key.id, windowStart: { [Op.lt]: new Date(now.getTime() - 3_600_000) } } });
    } catch (error) {
      if (!(error instanceof UniqueConstraintError)) throw error;
      // Another request opened the window first: count against it.
      if (!(await take())) throw limited();
    }
  }

  private async views(keys: ApiKeyRecord[]) {
    const creators = await this.models.auth.User.findAll({ where: { id: [...new Set(keys.map((k) => k.createdBy))] } });
    const nameOf = new Map(creators.map((u) => [Number(u.id), u.username]));
    return keys.map((key) => ({
      id: Number(key.id),
      name: key.name,
      prefix: `hj_${key.prefix}`,
      scopes: JSON.parse(key.scopes) as string[],
      storeId: key.storeId === null ? null : Number(key.storeId),
      expiresAt: key.expiresAt ?? null,
      lastUsedAt: key.lastUsedAt ?? null,
      revokedAt: key.revokedAt ?? null,
      rateLimitPerMinute: key.rateLimitPerMinute,
      createdBy: { id: Number(key.createdBy), username: nameOf.get(Number(key.createdBy)) ?? '?' },
      createdAt: key.createdAt,
    }));
  }
}
