import { DataTypes } from 'sequelize';
import { TABLE_OPTIONS, idColumn, refColumn, timeColumn } from '../platform/db/columns.js';
import type { Migration } from '../platform/db/migrate.js';

/**
 * Orders (消费记录) are never edited after checkout except for what refunds add up
 * (refunded amounts and the status). Each discount step and each payment is split across
 * the lines, so a refund of some lines or of an amount reverses exactly its share.
 * An external number is unique per source system (a POS may send the same sale twice).
 */
export const up: Migration = async ({ context: { queryInterface: qi, sequelize } }) => {
  const ref = (table: string, allowNull = true) =>
    refColumn(sequelize, { allowNull, references: { model: table, key: 'id' }, onDelete: 'RESTRICT' });
  const money = () => ({ type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 });
  await qi.createTable(
    'orders',
    {
      id: idColumn(sequelize),
      order_no: { type: DataTypes.STRING(32), allowNull: false, unique: true },
      source: { type: DataTypes.STRING(32), allowNull: true },
      external_no: { type: DataTypes.STRING(64), allowNull: true },
      member_id: ref('members'),
      store_id: ref('stores', false),
      channel: { type: DataTypes.STRING(32), allowNull: true },
      cashier_id: ref('users'),
      api_key_id: { type: DataTypes.BIGINT, allowNull: true },
      salesperson_id: ref('users'),
      occurred_at: timeColumn(),
      amount: money(),
      discount: money(),
      payable: money(),
      points_used: money(),
      points_earned: money(),
      refunded_amount: money(),
      status: { type: DataTypes.STRING(24), allowNull: false, defaultValue: 'completed' },
      note: { type: DataTypes.STRING(255), allowNull: true },
      created_at: timeColumn(),
      updated_at: timeColumn(),
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('orders', ['source', 'external_no'], { name: 'orders_source_external_no', unique: true });
  await qi.addIndex('orders', ['store_id', 'occurred_at', 'id'], { name: 'orders_store_occurred' });
  await qi.addIndex('orders', ['member_id', 'occurred_at', 'id'], { name: 'orders_member_occurred' });
  await qi.addIndex('orders', ['occurred_at', 'id'], { name: 'orders_occurred' });
  await qi.createTable(
    'order_items',
    {
      id: idColumn(sequelize),
      order_id: ref('orders', false),
      line_no: { type: DataTypes.INTEGER, allowNull: false },
      sku: { type: DataTypes.STRING(64), allowNull: false },
      name: { type: DataTypes.STRING(128), allowNull: false },
      category: { type: DataTypes.STRING(64), allowNull: true },
      quantity: { type: DataTypes.INTEGER, allowNull: false },
      unit_price: { type: DataTypes.BIGINT, allowNull: false },
      amount: { type: DataTypes.BIGINT, allowNull: false },
      discount: money(),
      payable: { type: DataTypes.BIGINT, allowNull: false },
      refunded_quantity: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      refunded_amount: money(),
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('order_items', ['order_id', 'line_no'], { name: 'order_items_order_line', unique: true });
  await qi.createTable(
    'order_discounts',
    {
      id: idColumn(sequelize),
      order_id: ref('orders', false),
      step: { type: DataTypes.STRING(24), allowNull: false },
      reference: { type: DataTypes.STRING(64), allowNull: true },
      label: { type: DataTypes.STRING(128), allowNull: false },
      amount: { type: DataTypes.BIGINT, allowNull: false },
      // JSON: the amount of this step on each line, by line number.
      lines: { type: DataTypes.TEXT, allowNull: false },
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('order_discounts', ['order_id'], { name: 'order_discounts_order' });
  await qi.createTable(
    'order_payments',
    {
      id: idColumn(sequelize),
      order_id: ref('orders', false),
      method: { type: DataTypes.STRING(16), allowNull: false },
      amount: { type: DataTypes.BIGINT, allowNull: false },
      points: money(),
      principal: money(),
      bonus: money(),
      refunded_amount: money(),
      refunded_points: money(),
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('order_payments', ['order_id'], { name: 'order_payments_order' });
  await qi.createTable(
    'order_refunds',
    {
      id: idColumn(sequelize),
      refund_no: { type: DataTypes.STRING(32), allowNull: false, unique: true },
      order_id: ref('orders', false),
      amount: { type: DataTypes.BIGINT, allowNull: false },
      // JSON: [{lineNo, quantity, amount}] when lines were returned.
      lines: { type: DataTypes.TEXT, allowNull: true },
      // JSON: [{method, amount, points?}] what went back by each payment method.
      payments: { type: DataTypes.TEXT, allowNull: false },
      points_returned: money(),
      points_reversed: money(),
      reason: { type: DataTypes.STRING(255), allowNull: true },
      operator_id: ref('users'),
      api_key_id: { type: DataTypes.BIGINT, allowNull: true },
      created_at: timeColumn(),
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('order_refunds', ['order_id'], { name: 'order_refunds_order' });
};

export const down: Migration = async ({ context: { queryInterface: qi } }) => {
  for (const table of ['order_refunds', 'order_payments', 'order_discounts', 'order_items', 'orders']) await qi.dropTable(table);
};
