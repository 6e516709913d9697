import { DataTypes } from 'sequelize';
import { TABLE_OPTIONS, idColumn, refColumn, timeColumn } from '../platform/db/columns.js';
import type { Migration } from '../platform/db/migrate.js';

export const up: Migration = async ({ context: { queryInterface: qi, sequelize } }) => {
  await qi.createTable(
    'stores',
    {
      id: idColumn(sequelize),
      code: { type: DataTypes.STRING(32), allowNull: false, unique: true },
      name: { type: DataTypes.STRING(64), allowNull: false },
      region: { type: DataTypes.STRING(64), allowNull: true },
      address: { type: DataTypes.STRING(255), allowNull: true },
      phone: { type: DataTypes.STRING(32), allowNull: true },
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'open' },
      created_at: timeColumn(),
      updated_at: timeColumn(),
    },
    TABLE_OPTIONS,
  );
  await qi.createTable(
    'user_stores',
    {
      user_id: refColumn(sequelize, { primaryKey: true, references: { model: 'users', key: 'id' }, onDelete: 'CASCADE' }),
      store_id: refColumn(sequelize, { primaryKey: true, references: { model: 'stores', key: 'id' }, onDelete: 'RESTRICT' }),
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('user_stores', ['store_id'], { name: 'user_stores_store_id' });
};

export const down: Migration = async ({ context: { queryInterface: qi } }) => {
  await qi.dropTable('user_stores');
  await qi.dropTable('stores');
};
