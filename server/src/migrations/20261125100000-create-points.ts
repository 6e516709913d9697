import { DataTypes } from 'sequelize';
import { TABLE_OPTIONS, idColumn, refColumn, timeColumn } from '../platform/db/columns.js';
import type { Migration } from '../platform/db/migrate.js';

/**
 * Points live in lots: each earning keeps what is left of it and when that expires, and
 * spending takes the soonest-expiring lot first. The ledger has one row per change per lot,
 * with the member's balance after it; the balance may go below zero only when a refund
 * takes back earned points that were already spent (owed, paid first by later earnings).
 * Settings (points and stored value) are JSON documents by key, validated by their module.
 */
export const up: Migration = async ({ context: { queryInterface: qi, sequelize } }) => {
  const ref = (table: string, allowNull = true) =>
    refColumn(sequelize, { allowNull, references: { model: table, key: 'id' }, onDelete: 'RESTRICT' });
  await qi.createTable(
    'loyalty_settings',
    {
      key: { type: DataTypes.STRING(64), primaryKey: true, allowNull: false },
      value: { type: DataTypes.TEXT, allowNull: false },
      updated_by: ref('users'),
      updated_at: timeColumn(),
    },
    TABLE_OPTIONS,
  );
  await qi.createTable(
    'point_lots',
    {
      id: idColumn(sequelize),
      member_id: ref('members', false),
      source_type: { type: DataTypes.STRING(24), allowNull: false },
      source_id: { type: DataTypes.BIGINT, allowNull: true },
      amount: { type: DataTypes.BIGINT, allowNull: false },
      remaining: { type: DataTypes.BIGINT, allowNull: false },
      earned_at: timeColumn(),
      // Null: never expires.
      expires_at: timeColumn(true),
      expiry_notified_at: timeColumn(true),
      created_at: timeColumn(),
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('point_lots', ['member_id', 'expires_at', 'id'], { name: 'point_lots_member_expiry' });
  await qi.addIndex('point_lots', ['expires_at'], { name: 'point_lots_expires_at' });
  await qi.createTable(
    'point_ledger',
    {
      id: idColumn(sequelize),
      member_id: ref('members', false),
      lot_id: ref('point_lots'),
      kind: { type: DataTypes.STRING(24), allowNull: false },
      source_type: { type: DataTypes.STRING(24), allowNull: false },
      source_id: { type: DataTypes.BIGINT, allowNull: true },
      delta: { type: DataTypes.BIGINT, allowNull: false },
      balance_after: { type: DataTypes.BIGINT, allowNull: false },
      store_id: ref('stores'),
      operator_id: ref('users'),
      reason: { type: DataTypes.STRING(255), allowNull: true },
      created_at: timeColumn(),
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('point_ledger', ['member_id', 'id'], { name: 'point_ledger_member' });
  await qi.addIndex('point_ledger', ['source_type', 'source_id'], { name: 'point_ledger_source' });
  await qi.addIndex('point_ledger', ['member_id', 'kind', 'source_type', 'created_at'], { name: 'point_ledger_member_kind' });
};

export const down: Migration = async ({ context: { queryInterface: qi } }) => {
  await qi.dropTable('point_ledger');
  await qi.dropTable('point_lots');
  await qi.dropTable('loyalty_settings');
};
