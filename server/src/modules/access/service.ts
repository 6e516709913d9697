import type { Transaction } from 'sequelize';
import type { AccessModels } from './models.js';

export class AccessService {
  constructor(private readonly models: AccessModels) {}

  /** The union of the permissions of every role the user holds. */
  async permissionsOf(userId: number, transaction?: Transaction): Promise<Set<string>> {
    const links = await this.models.UserRole.findAll({ where: { userId }, transaction });
    if (links.length === 0) return new Set();
    const roles = await this.models.Role.findAll({ where: { id: links.map((link) => link.roleId) }, transaction });
    return new Set(roles.flatMap((role) => JSON.parse(role.permissions) as string[]));
  }

  async assignRole(userId: number, roleCode: string, transaction?: Transaction): Promise<void> {
    const role = await this.models.Role.findOne({ where: { code: roleCode }, transaction });
    if (!role) throw new Error(`Unknown role ${roleCode}`);
    await this.models.UserRole.findOrCreate({ where: { userId, roleId: role.id }, transaction });
  }
}
