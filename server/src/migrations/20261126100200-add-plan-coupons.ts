import { DataTypes } from 'sequelize';
import { refColumn } from '../platform/db/columns.js';
import type { Migration } from '../platform/db/migrate.js';

/**
 * A top-up plan may give coupons (充 1,000 送 2 张 50 元券): the template and how many a
 * top-up on the plan issues, in the top-up's transaction (source `topup`, source_ref the
 * top-up's id). A plan without them has a null template and a count of 0.
 */
export const up: Migration = async ({ context: { queryInterface: qi, sequelize } }) => {
  await qi.addColumn('wallet_plans', 'coupon_template_id', refColumn(sequelize, { allowNull: true, references: { model: 'coupon_templates', key: 'id' }, onDelete: 'RESTRICT' }));
  await qi.addColumn('wallet_plans', 'coupon_count', { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 });
};

export const down: Migration = async ({ context: { queryInterface: qi } }) => {
  await qi.removeColumn('wallet_plans', 'coupon_count');
  await qi.removeColumn('wallet_plans', 'coupon_template_id');
};
