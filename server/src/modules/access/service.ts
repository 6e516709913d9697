import type { Transaction } from 'sequelize';
import type { AccessModels } from './models.js';

export class AccessService {
  constructor(private readonly models: AccessModels) {}

  /** The user's role codes and the union of their permissions. */
  async grantsOf(userId: number, transaction?: Transaction): Promise<{ roles: string[]; permissions: Set<string> }> {
    const links = await this.models.UserRole.findAll({ where: { userId }, transaction });
    if (links.length === 0) return { roles: [], permissions: new Set() };
    const roles = await this.models.Role.findAll({ where: { id: links.map((link) => link.roleId) }, transaction });
    return {
      roles: roles.map((role) => role.code).sort(),
      permissions: new Set(roles.flatMap((role) => JSON.parse(role.permissions) as string[])),
    };
  }

  async permissionsOf(userId: number, transaction?: Transaction): Promise<Set<string>> {
    return (await this.grantsOf(userId, transaction)).permissions;
  }

  async assignRole(userId: number, roleCode: string, transaction?: Transaction): Promise<void> {
    const role = await this.models.Role.findOne({ where: { code: roleCode }, transaction });
    if (!role) throw new Error(`Unknown role ${roleCode}`);
    await this.models.UserRole.findOrCreate({ where: { userId, roleId: role.id }, transaction });
  }
}
