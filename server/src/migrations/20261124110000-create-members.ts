import { DataTypes } from 'sequelize';
import { TABLE_OPTIONS, idColumn, refColumn, timeColumn } from '../platform/db/columns.js';
import type { Migration } from '../platform/db/migrate.js';
import { changeRoleGrants, grant, revoke } from '../platform/db/role-grants.js';

/** What the built-in roles may do with members when they arrive; admins change it later. */
const MEMBER_GRANTS: Record<string, string[]> = {
  store_manager: [
    'member:member:view',
    'member:member:create',
    'member:member:update',
    'member:member:freeze',
    'member:member:reveal',
  ],
  cashier: ['member:member:view', 'member:member:create'],
  auditor: ['member:member:view'],
};

/**
 * Members. Phone, e-mail and ID number are kept only as AES-256-GCM ciphertext (`*_enc`)
 * with an HMAC blind index (`*_bidx`) for exact lookup; the phone also keeps its last four
 * digits for the cashier's 尾号 search. Balances are caches of their ledgers (later issues).
 * An erased member keeps its row and id (the pseudonym its ledgers point at) and nothing
 * personal, so `card_no` and the contact columns are nullable.
 */
export const up: Migration = async ({ context: { queryInterface: qi, sequelize } }) => {
  const ref = (table: string, allowNull = true) =>
    refColumn(sequelize, { allowNull, references: { model: table, key: 'id' }, onDelete: 'RESTRICT' });
  await qi.createTable(
    'members',
    {
      id: idColumn(sequelize),
      card_no: { type: DataTypes.STRING(32), allowNull: true, unique: true },
      name: { type: DataTypes.STRING(64), allowNull: true },
      nickname: { type: DataTypes.STRING(64), allowNull: true },
      gender: { type: DataTypes.STRING(8), allowNull: true },
      birthday: { type: DataTypes.DATEONLY, allowNull: true },
      // Month of the birthday, kept beside it so "birthdays in May" uses an index.
      birth_month: { type: DataTypes.TINYINT, allowNull: true },
      region: { type: DataTypes.STRING(12), allowNull: true },
      phone_enc: { type: DataTypes.STRING(255), allowNull: true },
      phone_bidx: { type: DataTypes.CHAR(64), allowNull: true, unique: true },
      phone_last4: { type: DataTypes.CHAR(4), allowNull: true },
      email_enc: { type: DataTypes.STRING(512), allowNull: true },
      email_bidx: { type: DataTypes.CHAR(64), allowNull: true },
      wechat_id: { type: DataTypes.STRING(64), allowNull: true },
      id_number_enc: { type: DataTypes.STRING(255), allowNull: true },
      id_number_bidx: { type: DataTypes.CHAR(64), allowNull: true },
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'normal' },
      frozen_reason: { type: DataTypes.STRING(200), allowNull: true },
      frozen_at: timeColumn(true),
      home_store_id: ref('stores', false),
      channel: { type: DataTypes.STRING(32), allowNull: true },
      referrer_id: ref('members'),
      manager_id: ref('users'),
      registered_at: timeColumn(),
      last_visit_at: timeColumn(true),
      notes: { type: DataTypes.TEXT, allowNull: true },
      points_balance: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      stored_value_balance: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      total_spent: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      tier_id: { type: DataTypes.INTEGER, allowNull: true },
      custom: { type: DataTypes.TEXT, allowNull: true },
      erased_at: timeColumn(true),
      created_at: timeColumn(),
      updated_at: timeColumn(),
    },
    TABLE_OPTIONS,
  );
  // Every list is keyset-paged on (sort column, id), most within the caller's stores.
  const indexes: Array<[string, string[]]> = [
    ['members_home_store_id_registered_at', ['home_store_id', 'registered_at', 'id']],
    ['members_registered_at', ['registered_at', 'id']],
    ['members_phone_last4', ['phone_last4']],
    ['members_email_bidx', ['email_bidx']],
    ['members_id_number_bidx', ['id_number_bidx']],
    ['members_name', ['name']],
    ['members_birth_month', ['birth_month']],
    ['members_manager_id', ['manager_id']],
    ['members_referrer_id', ['referrer_id']],
    ['members_status', ['status']],
    ['members_channel', ['channel']],
    ['members_last_visit_at', ['last_visit_at', 'id']],
    ['members_total_spent', ['total_spent', 'id']],
  ];
  for (const [name, fields] of indexes) await qi.addIndex('members', fields, { name });
  for (const [code, codes] of Object.entries(MEMBER_GRANTS)) await changeRoleGrants(qi, code, grant(codes));
};

export const down: Migration = async ({ context: { queryInterface: qi } }) => {
  for (const [code, codes] of Object.entries(MEMBER_GRANTS)) await changeRoleGrants(qi, code, revoke(codes));
  await qi.dropTable('members');
};
