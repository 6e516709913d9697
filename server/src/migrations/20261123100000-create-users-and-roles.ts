import { DataTypes } from 'sequelize';
import { TABLE_OPTIONS, idColumn, refColumn, timeColumn } from '../platform/db/columns.js';
import type { Migration } from '../platform/db/migrate.js';

export const up: Migration = async ({ context: { queryInterface: qi, sequelize } }) => {
  await qi.createTable(
    'users',
    {
      id: idColumn(sequelize),
      username: { type: DataTypes.STRING(64), allowNull: false, unique: true },
      display_name: { type: DataTypes.STRING(64), allowNull: false },
      password_hash: { type: DataTypes.STRING(255), allowNull: false },
      must_change_password: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'active' },
      locale: { type: DataTypes.STRING(8), allowNull: false, defaultValue: 'zh-CN' },
      password_changed_at: timeColumn(true),
      last_login_at: timeColumn(true),
      last_login_ip: { type: DataTypes.STRING(45), allowNull: true },
      created_at: timeColumn(),
      updated_at: timeColumn(),
    },
    TABLE_OPTIONS,
  );
  await qi.createTable(
    'roles',
    {
      id: idColumn(sequelize),
      code: { type: DataTypes.STRING(64), allowNull: false, unique: true },
      name_zh: { type: DataTypes.STRING(64), allowNull: false },
      name_en: { type: DataTypes.STRING(64), allowNull: false },
      builtin: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      permissions: { type: DataTypes.TEXT, allowNull: false },
      created_at: timeColumn(),
      updated_at: timeColumn(),
    },
    TABLE_OPTIONS,
  );
  await qi.createTable(
    'user_roles',
    {
      user_id: refColumn(sequelize, { primaryKey: true, references: { model: 'users', key: 'id' }, onDelete: 'CASCADE' }),
      role_id: refColumn(sequelize, { primaryKey: true, references: { model: 'roles', key: 'id' }, onDelete: 'RESTRICT' }),
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('user_roles', ['role_id'], { name: 'user_roles_role_id' });
};

export const down: Migration = async ({ context: { queryInterface: qi } }) => {
  await qi.dropTable('user_roles');
  await qi.dropTable('roles');
  await qi.dropTable('users');
};
