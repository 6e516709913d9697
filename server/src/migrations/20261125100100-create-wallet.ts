import { DataTypes } from 'sequelize';
import { TABLE_OPTIONS, idColumn, refColumn, timeColumn } from '../platform/db/columns.js';
import type { Migration } from '../platform/db/migrate.js';

/**
 * Stored value (储值). Every top-up is a lot with two buckets, principal (money paid) and
 * bonus (given), each with what is left of it, for the whole life of the money: a spend
 * says which top-ups and buckets it took, a refund puts it back there, and a top-up refund
 * returns only its own unspent principal. The ledger names the top-up and the store that
 * sold it (whose liability it is) beside the store where it happened. The member row keeps
 * the cached totals and the optional payment PIN.
 */
export const up: Migration = async ({ context: { queryInterface: qi, sequelize } }) => {
  const ref = (table: string, allowNull = true) =>
    refColumn(sequelize, { allowNull, references: { model: table, key: 'id' }, onDelete: 'RESTRICT' });
  const money = () => ({ type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 });
  await qi.addColumn('members', 'wallet_principal', money());
  await qi.addColumn('members', 'wallet_bonus', money());
  await qi.addColumn('members', 'wallet_pin_hash', { type: DataTypes.STRING(255), allowNull: true });
  await qi.addColumn('members', 'wallet_pin_failures', { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 });
  await qi.addColumn('members', 'wallet_pin_locked_until', timeColumn(true));
  await qi.createTable(
    'wallet_plans',
    {
      id: idColumn(sequelize),
      name: { type: DataTypes.STRING(64), allowNull: false },
      amount: { type: DataTypes.BIGINT, allowNull: false },
      bonus: money(),
      points: money(),
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'active' },
      sort_order: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      created_at: timeColumn(),
      updated_at: timeColumn(),
    },
    TABLE_OPTIONS,
  );
  await qi.createTable(
    'wallet_topups',
    {
      id: idColumn(sequelize),
      topup_no: { type: DataTypes.STRING(32), allowNull: false, unique: true },
      member_id: ref('members', false),
      store_id: ref('stores', false),
      plan_id: ref('wallet_plans'),
      pay_method: { type: DataTypes.STRING(16), allowNull: false },
      principal: { type: DataTypes.BIGINT, allowNull: false },
      bonus: money(),
      points: money(),
      principal_remaining: { type: DataTypes.BIGINT, allowNull: false },
      bonus_remaining: { type: DataTypes.BIGINT, allowNull: false },
      refunded_principal: money(),
      voided_bonus: money(),
      status: { type: DataTypes.STRING(24), allowNull: false, defaultValue: 'active' }, // 'partially_refunded' is 18
      operator_id: ref('users'),
      created_at: timeColumn(),
      updated_at: timeColumn(),
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('wallet_topups', ['member_id', 'id'], { name: 'wallet_topups_member' });
  await qi.createTable(
    'wallet_ledger',
    {
      id: idColumn(sequelize),
      member_id: ref('members', false),
      topup_id: ref('wallet_topups', false),
      // The store that sold the top-up: the liability is its until spent.
      topup_store_id: ref('stores', false),
      store_id: ref('stores', false),
      kind: { type: DataTypes.STRING(24), allowNull: false },
      source_type: { type: DataTypes.STRING(24), allowNull: false },
      source_id: { type: DataTypes.BIGINT, allowNull: true },
      principal_delta: { type: DataTypes.BIGINT, allowNull: false },
      bonus_delta: { type: DataTypes.BIGINT, allowNull: false },
      principal_after: { type: DataTypes.BIGINT, allowNull: false },
      bonus_after: { type: DataTypes.BIGINT, allowNull: false },
      operator_id: ref('users'),
      reason: { type: DataTypes.STRING(255), allowNull: true },
      created_at: timeColumn(),
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('wallet_ledger', ['member_id', 'id'], { name: 'wallet_ledger_member' });
  await qi.addIndex('wallet_ledger', ['source_type', 'source_id'], { name: 'wallet_ledger_source' });
  await qi.addIndex('wallet_ledger', ['topup_store_id', 'created_at'], { name: 'wallet_ledger_liability' });
};

export const down: Migration = async ({ context: { queryInterface: qi } }) => {
  await qi.dropTable('wallet_ledger');
  await qi.dropTable('wallet_topups');
  await qi.dropTable('wallet_plans');
  for (const column of ['wallet_pin_locked_until', 'wallet_pin_failures', 'wallet_pin_hash', 'wallet_bonus', 'wallet_principal']) {
    await qi.removeColumn('members', column);
  }
};
