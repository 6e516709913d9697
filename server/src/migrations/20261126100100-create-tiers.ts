import { DataTypes } from 'sequelize';
import { TABLE_OPTIONS, idColumn, refColumn, timeColumn } from '../platform/db/columns.js';
import type { Migration } from '../platform/db/migrate.js';

/**
 * Member tiers. `tiers` holds the levels (1 = base, ascending) with their thresholds and
 * benefits; a level removed by a rule change is retired, never deleted, because history
 * rows name it. `member_tiers` is each placed member's current tier and its clock (since,
 * the review date, a manual tier's expiry, the warning sent); a member without a row is at
 * the base level. `members.tier_id` mirrors `member_tiers.tier_id` for the member list's
 * filter. `tier_history` is append-only: every change with its reason and the numbers
 * behind it. The rules (basis, window, retention period...) live in `loyalty_settings`
 * under the key `tiers`. A base level ships so a fresh install has one.
 */
export const up: Migration = async ({ context: { queryInterface: qi, sequelize } }) => {
  const ref = (table: string, allowNull = true) =>
    refColumn(sequelize, { allowNull, references: { model: table, key: 'id' }, onDelete: 'RESTRICT' });
  await qi.createTable(
    'tiers',
    {
      id: idColumn(sequelize),
      level: { type: DataTypes.INTEGER, allowNull: false },
      name: { type: DataTypes.STRING(32), allowNull: false },
      // In the basis's unit: fen for spend, points, or growth value.
      entry_threshold: { type: DataTypes.BIGINT, allowNull: false },
      // Null: kept for life once reached.
      retention_threshold: { type: DataTypes.BIGINT, allowNull: true },
      // Percent of the price paid: 100 = none, 95 = 9.5折.
      discount_rate: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 100 },
      // 150 = points earned ×1.5.
      points_multiplier_pct: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 100 },
      // Coupon templates are the coupons module's; tiers only name them.
      birthday_template_id: { type: DataTypes.BIGINT, allowNull: true },
      monthly_template_id: { type: DataTypes.BIGINT, allowNull: true },
      perks: { type: DataTypes.STRING(500), allowNull: true },
      color: { type: DataTypes.STRING(16), allowNull: true },
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'active' },
      created_at: timeColumn(),
      updated_at: timeColumn(),
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('tiers', ['status', 'level'], { name: 'tiers_status_level' });
  await qi.createTable(
    'member_tiers',
    {
      member_id: { ...ref('members', false), primaryKey: true },
      tier_id: ref('tiers', false),
      since: timeColumn(),
      // End of the current retention period; null when the tier is kept for life (or the base).
      review_at: timeColumn(true),
      renewed_at: timeColumn(true),
      manual: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      // A manual tier lasts until then; null: until changed again.
      manual_until: timeColumn(true),
      manual_reason: { type: DataTypes.STRING(200), allowNull: true },
      warned_at: timeColumn(true),
      updated_at: timeColumn(),
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('member_tiers', ['review_at'], { name: 'member_tiers_review_at' });
  await qi.addIndex('member_tiers', ['manual_until'], { name: 'member_tiers_manual_until' });
  await qi.addIndex('member_tiers', ['tier_id'], { name: 'member_tiers_tier' });
  await qi.createTable(
    'tier_history',
    {
      id: idColumn(sequelize),
      member_id: ref('members', false),
      from_tier_id: ref('tiers'),
      to_tier_id: ref('tiers', false),
      direction: { type: DataTypes.STRING(16), allowNull: false },
      reason: { type: DataTypes.STRING(24), allowNull: false },
      order_id: ref('orders'),
      basis: { type: DataTypes.STRING(16), allowNull: true },
      metric: { type: DataTypes.BIGINT, allowNull: true },
      threshold: { type: DataTypes.BIGINT, allowNull: true },
      window_from: timeColumn(true),
      window_to: timeColumn(true),
      operator_id: ref('users'),
      note: { type: DataTypes.STRING(255), allowNull: true },
      at: timeColumn(),
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('tier_history', ['member_id', 'id'], { name: 'tier_history_member' });
  await qi.addIndex('tier_history', ['order_id'], { name: 'tier_history_order' });
  // The member list filters by tier.
  await qi.addIndex('members', ['tier_id', 'id'], { name: 'members_tier_id' });
  const now = new Date();
  await qi.bulkInsert('tiers', [
    { level: 1, name: '普通会员', entry_threshold: 0, retention_threshold: null, discount_rate: 100, points_multiplier_pct: 100, status: 'active', color: '#8c939d', created_at: now, updated_at: now },
  ]);
};

export const down: Migration = async ({ context: { queryInterface: qi } }) => {
  await qi.removeIndex('members', 'members_tier_id');
  await qi.dropTable('tier_history');
  await qi.dropTable('member_tiers');
  await qi.dropTable('tiers');
};
