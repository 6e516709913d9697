import { DataTypes } from 'sequelize';
import { TABLE_OPTIONS, idColumn, refColumn, timeColumn } from '../platform/db/columns.js';
import type { Migration } from '../platform/db/migrate.js';

/**
 * Coupons. A template holds the rules (kind, amounts, validity, stock and limits, where it
 * applies, how it stacks); a coupon is one issued to one member, with its own random code
 * and uses left (a punch card has N). Every state change of a coupon is an event row and
 * every use at checkout a redemption row, so a refund can give back exactly what it took.
 *
 * Issuing stays exact under concurrency without table locks: stock is a guarded
 * increment of `issued_count`, the per-day limit a guarded increment of the day's row in
 * `coupon_daily_counts`, and a retry of the same source (`source`, `source_ref`,
 * `source_seq`: the n-th coupon of that source) hits the unique index instead of issuing
 * twice. NULL source_ref (a manual issue, a claim) is never a duplicate on either database.
 *
 * `coupon_claim_codes` are the SMS codes of the self-claim page, in the shape of
 * registration_codes (blind index and HMAC only, rows double as rate-limit counters).
 */
export const up: Migration = async ({ context: { queryInterface: qi, sequelize } }) => {
  const ref = (table: string, allowNull = true) =>
    refColumn(sequelize, { allowNull, references: { model: table, key: 'id' }, onDelete: 'RESTRICT' });
  const int = (allowNull = true, defaultValue?: number) => ({ type: DataTypes.INTEGER, allowNull, ...(defaultValue === undefined ? {} : { defaultValue }) });
  const fen = (allowNull = true) => ({ type: DataTypes.BIGINT, allowNull });
  const text = (length: number, allowNull = true) => ({ type: DataTypes.STRING(length), allowNull });
  // JSON arrays; MySQL allows no default on TEXT, the model writes '[]'.
  const jsonList = () => ({ type: DataTypes.TEXT, allowNull: false });
  const bool = (defaultValue: boolean) => ({ type: DataTypes.BOOLEAN, allowNull: false, defaultValue });

  await qi.createTable(
    'coupon_templates',
    {
      id: idColumn(sequelize),
      name: text(64, false),
      kind: text(16, false),
      amount_off: fen(),
      threshold: fen(),
      discount_rate: int(),
      max_off: fen(),
      item_sku: text(64),
      item_name: text(128),
      punch_uses: int(),
      validity_type: text(16, false),
      valid_from: timeColumn(true),
      valid_until: timeColumn(true),
      valid_days: int(),
      delay_days: int(false, 0),
      stock: int(),
      issued_count: int(false, 0),
      per_member_limit: int(),
      per_day_limit: int(),
      store_ids: jsonList(),
      channels: jsonList(),
      categories: jsonList(),
      skus: jsonList(),
      stack_group: text(32),
      max_per_order: int(false, 1),
      with_tier_discount: bool(true),
      with_points: bool(true),
      claim_code: text(32),
      claim_per_member: int(),
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'draft' },
      description: text(500),
      created_by: ref('users'),
      created_at: timeColumn(),
      updated_at: timeColumn(),
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('coupon_templates', ['claim_code'], { name: 'coupon_templates_claim_code', unique: true });
  await qi.addIndex('coupon_templates', ['status', 'id'], { name: 'coupon_templates_status' });

  await qi.createTable(
    'coupons',
    {
      id: idColumn(sequelize),
      template_id: ref('coupon_templates', false),
      member_id: ref('members', false),
      code: { type: DataTypes.STRING(12), allowNull: false },
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'available' },
      uses_total: int(false, 1),
      uses_left: int(false, 1),
      valid_from: timeColumn(),
      valid_until: timeColumn(),
      source: text(16, false),
      source_ref: text(64),
      source_seq: int(false, 0),
      issued_by: ref('users'),
      store_id: ref('stores'),
      void_reason: text(255),
      created_at: timeColumn(),
      updated_at: timeColumn(),
    },
    TABLE_OPTIONS,
  );
  const couponIndexes: Array<[string, string[], boolean]> = [
    ['coupons_code', ['code'], true],
    // Also the (template, member) lookup of the per-member limit.
    ['coupons_template_member_source', ['template_id', 'member_id', 'source', 'source_ref', 'source_seq'], true],
    ['coupons_member_status', ['member_id', 'status', 'valid_until'], false],
    ['coupons_status_until', ['status', 'valid_until'], false],
    ['coupons_template_status', ['template_id', 'status'], false],
  ];
  for (const [name, fields, unique] of couponIndexes) await qi.addIndex('coupons', fields, { name, unique });

  await qi.createTable(
    'coupon_redemptions',
    {
      id: idColumn(sequelize),
      coupon_id: ref('coupons', false),
      order_id: ref('orders', false),
      member_id: ref('members', false),
      store_id: ref('stores', false),
      line_no: int(true),
      uses: int(false, 1),
      amount: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'applied' },
      returned_refund_id: ref('order_refunds'),
      created_at: timeColumn(),
      returned_at: timeColumn(true),
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('coupon_redemptions', ['order_id'], { name: 'coupon_redemptions_order' });
  await qi.addIndex('coupon_redemptions', ['coupon_id', 'id'], { name: 'coupon_redemptions_coupon' });
  await qi.addIndex('coupon_redemptions', ['store_id', 'created_at'], { name: 'coupon_redemptions_store_created' });
  await qi.addIndex('coupon_redemptions', ['created_at', 'id'], { name: 'coupon_redemptions_created' });

  await qi.createTable(
    'coupon_events',
    {
      id: idColumn(sequelize),
      coupon_id: ref('coupons', false),
      type: text(24, false),
      order_id: ref('orders'),
      refund_id: ref('order_refunds'),
      operator_id: ref('users'),
      reason: text(255),
      at: timeColumn(),
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('coupon_events', ['coupon_id', 'id'], { name: 'coupon_events_coupon' });

  await qi.createTable(
    'coupon_daily_counts',
    {
      template_id: { ...ref('coupon_templates', false), primaryKey: true },
      // The business day, YYYY-MM-DD in the business time zone.
      day: { type: DataTypes.STRING(10), allowNull: false, primaryKey: true },
      issued: int(false, 0),
    },
    TABLE_OPTIONS,
  );

  await qi.createTable(
    'coupon_batches',
    {
      id: idColumn(sequelize),
      template_id: ref('coupon_templates', false),
      target: { type: DataTypes.TEXT('medium'), allowNull: false },
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'queued' },
      matched: int(false, 0),
      issued: int(false, 0),
      // JSON counts by reason.
      skipped: { type: DataTypes.TEXT, allowNull: true },
      task_id: ref('job_tasks'),
      created_by: ref('users'),
      created_at: timeColumn(),
      finished_at: timeColumn(true),
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('coupon_batches', ['template_id', 'id'], { name: 'coupon_batches_template' });

  await qi.createTable(
    'coupon_claim_codes',
    {
      id: idColumn(sequelize),
      template_id: ref('coupon_templates', false),
      phone_bidx: { type: DataTypes.CHAR(64), allowNull: false },
      code_hash: { type: DataTypes.CHAR(64), allowNull: false },
      attempts: int(false, 0),
      expires_at: timeColumn(),
      used_at: timeColumn(true),
      ip: text(45),
      created_at: timeColumn(),
    },
    TABLE_OPTIONS,
  );
  const claimIndexes: Array<[string, string[]]> = [
    ['coupon_claim_codes_phone', ['phone_bidx', 'created_at']],
    ['coupon_claim_codes_ip', ['ip', 'created_at']],
    ['coupon_claim_codes_template', ['template_id', 'created_at']],
  ];
  for (const [name, fields] of claimIndexes) await qi.addIndex('coupon_claim_codes', fields, { name });
};

export const down: Migration = async ({ context: { queryInterface: qi } }) => {
  for (const table of ['coupon_claim_codes', 'coupon_batches', 'coupon_daily_counts', 'coupon_events', 'coupon_redemptions', 'coupons', 'coupon_templates']) {
    await qi.dropTable(table);
  }
};
