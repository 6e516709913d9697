import { DataTypes } from 'sequelize';
import { TABLE_OPTIONS, idColumn, refColumn, timeColumn } from '../platform/db/columns.js';
import type { Migration } from '../platform/db/migrate.js';

/**
 * Custom member fields. `member_fields` holds each definition as JSON (the form engine's
 * CustomFieldDefinition); members keep their values in `members.custom`. Values of
 * searchable and unique fields are copied to `member_custom_values`, one row per value
 * (a multi-select has several), which the list filters join and whose unique index on
 * (unique_key, value) keeps unique fields unique: `unique_key` is the field key for unique
 * fields and NULL otherwise, and NULLs never collide on either database.
 */
export const up: Migration = async ({ context: { queryInterface: qi, sequelize } }) => {
  await qi.createTable(
    'member_fields',
    {
      id: idColumn(sequelize),
      field_key: { type: DataTypes.STRING(64), allowNull: false, unique: true },
      definition: { type: DataTypes.TEXT, allowNull: false },
      retired: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      created_at: timeColumn(),
      updated_at: timeColumn(),
    },
    TABLE_OPTIONS,
  );
  await qi.createTable(
    'member_custom_values',
    {
      id: idColumn(sequelize),
      member_id: refColumn(sequelize, { references: { model: 'members', key: 'id' }, onDelete: 'CASCADE' }),
      field_key: { type: DataTypes.STRING(64), allowNull: false },
      value: { type: DataTypes.STRING(255), allowNull: false },
      unique_key: { type: DataTypes.STRING(64), allowNull: true },
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('member_custom_values', ['field_key', 'value', 'member_id'], { name: 'member_custom_values_lookup' });
  await qi.addIndex('member_custom_values', ['unique_key', 'value'], { name: 'member_custom_values_unique', unique: true });
  await qi.addIndex('member_custom_values', ['member_id'], { name: 'member_custom_values_member_id' });
};

export const down: Migration = async ({ context: { queryInterface: qi } }) => {
  await qi.dropTable('member_custom_values');
  await qi.dropTable('member_fields');
};
