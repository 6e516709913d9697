import { DataTypes } from 'sequelize';
import { TABLE_OPTIONS, idColumn, refColumn, timeColumn } from '../platform/db/columns.js';
import type { Migration } from '../platform/db/migrate.js';
import { changeRoleGrants, grant, revoke } from '../platform/db/role-grants.js';

/** Store managers run the registration channels (posters, counters, ads) of their own stores. */
const CODES = ['member:channel:view', 'member:channel:create', 'member:channel:update'];

/**
 * Self-registration. A channel is one public page `/r/<code>` (printed as a QR code) whose
 * new members belong to `store_id`. Codes are kept lower-case, so a URL reads the same on
 * MySQL (case-insensitive collation) and SQLite.
 *
 * `registration_codes` are the SMS codes sent to prove a phone number: the phone only as
 * the members module's blind index, the code only as an HMAC, so the table holds neither in
 * clear. Its rows are also the rate limits' counters (per phone, per address, per channel),
 * which is why each limit has an index starting with its key and `created_at`; a daily job
 * deletes rows past the longest window.
 */
export const up: Migration = async ({ context: { queryInterface: qi, sequelize } }) => {
  await qi.createTable(
    'registration_channels',
    {
      id: idColumn(sequelize),
      code: { type: DataTypes.STRING(32), allowNull: false, unique: true },
      name: { type: DataTypes.STRING(64), allowNull: false },
      store_id: refColumn(sequelize, { references: { model: 'stores', key: 'id' }, onDelete: 'RESTRICT' }),
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'active' },
      privacy_notice: { type: DataTypes.TEXT, allowNull: false },
      consent_text: { type: DataTypes.STRING(500), allowNull: false },
      // JSON list of the built-in member fields the page asks for besides the phone.
      fields: { type: DataTypes.TEXT, allowNull: false },
      created_at: timeColumn(),
      updated_at: timeColumn(),
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('registration_channels', ['store_id'], { name: 'registration_channels_store_id' });

  await qi.createTable(
    'registration_codes',
    {
      id: idColumn(sequelize),
      channel_id: refColumn(sequelize, { references: { model: 'registration_channels', key: 'id' }, onDelete: 'RESTRICT' }),
      phone_bidx: { type: DataTypes.CHAR(64), allowNull: false },
      code_hash: { type: DataTypes.CHAR(64), allowNull: false },
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      expires_at: timeColumn(),
      used_at: timeColumn(true),
      ip: { type: DataTypes.STRING(45), allowNull: true },
      created_at: timeColumn(),
    },
    TABLE_OPTIONS,
  );
  const indexes: Array<[string, string[]]> = [
    ['registration_codes_phone', ['phone_bidx', 'created_at']],
    ['registration_codes_ip', ['ip', 'created_at']],
    ['registration_codes_channel', ['channel_id', 'created_at']],
  ];
  for (const [name, fields] of indexes) await qi.addIndex('registration_codes', fields, { name });
  await changeRoleGrants(qi, 'store_manager', grant(CODES));
};

export const down: Migration = async ({ context: { queryInterface: qi } }) => {
  await changeRoleGrants(qi, 'store_manager', revoke(CODES));
  await qi.dropTable('registration_codes');
  await qi.dropTable('registration_channels');
};
