import { UniqueConstraintError, type Sequelize } from 'sequelize';
import { withTransaction } from '../../platform/db/transaction.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { Principal } from '../../platform/http/route.js';
import { changedFields } from '../audit/changes.js';
import type { AuditService } from '../audit/service.js';
import type { FieldRegistry, RoleFieldPolicy } from './field-policy/index.js';
import type { AccessModels, DataScope, RoleRecord } from './models.js';
import { ALL_PERMISSIONS, holdsAll, isKnownPermission } from './permissions.js';

export interface RoleInput {
  code: string;
  nameZh: string;
  nameEn: string;
  permissions: string[];
  dataScope: DataScope;
  fieldPolicy: RoleFieldPolicy;
}

export interface RoleView extends Omit<RoleInput, 'fieldPolicy'> {
  id: number;
  builtin: boolean;
  fieldPolicy: RoleFieldPolicy;
  userCount: number;
}

const SUPER_ADMIN = 'super_admin';

export class RoleService {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly models: AccessModels,
    private readonly registry: FieldRegistry,
    private readonly audit: AuditService,
    /** Users' cached grants are stale once a role changes. */
    private readonly grantsChanged: () => void = () => {},
  ) {}

  async list(): Promise<RoleView[]> {
    const [roles, links] = await Promise.all([
      this.models.Role.findAll({ order: [['builtin', 'DESC'], ['id', 'ASC']] }),
      this.models.UserRole.findAll(),
    ]);
    const counts = new Map<number, number>();
    for (const link of links) counts.set(Number(link.roleId), (counts.get(Number(link.roleId)) ?? 0) + 1);
    return roles.map((role) => view(role, counts.get(Number(role.id)) ?? 0));
  }

  async create(principal: Principal, input: RoleInput): Promise<RoleView> {
    this.check(principal, input.permissions, input.fieldPolicy);
    try {
      return await withTransaction(this.sequelize, async (transaction) => {
        const role = await this.models.Role.create(
          {
            code: input.code,
            nameZh: input.nameZh,
            nameEn: input.nameEn,
            builtin: false,
            permissions: JSON.stringify([...new Set(input.permissions)].sort()),
            dataScope: input.dataScope,
            fieldPolicy: JSON.stringify(input.fieldPolicy),
          },
          { transaction },
        );
        const created = view(role, 0);
        await this.audit.record({
          action: 'role.create',
          entityType: 'role',
          entityId: role.id,
          summary: `新建角色 ${role.code} ${role.nameZh}`,
          diff: changedFields(null, created, ['code', 'nameZh', 'nameEn', 'permissions', 'dataScope', 'fieldPolicy']),
        });
        return created;
      });
    } catch (error) {
      if (error instanceof UniqueConstraintError) throw new AppError('ROLE_CODE_TAKEN', { params: { code: input.code } });
      throw error;
    }
  }

  async update(principal: Principal, id: number, patch: Partial<Omit<RoleInput, 'code'>>): Promise<RoleView> {
    return withTransaction(this.sequelize, async (transaction) => {
      const role = await this.models.Role.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE });
      if (!role) throw new AppError('ROLE_NOT_FOUND', { params: { id } });
      const before = view(role, 0);
      if (role.code === SUPER_ADMIN) {
        const keepsAll = patch.permissions === undefined || (patch.permissions.length === 1 && patch.permissions[0] === ALL_PERMISSIONS);
        if (!keepsAll || (patch.dataScope !== undefined && patch.dataScope !== 'all')) throw new AppError('SUPER_ADMIN_FIXED');
      }
      this.check(principal, patch.permissions ?? [], patch.fieldPolicy ?? {});
      this.grantsChanged();
      await role.update(
        {
          ...(patch.nameZh !== undefined ? { nameZh: patch.nameZh } : {}),
          ...(patch.nameEn !== undefined ? { nameEn: patch.nameEn } : {}),
          ...(patch.permissions !== undefined ? { permissions: JSON.stringify([...new Set(patch.permissions)].sort()) } : {}),
          ...(patch.dataScope !== undefined ? { dataScope: patch.dataScope } : {}),
          ...(patch.fieldPolicy !== undefined ? { fieldPolicy: JSON.stringify(patch.fieldPolicy) } : {}),
        },
        { transaction },
      );
      const userCount = await this.models.UserRole.count({ where: { roleId: role.id }, transaction });
      const after = view(role, userCount);
      const diff = changedFields(before, after, ['nameZh', 'nameEn', 'permissions', 'dataScope', 'fieldPolicy']);
      if (diff.length > 0) {
        await this.audit.record({
          action: 'role.update',
          entityType: 'role',
          entityId: role.id,
          summary: `修改角色 ${role.code}：${diff.map((d) => d.field).join('、')}`,
          diff,
        });
      }
      return after;
    });
  }

  async remove(id: number): Promise<void> {
    await withTransaction(this.sequelize, async (transaction) => {
      const role = await this.models.Role.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE });
      if (!role) throw new AppError('ROLE_NOT_FOUND', { params: { id } });
      if (role.builtin) throw new AppError('ROLE_BUILTIN');
      const count = await this.models.UserRole.count({ where: { roleId: role.id }, transaction });
      if (count > 0) throw new AppError('ROLE_IN_USE', { params: { count } });
      this.grantsChanged();
      await role.destroy({ transaction });
      await this.audit.record({
        action: 'role.delete',
        entityType: 'role',
        entityId: role.id,
        summary: `删除角色 ${role.code} ${role.nameZh}`,
        diff: changedFields(view(role, 0), null, ['code', 'permissions', 'dataScope']),
      });
    });
  }

  /** No one grants more than they hold; codes and field keys must exist. */
  private check(principal: Principal, permissions: string[], fieldPolicy: RoleFieldPolicy): void {
    const unknown = permissions.filter((code) => code !== ALL_PERMISSIONS && !isKnownPermission(code));
    if (unknown.length > 0) throw new AppError('UNKNOWN_PERMISSION', { params: { codes: unknown.join(', ') }, details: { codes: unknown } });
    if (!holdsAll(principal.permissions, permissions)) {
      const missing = permissions.filter((code) => !principal.permissions.has(code));
      throw new AppError('CANNOT_GRANT', { params: { what: missing.join(', ') }, details: { permissions: missing } });
    }
    const keys = [
      ...Object.keys(fieldPolicy.fields ?? {}),
      ...Object.keys(fieldPolicy.masks ?? {}),
      ...(fieldPolicy.createFields ?? []),
    ];
    const unknownKeys = keys.filter((key) => !key.endsWith('.custom.*')).filter((key) => {
      const dot = key.indexOf('.');
      return !this.registry.field(key.slice(0, dot), key.slice(dot + 1));
    });
    if (unknownKeys.length > 0) {
      throw new AppError('UNKNOWN_FIELD_POLICY', { params: { keys: unknownKeys.join(', ') }, details: { keys: unknownKeys } });
    }
  }
}

function view(role: RoleRecord, userCount: number): RoleView {
  return {
    id: Number(role.id),
    code: role.code,
    nameZh: role.nameZh,
    nameEn: role.nameEn,
    builtin: Boolean(role.builtin),
    permissions: JSON.parse(role.permissions) as string[],
    dataScope: role.dataScope,
    fieldPolicy: role.fieldPolicy ? (JSON.parse(role.fieldPolicy) as RoleFieldPolicy) : {},
    userCount,
  };
}
