import type { Transaction } from 'sequelize';
import { afterCommit } from '../../platform/db/transaction.js';
import type { RoleFieldPolicy } from './field-policy/index.js';
import type { AccessModels } from './models.js';

export interface Grants {
  roles: string[];
  permissions: Set<string>;
  storeScope: number[] | null;
  ownMembersOnly: boolean;
  fieldPolicies: RoleFieldPolicy[];
}

/**
 * How long a user's grants are reused across requests. Every authenticated request needs
 * them, and reading them is three queries; a role or store assignment changed on this
 * node is seen at once (the writers call `forget`), on another node within this time.
 */
export const GRANTS_CACHE_MS = 2000;

export class AccessService {
  private readonly cache = new Map<number, { until: number; grants: Promise<Grants> }>();

  constructor(private readonly models: AccessModels) {}

  /** Drops cached grants, of one user or all, now and again once the caller's transaction commits. */
  forget(userId?: number): void {
    const drop = () => (userId === undefined ? this.cache.clear() : this.cache.delete(userId));
    drop();
    afterCommit(drop);
  }

  /**
   * What a user may do and reach, from all their roles: permissions are unioned, data
   * scopes are unioned (any all-stores role means every store), field policies combine
   * to the most permissive (see field-policy/resolve.ts).
   */
  async grantsOf(userId: number, transaction?: Transaction): Promise<Grants> {
    if (transaction) return this.readGrants(userId, transaction);
    const now = Date.now();
    const hit = this.cache.get(userId);
    if (hit && hit.until > now) return hit.grants;
    const grants = this.readGrants(userId);
    this.cache.set(userId, { until: now + GRANTS_CACHE_MS, grants });
    grants.catch(() => this.cache.delete(userId));
    if (this.cache.size > 10_000) this.cache.delete(this.cache.keys().next().value!);
    return grants;
  }

  private async readGrants(userId: number, transaction?: Transaction): Promise<Grants> {
    const links = await this.models.UserRole.findAll({ where: { userId }, transaction });
    const roles = links.length
      ? await this.models.Role.findAll({ where: { id: links.map((link) => link.roleId) }, transaction })
      : [];
    const scopes = new Set(roles.map((role) => role.dataScope));
    const storeScope = scopes.has('all')
      ? null
      : (await this.models.UserStore.findAll({ where: { userId }, transaction })).map((link) => Number(link.storeId)).sort((a, b) => a - b);
    return {
      roles: roles.map((role) => role.code).sort(),
      permissions: new Set(roles.flatMap((role) => JSON.parse(role.permissions) as string[])),
      storeScope,
      ownMembersOnly: roles.length > 0 && [...scopes].every((scope) => scope === 'own'),
      fieldPolicies: roles.map((role) => (role.fieldPolicy ? (JSON.parse(role.fieldPolicy) as RoleFieldPolicy) : {})),
    };
  }

  async permissionsOf(userId: number, transaction?: Transaction): Promise<Set<string>> {
    return (await this.grantsOf(userId, transaction)).permissions;
  }

  async assignRole(userId: number, roleCode: string, transaction?: Transaction): Promise<void> {
    const role = await this.models.Role.findOne({ where: { code: roleCode }, transaction });
    if (!role) throw new Error(`Unknown role ${roleCode}`);
    await this.models.UserRole.findOrCreate({ where: { userId, roleId: role.id }, transaction });
    this.forget(userId);
  }
}
