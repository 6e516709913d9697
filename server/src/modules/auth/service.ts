import crypto from 'node:crypto';
import { Op, type Sequelize, type Transaction } from 'sequelize';
import type { HuijiConfig } from '../../platform/config/schema.js';
import { EnvelopeError, openEnvelope, type Envelope } from '../../platform/crypto/envelope.js';
import type { LoginKeyPair } from '../../platform/crypto/login-keys.js';
import { execute, readTime, selectRows } from '../../platform/db/raw-sql.js';
import { withTransaction } from '../../platform/db/transaction.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { Principal } from '../../platform/http/route.js';
import { localized } from '../../platform/http/validation.js';
import type { AccessService } from '../access/service.js';
import type { AuditService } from '../audit/service.js';
import type { AuthModels, UserRecord } from './models.js';
import {
  PASSWORD_MAX_LENGTH,
  REQUIRED_CHARACTER_CLASSES,
  brokenRules,
  decoyPasswordHash,
  hashPassword,
  verifyPassword,
  type PasswordPolicy,
  type PolicyRule,
} from './password.js';
import { LoginThrottle } from './throttle.js';

const NONCE_TTL_MS = 5 * 60_000;
const CLOCK_SKEW_MS = 5 * 60_000;
/** Writing last_seen_at on every request would turn each read into a write. */
const TOUCH_INTERVAL_MS = 60_000;

export interface ClientMeta {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export interface PublicUser {
  id: number;
  username: string;
  displayName: string;
  mustChangePassword: boolean;
  locale: string;
}

export interface SessionView {
  user: PublicUser;
  permissions: string[];
}

export type Credentials = { password: string } | { encrypted: Envelope };

export interface AuthServiceOptions {
  sequelize: Sequelize;
  models: AuthModels;
  access: AccessService;
  audit: AuditService;
  config: HuijiConfig;
  loginKeys: LoginKeyPair;
  /** Called after the first password change, to remove the printed bootstrap password. */
  onPasswordChanged?: (user: PublicUser) => void;
}

export class AuthService {
  private readonly throttle: LoginThrottle;

  constructor(private readonly options: AuthServiceOptions) {
    this.throttle = new LoginThrottle(options.sequelize, options.models);
  }

  get policy(): PasswordPolicy {
    const { auth } = this.options.config;
    return {
      minLength: auth.passwordMinLength,
      maxLength: PASSWORD_MAX_LENGTH,
      requiredClasses: REQUIRED_CHARACTER_CLASSES,
      notUsername: true,
      historyCount: auth.passwordHistory,
    };
  }

  /** The public key and a single-use nonce the console encrypts the next password with. */
  async issueChallenge() {
    const { LoginNonce } = this.options.models;
    const now = new Date();
    const nonce = crypto.randomBytes(18).toString('base64url');
    await LoginNonce.create({ nonce, expiresAt: new Date(now.getTime() + NONCE_TTL_MS) });
    // Expired nonces are swept as new ones are issued; the index on expires_at keeps it cheap.
    await LoginNonce.destroy({ where: { expiresAt: { [Op.lt]: new Date(now.getTime() - NONCE_TTL_MS) } } });
    return {
      keyId: this.options.loginKeys.keyId,
      publicKey: this.options.loginKeys.publicKeyPem,
      nonce,
      serverTime: now.getTime(),
      algorithm: 'RSA-OAEP-256+A256GCM' as const,
    };
  }

  async login(username: string, credentials: Credentials, meta: ClientMeta): Promise<SessionView & { token: string; expiresAt: Date }> {
    const { models, config } = this.options;
    const { password } = await this.readSecret(credentials, ['password']);
    const userKey = `user:${username.toLowerCase()}`;
    const ipKey = meta.ip ? `ip:${meta.ip}` : null;

    const ipLock = ipKey ? await this.throttle.lockedFor(ipKey) : 0;
    if (ipLock > 0) {
      await this.recordLogin(username, null, 'locked');
      throw new AppError('LOGIN_RATE_LIMITED', { params: minutes(ipLock), details: { retryAfterSeconds: ipLock } });
    }
    const userLock = await this.throttle.lockedFor(userKey);
    if (userLock > 0) {
      await this.recordLogin(username, null, 'locked');
      throw new AppError('ACCOUNT_LOCKED', { params: minutes(userLock), details: { retryAfterSeconds: userLock } });
    }

    const user = await models.User.findOne({ where: { username } });
    const valid = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), password);
    if (!user || !valid) {
      await this.recordLogin(username, user?.id ?? null, user ? 'bad_password' : 'unknown_user');
      const lockedSeconds = await this.throttle.recordFailure(userKey, {
        threshold: config.auth.lockoutThreshold,
        lockMinutes: config.auth.lockoutMinutes,
      });
      if (ipKey) {
        await this.throttle.recordFailure(ipKey, {
          threshold: config.auth.ipLockoutThreshold,
          lockMinutes: config.auth.lockoutMinutes,
        });
      }
      if (lockedSeconds > 0) {
        await this.recordLockout(username, user?.id ?? null, lockedSeconds);
        throw new AppError('ACCOUNT_LOCKED', {
          params: minutes(lockedSeconds),
          details: { retryAfterSeconds: lockedSeconds },
        });
      }
      throw new AppError('INVALID_CREDENTIALS');
    }
    if (user.status !== 'active') {
      await this.recordLogin(username, user.id, 'disabled');
      throw new AppError('ACCOUNT_DISABLED');
    }

    return withTransaction(this.options.sequelize, async (transaction) => {
      const now = new Date();
      const token = crypto.randomBytes(32).toString('base64url');
      const expiresAt = new Date(now.getTime() + config.auth.sessionAbsoluteHours * 3_600_000);
      await models.Session.create(
        {
          userId: user.id,
          tokenHash: hashToken(token),
          ip: meta.ip,
          userAgent: meta.userAgent?.slice(0, 255) ?? null,
          createdAt: now,
          lastSeenAt: now,
          expiresAt,
        },
        { transaction },
      );
      await user.update({ lastLoginAt: now, lastLoginIp: meta.ip }, { transaction });
      await this.throttle.clear(userKey, transaction);
      await this.recordLogin(username, user.id, 'success', transaction);
      return { token, expiresAt, ...(await this.view(user, transaction)) };
    });
  }

  /**
   * Resolves a bearer token to its principal; null for a token that never existed. The
   * session and its user come in one read (a join, nothing cached), so a session revoked
   * or a user disabled anywhere is refused on the next request.
   */
  async authenticate(token: string): Promise<Principal | null> {
    const { sequelize, config } = this.options;
    const [row] = await selectRows<SessionRow>(
      sequelize,
      'SELECT s.id, s.user_id, s.last_seen_at, s.expires_at, s.revoked_at, u.id AS found_user_id, u.username, u.display_name, u.status, u.must_change_password ' +
        'FROM sessions s LEFT JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1',
      [hashToken(token)],
      undefined,
    );
    if (!row || row.revoked_at !== null) return null;
    const now = Date.now();
    const sessionId = Number(row.id);
    const revoke = (reason: string) => execute(sequelize, 'UPDATE sessions SET revoked_at = $1, revoked_reason = $2 WHERE id = $3', [new Date(now), reason, sessionId], undefined);
    const lastSeenAt = readTime(row.last_seen_at)!.getTime();
    const idleLimit = lastSeenAt + config.auth.sessionIdleMinutes * 60_000;
    if (readTime(row.expires_at)!.getTime() <= now || idleLimit <= now) {
      await revoke('expired');
      throw new AppError('SESSION_EXPIRED');
    }
    if (row.found_user_id === null || row.status !== 'active') {
      await revoke('user_disabled');
      return null;
    }
    if (now - lastSeenAt > TOUCH_INTERVAL_MS) {
      await execute(sequelize, 'UPDATE sessions SET last_seen_at = $1 WHERE id = $2', [new Date(now), sessionId], undefined);
    }
    const userId = Number(row.user_id);
    const { roles, permissions, storeScope, ownMembersOnly, fieldPolicies } = await this.options.access.grantsOf(userId);
    return {
      kind: 'user',
      userId,
      username: row.username!,
      displayName: row.display_name!,
      sessionId,
      apiKeyId: null,
      roles,
      permissions,
      storeScope,
      ownMembersOnly,
      fieldPolicies,
      mustChangePassword: Boolean(row.must_change_password),
    };
  }

  /**
   * A user's principal as it stands now, for work done on their behalf later (a
   * background export): roles, scopes and field policies are read afresh, so a permission
   * taken away meanwhile is gone. Null for a user who is missing or disabled.
   */
  async principalOf(userId: number): Promise<Principal | null> {
    const user = await this.options.models.User.findByPk(userId);
    if (!user || user.status !== 'active') return null;
    const { roles, permissions, storeScope, ownMembersOnly, fieldPolicies } = await this.options.access.grantsOf(user.id);
    return { kind: 'user', userId: user.id, username: user.username, displayName: user.displayName, sessionId: null, apiKeyId: null, roles, permissions, storeScope, ownMembersOnly, fieldPolicies, mustChangePassword: false };
  }

  async logout(principal: Principal): Promise<void> {
    await withTransaction(this.options.sequelize, async (transaction) => {
      await this.options.models.Session.update(
        { revokedAt: new Date(), revokedReason: 'logout' },
        { where: { id: principal.sessionId ?? -1, revokedAt: null }, transaction },
      );
      await this.options.audit.record({
        action: 'auth.logout',
        entityType: 'user',
        entityId: principal.userId,
        summary: `退出登录：${principal.username}`,
      });
    });
  }

  async me(principal: Principal): Promise<SessionView> {
    const user = await this.options.models.User.findByPk(principal.userId, { rejectOnEmpty: true });
    return this.view(user);
  }

  async changePassword(
    principal: Principal,
    input: { encrypted: Envelope } | { currentPassword: string; newPassword: string },
  ): Promise<SessionView> {
    const { models, config, sequelize } = this.options;
    const secrets = await this.readSecret(input, ['currentPassword', 'newPassword']);
    const user = await models.User.findByPk(principal.userId, { rejectOnEmpty: true });
    const userKey = `user:${user.username.toLowerCase()}`;

    if (!(await verifyPassword(user.passwordHash, secrets.currentPassword))) {
      await this.recordLogin(user.username, user.id, 'bad_current_password');
      const lockedSeconds = await this.throttle.recordFailure(userKey, {
        threshold: config.auth.lockoutThreshold,
        lockMinutes: config.auth.lockoutMinutes,
      });
      if (lockedSeconds > 0) {
        await this.recordLockout(user.username, user.id, lockedSeconds);
        // A guessed current password must not outlast the lock: end this session too.
        await models.Session.update(
          { revokedAt: new Date(), revokedReason: 'locked' },
          { where: { userId: user.id, revokedAt: null } },
        );
        throw new AppError('ACCOUNT_LOCKED', { params: minutes(lockedSeconds), details: { retryAfterSeconds: lockedSeconds } });
      }
      throw new AppError('CURRENT_PASSWORD_WRONG', {
        details: { fields: [{ path: 'currentPassword', code: 'wrong', message: localized('当前密码不正确', 'Wrong current password')() }] },
      });
    }

    const rules = brokenRules(secrets.newPassword, user.username, this.policy);
    if (rules.length === 0 && (await this.reusesRecentPassword(user, secrets.newPassword))) rules.push('history');
    if (rules.length > 0) {
      const fields = rules.map((rule) => ({ path: 'newPassword', code: rule, message: describeRule(rule, this.policy) }));
      throw new AppError('PASSWORD_POLICY', { details: { rules, fields } });
    }

    const newHash = await hashPassword(secrets.newPassword);
    const view = await withTransaction(sequelize, async (transaction) => {
      const now = new Date();
      await models.PasswordHistory.create(
        { userId: user.id, passwordHash: user.passwordHash, createdAt: now },
        { transaction },
      );
      await this.trimHistory(user.id, transaction);
      await user.update(
        { passwordHash: newHash, mustChangePassword: false, passwordChangedAt: now },
        { transaction },
      );
      // Every other session of this user ends: a changed password is often a response to a leak.
      await models.Session.update(
        { revokedAt: now, revokedReason: 'password_changed' },
        { where: { userId: user.id, revokedAt: null, id: { [Op.ne]: principal.sessionId ?? -1 } }, transaction },
      );
      await this.throttle.clear(userKey, transaction);
      await this.options.audit.record({
        action: 'auth.password_change',
        entityType: 'user',
        entityId: user.id,
        summary: `修改密码：${user.username}（其他会话已结束）`,
      });
      return this.view(user, transaction);
    });
    this.options.onPasswordChanged?.(view.user);
    return view;
  }

  private async reusesRecentPassword(user: UserRecord, candidate: string): Promise<boolean> {
    const count = this.options.config.auth.passwordHistory;
    if (count === 0) return false;
    const previous = await this.options.models.PasswordHistory.findAll({
      where: { userId: user.id },
      order: [['createdAt', 'DESC'], ['id', 'DESC']],
      limit: count - 1,
    });
    for (const passwordHash of [user.passwordHash, ...previous.map((row) => row.passwordHash)]) {
      if (await verifyPassword(passwordHash, candidate)) return true;
    }
    return false;
  }

  private async trimHistory(userId: number, transaction: Transaction): Promise<void> {
    const keep = await this.options.models.PasswordHistory.findAll({
      where: { userId },
      order: [['createdAt', 'DESC'], ['id', 'DESC']],
      limit: Math.max(this.options.config.auth.passwordHistory, 1),
      attributes: ['id'],
      transaction,
    });
    await this.options.models.PasswordHistory.destroy({
      where: { userId, id: { [Op.notIn]: keep.map((row) => row.id) } },
      transaction,
    });
  }

  /** Reads passwords from a plain body or an encrypted envelope, enforcing nonce and time. */
  private async readSecret<K extends string>(
    input: { encrypted: Envelope } | Record<K, string>,
    fields: K[],
  ): Promise<Record<K, string>> {
    if (!('encrypted' in input)) {
      if (!this.options.config.auth.allowPlainPassword) throw new AppError('PLAIN_PASSWORD_NOT_ALLOWED');
      return input as Record<K, string>;
    }
    let payload: Record<string, unknown>;
    try {
      payload = openEnvelope(this.options.loginKeys, input.encrypted) as Record<string, unknown>;
    } catch (error) {
      if (error instanceof EnvelopeError) throw new AppError('ENCRYPTED_PAYLOAD_INVALID', { cause: error });
      throw error;
    }
    if (!payload || typeof payload !== 'object') throw new AppError('ENCRYPTED_PAYLOAD_INVALID');
    const out = {} as Record<K, string>;
    for (const field of fields) {
      const value = payload[field];
      if (typeof value !== 'string' || value.length === 0 || value.length > PASSWORD_MAX_LENGTH * 4) {
        throw new AppError('ENCRYPTED_PAYLOAD_INVALID');
      }
      out[field] = value;
    }
    const timestamp = Number(payload.timestamp);
    if (!Number.isFinite(timestamp) || Math.abs(Date.now() - timestamp) > CLOCK_SKEW_MS) throw new AppError('NONCE_INVALID');
    const nonce = payload.nonce;
    if (typeof nonce !== 'string' || !(await this.consumeNonce(nonce))) throw new AppError('NONCE_INVALID');
    return out;
  }

  /** Marks the nonce used; false when it is unknown, expired or already used (a replay). */
  private async consumeNonce(nonce: string): Promise<boolean> {
    const now = new Date();
    const [affected] = await this.options.models.LoginNonce.update(
      { usedAt: now },
      { where: { nonce, usedAt: null, expiresAt: { [Op.gt]: now } } },
    );
    return affected === 1;
  }

  private async recordLockout(username: string, userId: number | null, seconds: number): Promise<void> {
    await this.options.audit.record(
      {
        action: 'auth.lockout',
        result: 'denied',
        entityType: 'user',
        entityId: userId ?? undefined,
        summary: `密码连续错误，账号 ${username.slice(0, 64)} 锁定 ${minutes(seconds).minutes} 分钟`,
        actor: { type: userId ? 'user' : 'anonymous', id: userId, name: username.slice(0, 64), roles: [] },
      },
      { transaction: null },
    );
  }

  /** Every attempt goes to the audit log, which is also the login log auditors read. */
  private async recordLogin(
    username: string,
    userId: number | null,
    outcome: LoginOutcome,
    transaction?: Transaction,
  ): Promise<void> {
    const { result, summary } = LOGIN_OUTCOMES[outcome];
    await this.options.audit.record(
      {
        action: outcome === 'bad_current_password' ? 'auth.password_change' : 'auth.login',
        result,
        entityType: 'user',
        entityId: userId ?? undefined,
        summary: `${summary}：${username.slice(0, 64)}`,
        actor: { type: userId ? 'user' : 'anonymous', id: userId, name: username.slice(0, 64), roles: [] },
      },
      { transaction: transaction ?? null },
    );
  }

  private async view(user: UserRecord, transaction?: Transaction): Promise<SessionView> {
    const permissions = await this.options.access.permissionsOf(user.id, transaction);
    return {
      user: {
        id: user.id,
        username: user.username,
        displayName: user.displayName,
        mustChangePassword: user.mustChangePassword,
        locale: user.locale,
      },
      permissions: [...permissions].sort(),
    };
  }
}

/** A session with its user, as the session check reads them. */
interface SessionRow {
  id: number | string;
  user_id: number | string;
  last_seen_at: Date | string;
  expires_at: Date | string;
  revoked_at: Date | string | null;
  found_user_id: number | string | null;
  username: string | null;
  display_name: string | null;
  status: string | null;
  must_change_password: number | boolean | null;
}

type LoginOutcome = 'success' | 'bad_password' | 'unknown_user' | 'locked' | 'disabled' | 'bad_current_password';

const LOGIN_OUTCOMES: Record<LoginOutcome, { result: 'success' | 'failure' | 'denied'; summary: string }> = {
  success: { result: 'success', summary: '登录成功' },
  bad_password: { result: 'failure', summary: '登录失败，密码错误' },
  unknown_user: { result: 'failure', summary: '登录失败，用户不存在' },
  locked: { result: 'denied', summary: '登录被拒绝，账号或地址已锁定' },
  disabled: { result: 'denied', summary: '登录被拒绝，账号已停用' },
  bad_current_password: { result: 'failure', summary: '修改密码失败，当前密码错误' },
};

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

function describeRule(rule: PolicyRule, policy: PasswordPolicy): string {
  switch (rule) {
    case 'length':
      return localized(
        `长度须为 ${policy.minLength}-${policy.maxLength} 个字符`,
        `Must be ${policy.minLength} to ${policy.maxLength} characters long`,
      )();
    case 'classes':
      return localized(
        `须包含小写字母、大写字母、数字、符号中的至少 ${policy.requiredClasses} 类`,
        `Must mix at least ${policy.requiredClasses} of: lower case, upper case, digits, symbols`,
      )();
    case 'username':
      return localized('不能包含用户名', 'Must not contain the username')();
    case 'history':
      return localized(`不能与最近 ${policy.historyCount} 次使用过的密码相同`, `Must differ from the last ${policy.historyCount} passwords`)();
  }
}

function minutes(seconds: number) {
  return { minutes: Math.max(1, Math.ceil(seconds / 60)) };
}
