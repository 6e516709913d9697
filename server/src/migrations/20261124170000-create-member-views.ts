import { DataTypes } from 'sequelize';
import { TABLE_OPTIONS, idColumn, refColumn, timeColumn } from '../platform/db/columns.js';
import type { Migration } from '../platform/db/migrate.js';

/** Saved member-list views: a user's named filters and sort, e.g. 本月生日的储值会员. */
export const up: Migration = async ({ context: { queryInterface: qi, sequelize } }) => {
  await qi.createTable(
    'member_views',
    {
      id: idColumn(sequelize),
      owner_user_id: refColumn(sequelize, { references: { model: 'users', key: 'id' }, onDelete: 'CASCADE' }),
      name: { type: DataTypes.STRING(64), allowNull: false },
      query: { type: DataTypes.TEXT, allowNull: false },
      created_at: timeColumn(),
      updated_at: timeColumn(),
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('member_views', ['owner_user_id', 'name'], { name: 'member_views_owner_name', unique: true });
};

export const down: Migration = async ({ context: { queryInterface: qi } }) => {
  await qi.dropTable('member_views');
};
