import { DataTypes } from 'sequelize';
import { BUILTIN_FIELD_POLICIES } from '../modules/access/field-policy/builtin-policies.js';
import { TABLE_OPTIONS, idColumn, refColumn, timeColumn } from '../platform/db/columns.js';
import type { Migration } from '../platform/db/migrate.js';

/** What each built-in role may do and see when Huiji is installed; admins change it later. */
const BUILTIN_GRANTS: Record<string, { dataScope: 'all' | 'assigned'; permissions: string[] }> = {
  super_admin: { dataScope: 'all', permissions: ['*'] },
  store_manager: {
    dataScope: 'assigned',
    permissions: [
      'system:store:view',
      'system:user:view',
      'system:user:create',
      'system:user:update',
      'system:user:reset_password',
      'system:user:revoke_session',
      'system:role:view',
    ],
  },
  cashier: { dataScope: 'assigned', permissions: ['system:store:view'] },
  auditor: {
    dataScope: 'all',
    permissions: ['audit:log:view', 'audit:log:export', 'audit:log:verify', 'system:store:view', 'system:user:view', 'system:role:view'],
  },
  it_ops: {
    dataScope: 'all',
    permissions: ['system:info:view', 'system:store:view', 'system:apikey:view', 'system:apikey:create', 'system:apikey:revoke'],
  },
};

export const up: Migration = async ({ context: { queryInterface: qi, sequelize } }) => {
  await qi.addColumn('roles', 'data_scope', { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'assigned' });
  await qi.addColumn('roles', 'field_policy', { type: DataTypes.TEXT, allowNull: true });
  for (const [code, grant] of Object.entries(BUILTIN_GRANTS)) {
    await qi.bulkUpdate(
      'roles',
      {
        data_scope: grant.dataScope,
        permissions: JSON.stringify(grant.permissions),
        field_policy: JSON.stringify(BUILTIN_FIELD_POLICIES[code as keyof typeof BUILTIN_FIELD_POLICIES]),
      },
      { code },
    );
  }

  await qi.createTable(
    'api_keys',
    {
      id: idColumn(sequelize),
      name: { type: DataTypes.STRING(64), allowNull: false },
      // Shown in lists and used to find the key; the secret itself is only kept as a hash.
      prefix: { type: DataTypes.CHAR(8), allowNull: false, unique: true },
      secret_hash: { type: DataTypes.CHAR(64), allowNull: false },
      scopes: { type: DataTypes.TEXT, allowNull: false },
      store_id: refColumn(sequelize, { allowNull: true, references: { model: 'stores', key: 'id' }, onDelete: 'RESTRICT' }),
      rate_limit_per_minute: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 600 },
      created_by: refColumn(sequelize, { references: { model: 'users', key: 'id' }, onDelete: 'RESTRICT' }),
      created_at: timeColumn(),
      expires_at: timeColumn(true),
      last_used_at: timeColumn(true),
      revoked_at: timeColumn(true),
    },
    TABLE_OPTIONS,
  );
  await qi.createTable(
    'api_key_usage',
    {
      api_key_id: refColumn(sequelize, { primaryKey: true, references: { model: 'api_keys', key: 'id' }, onDelete: 'CASCADE' }),
      window_start: { ...timeColumn(), primaryKey: true },
      requests: { type: DataTypes.INTEGER, allowNull: false },
    },
    TABLE_OPTIONS,
  );
};

export const down: Migration = async ({ context: { queryInterface: qi } }) => {
  await qi.dropTable('api_key_usage');
  await qi.dropTable('api_keys');
  await qi.removeColumn('roles', 'field_policy');
  await qi.removeColumn('roles', 'data_scope');
  await qi.bulkUpdate('roles', { permissions: JSON.stringify([]) }, { code: ['store_manager', 'cashier'] });
};
