import { Op, UniqueConstraintError, type Sequelize, type Transaction } from 'sequelize';
import { withTransaction } from '../../platform/db/transaction.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { Principal } from '../../platform/http/route.js';
import type { AccessModels } from '../access/models.js';
import { holdsAll } from '../access/permissions.js';
import { changedFields } from '../audit/changes.js';
import type { AuditService } from '../audit/service.js';
import type { AuthModels, UserRecord } from '../auth/models.js';
import { brokenRules, generatePassword, hashPassword } from '../auth/password.js';
import type { AuthService } from '../auth/service.js';
import type { StoreModels } from '../stores/models.js';

export interface StaffView {
  id: number;
  username: string;
  displayName: string;
  status: 'active' | 'disabled';
  roles: string[];
  storeIds: number[];
  lastLoginAt: Date | null;
  mustChangePassword: boolean;
  createdAt: Date;
}

export interface StaffInput {
  username: string;
  displayName: string;
  roles: string[];
  storeIds: number[];
  password?: string;
}

export interface StaffPatch {
  displayName?: string;
  roles?: string[];
  storeIds?: number[];
  status?: 'active' | 'disabled';
}

/**
 * Staff accounts. Nobody manages an account more powerful than their own, grants a role
 * whose permissions they lack, or reaches staff of stores outside their scope.
 */
export class StaffService {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly models: { auth: AuthModels; access: AccessModels; stores: StoreModels },
    private readonly auth: AuthService,
    private readonly audit: AuditService,
    /** A user's cached grants are stale once their roles or stores change. */
    private readonly grantsChanged: (userId: number) => void = () => {},
  ) {}

  async list(principal: Principal, query: { keyword?: string; status?: string; roleCode?: string; storeId?: number }) {
    const { User } = this.models.auth;
    const where: Record<string | symbol, unknown> = {};
    if (query.status) where.status = query.status;
    if (query.keyword) {
      const like = `%${query.keyword.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where[Op.or] = [{ username: { [Op.like]: like } }, { displayName: { [Op.like]: like } }];
    }
    const restrictTo = await this.userIdsInScope(principal, query.storeId, query.roleCode);
    if (restrictTo) where.id = restrictTo;
    const users = await User.findAll({ where, order: [['id', 'ASC']], limit: 1000 });
    return this.views(users);
  }

  /** Display names by user id, for records that name who did something (a receipt's cashier). */
  async displayNames(ids: readonly number[]): Promise<Map<number, string>> {
    const unique = [...new Set(ids.filter((id) => id > 0))];
    if (unique.length === 0) return new Map();
    const users = await this.models.auth.User.findAll({ where: { id: unique }, attributes: ['id', 'displayName'] });
    return new Map(users.map((user) => [Number(user.id), user.displayName]));
  }

  async get(principal: Principal, id: number): Promise<StaffView> {
    return (await this.views([await this.reachable(principal, id)]))[0];
  }

  async create(principal: Principal, input: StaffInput): Promise<{ user: StaffView; initialPassword?: string }> {
    const roles = await this.grantableRoles(principal, input.roles);
    await this.checkStores(principal, input.storeIds);
    if (input.password) {
      const broken = brokenRules(input.password, input.username, this.auth.policy);
      if (broken.length > 0) throw new AppError('PASSWORD_POLICY', { details: { rules: broken, fields: [{ path: 'password', code: broken[0] }] } });
    }
    const password = input.password ?? generatePassword();
    const passwordHash = await hashPassword(password);
    try {
      const user = await withTransaction(this.sequelize, async (transaction) => {
        const created = await this.models.auth.User.create(
          { username: input.username, displayName: input.displayName, passwordHash, mustChangePassword: true, passwordChangedAt: null },
          { transaction },
        );
        await this.setLinks(created.id, roles.map((r) => r.id), [...new Set(input.storeIds)], transaction);
        const [createdView] = await this.views([created], transaction);
        await this.audit.record({
          action: 'user.create',
          entityType: 'user',
          entityId: created.id,
          storeId: createdView.storeIds[0] ?? null,
          summary: `新建员工 ${created.username}（${createdView.roles.join('、')}）`,
          diff: changedFields(null, createdView, ['username', 'displayName', 'roles', 'storeIds', 'status']),
        });
        return createdView;
      });
      return { user, ...(input.password ? {} : { initialPassword: password }) };
    } catch (error) {
      if (error instanceof UniqueConstraintError) throw new AppError('USERNAME_TAKEN', { params: { username: input.username } });
      throw error;
    }
  }

  async update(principal: Principal, id: number, patch: StaffPatch): Promise<StaffView> {
    const target = await this.reachable(principal, id);
    await this.assertManageable(principal, target.id);
    const roles = patch.roles ? await this.grantableRoles(principal, patch.roles) : null;
    if (patch.storeIds) await this.checkStores(principal, patch.storeIds);
    return withTransaction(this.sequelize, async (transaction) => {
      const user = await this.models.auth.User.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE, rejectOnEmpty: true });
      const [before] = await this.views([user], transaction);
      if (patch.displayName !== undefined || patch.status !== undefined) {
        await user.update({ ...(patch.displayName !== undefined ? { displayName: patch.displayName } : {}), ...(patch.status ? { status: patch.status } : {}) }, { transaction });
      }
      if (roles || patch.storeIds) {
        // A scoped manager edits only the store links inside their scope; others stay.
        const keptStores =
          patch.storeIds && principal.storeScope !== null ? before.storeIds.filter((s) => !principal.storeScope!.includes(s)) : [];
        await this.setLinks(
          user.id,
          roles ? roles.map((r) => r.id) : null,
          patch.storeIds ? [...new Set([...keptStores, ...patch.storeIds])] : null,
          transaction,
        );
      }
      await this.assertSuperAdminRemains(transaction);
      if (patch.status === 'disabled') await this.endSessions(user.id, 'user_disabled', transaction);
      const [after] = await this.views([user], transaction);
      const diff = changedFields(before, after, ['displayName', 'roles', 'storeIds', 'status']);
      if (diff.length > 0) {
        await this.audit.record({
          action: patch.status === 'disabled' && before.status === 'active' ? 'user.disable' : 'user.update',
          entityType: 'user',
          entityId: user.id,
          storeId: after.storeIds[0] ?? null,
          summary: `修改员工 ${user.username}：${diff.map((d) => d.field).join('、')}`,
          diff,
        });
      }
      return after;
    });
  }

  async resetPassword(principal: Principal, id: number): Promise<{ initialPassword: string }> {
    const target = await this.reachable(principal, id);
    await this.assertManageable(principal, target.id);
    const password = generatePassword();
    const passwordHash = await hashPassword(password);
    await withTransaction(this.sequelize, async (transaction) => {
      await this.models.auth.User.update({ passwordHash, mustChangePassword: true }, { where: { id }, transaction });
      await this.endSessions(id, 'password_reset', transaction);
      await this.models.auth.AuthThrottle.destroy({ where: { throttleKey: `user:${target.username.toLowerCase()}` }, transaction });
      await this.audit.record({
        action: 'user.reset_password',
        entityType: 'user',
        entityId: id,
        summary: `重置员工 ${target.username} 的密码（须在下次登录时修改，所有会话已结束）`,
      });
    });
    return { initialPassword: password };
  }

  async sessions(principal: Principal, id: number) {
    await this.reachable(principal, id);
    const now = new Date();
    const sessions = await this.models.auth.Session.findAll({
      where: { userId: id, revokedAt: null, expiresAt: { [Op.gt]: now } },
      order: [['lastSeenAt', 'DESC']],
    });
    return sessions.map((session) => ({
      id: Number(session.id),
      ip: session.ip,
      userAgent: session.userAgent,
      createdAt: session.createdAt,
      lastSeenAt: session.lastSeenAt,
      expiresAt: session.expiresAt,
      current: session.id === principal.sessionId,
    }));
  }

  async revokeSession(principal: Principal, id: number, sessionId: number): Promise<void> {
    const target = await this.reachable(principal, id);
    if (target.id !== principal.userId) await this.assertManageable(principal, target.id);
    await withTransaction(this.sequelize, async (transaction) => {
      const [count] = await this.models.auth.Session.update(
        { revokedAt: new Date(), revokedReason: 'revoked' },
        { where: { id: sessionId, userId: id, revokedAt: null }, transaction },
      );
      if (count === 0) throw new AppError('SESSION_NOT_FOUND', { params: { id: sessionId } });
      await this.audit.record({
        action: 'user.revoke_session',
        entityType: 'user',
        entityId: id,
        summary: `结束员工 ${target.username} 的会话 ${sessionId}`,
      });
    });
  }

  /** The user, if the caller's store scope reaches them; otherwise the same 404 as a missing id. */
  private async reachable(principal: Principal, id: number): Promise<UserRecord> {
    const ids = await this.userIdsInScope(principal);
    const user = !ids || ids.includes(id) ? await this.models.auth.User.findByPk(id) : null;
    if (!user) throw new AppError('USER_NOT_FOUND', { params: { id } });
    return user;
  }

  private async userIdsInScope(principal: Principal, storeId?: number, roleCode?: string): Promise<number[] | null> {
    let ids: number[] | null = null;
    const intersect = (next: number[]) => {
      ids = ids === null ? next : ids.filter((id) => next.includes(id));
    };
    if (principal.storeScope !== null || storeId) {
      const stores = principal.storeScope === null ? [storeId!] : storeId ? principal.storeScope.filter((s) => s === storeId) : principal.storeScope;
      const links = await this.models.access.UserStore.findAll({ where: { storeId: stores } });
      intersect([...new Set(links.map((l) => Number(l.userId)))]);
    }
    if (roleCode) {
      const role = await this.models.access.Role.findOne({ where: { code: roleCode } });
      const links = role ? await this.models.access.UserRole.findAll({ where: { roleId: role.id } }) : [];
      intersect(links.map((l) => Number(l.userId)));
    }
    return ids;
  }

  private async grantableRoles(principal: Principal, codes: string[]) {
    const roles = await this.models.access.Role.findAll({ where: { code: [...new Set(codes)] } });
    const missing = codes.filter((code) => !roles.some((role) => role.code === code));
    if (missing.length > 0) {
      throw new AppError('VALIDATION_FAILED', { details: { fields: missing.map(() => ({ path: 'roles', code: 'unknown_role', message: `unknown role` })) } });
    }
    const wanted = roles.flatMap((role) => JSON.parse(role.permissions) as string[]);
    if (!holdsAll(principal.permissions, wanted)) {
      const over = roles.filter((role) => !holdsAll(principal.permissions, JSON.parse(role.permissions) as string[])).map((r) => r.code);
      throw new AppError('CANNOT_GRANT', { params: { what: over.join(', ') }, details: { roles: over } });
    }
    if (principal.storeScope !== null && roles.some((role) => role.dataScope === 'all')) {
      throw new AppError('CANNOT_GRANT', { params: { what: 'all stores' }, details: { roles: roles.filter((r) => r.dataScope === 'all').map((r) => r.code) } });
    }
    return roles;
  }

  private async checkStores(principal: Principal, storeIds: number[]): Promise<void> {
    const outside = principal.storeScope === null ? [] : storeIds.filter((id) => !principal.storeScope!.includes(id));
    if (outside.length > 0) throw new AppError('CANNOT_GRANT', { params: { what: `stores ${outside.join(', ')}` }, details: { storeIds: outside } });
    const existing = await this.models.stores.Store.count({ where: { id: storeIds } });
    if (existing !== new Set(storeIds).size) {
      throw new AppError('VALIDATION_FAILED', { details: { fields: [{ path: 'storeIds', code: 'unknown_store', message: 'unknown store' }] } });
    }
  }

  private async assertManageable(principal: Principal, userId: number): Promise<void> {
    const target = await this.models.access.UserRole.findAll({ where: { userId } });
    const roles = await this.models.access.Role.findAll({ where: { id: target.map((t) => t.roleId) } });
    const theirs = roles.flatMap((role) => JSON.parse(role.permissions) as string[]);
    if (!holdsAll(principal.permissions, theirs)) {
      throw new AppError('CANNOT_GRANT', { params: { what: roles.map((r) => r.code).join(', ') }, details: { roles: roles.map((r) => r.code) } });
    }
  }

  private async assertSuperAdminRemains(transaction: Transaction): Promise<void> {
    const role = await this.models.access.Role.findOne({ where: { code: 'super_admin' }, transaction });
    if (!role) return;
    const links = await this.models.access.UserRole.findAll({ where: { roleId: role.id }, transaction });
    const active = await this.models.auth.User.count({ where: { id: links.map((l) => l.userId), status: 'active' }, transaction });
    if (active === 0) throw new AppError('LAST_SUPER_ADMIN');
  }

  private async setLinks(userId: number, roleIds: number[] | null, storeIds: number[] | null, transaction: Transaction) {
    const { UserRole, UserStore } = this.models.access;
    if (roleIds || storeIds) this.grantsChanged(userId);
    if (roleIds) {
      await UserRole.destroy({ where: { userId }, transaction });
      await UserRole.bulkCreate(roleIds.map((roleId) => ({ userId, roleId })), { transaction });
    }
    if (storeIds) {
      await UserStore.destroy({ where: { userId }, transaction });
      await UserStore.bulkCreate(storeIds.map((storeId) => ({ userId, storeId })), { transaction });
    }
  }

  private async endSessions(userId: number, reason: string, transaction: Transaction) {
    await this.models.auth.Session.update({ revokedAt: new Date(), revokedReason: reason }, { where: { userId, revokedAt: null }, transaction });
  }

  private async views(users: UserRecord[], transaction?: Transaction): Promise<StaffView[]> {
    if (users.length === 0) return [];
    const ids = users.map((u) => u.id);
    const [roleLinks, storeLinks, roles] = await Promise.all([
      this.models.access.UserRole.findAll({ where: { userId: ids }, transaction }),
      this.models.access.UserStore.findAll({ where: { userId: ids }, transaction }),
      this.models.access.Role.findAll({ transaction }),
    ]);
    const codeOf = new Map(roles.map((r) => [Number(r.id), r.code]));
    return users.map((user) => ({
      id: Number(user.id),
      username: user.username,
      displayName: user.displayName,
      status: user.status,
      roles: roleLinks.filter((l) => Number(l.userId) === Number(user.id)).map((l) => codeOf.get(Number(l.roleId))!).sort(),
      storeIds: storeLinks.filter((l) => Number(l.userId) === Number(user.id)).map((l) => Number(l.storeId)).sort((a, b) => a - b),
      lastLoginAt: user.lastLoginAt ?? null,
      mustChangePassword: Boolean(user.mustChangePassword),
      createdAt: user.createdAt,
    }));
  }
}
