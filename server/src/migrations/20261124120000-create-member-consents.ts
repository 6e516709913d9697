import { DataTypes } from 'sequelize';
import { TABLE_OPTIONS, idColumn, refColumn, timeColumn } from '../platform/db/columns.js';
import type { Migration } from '../platform/db/migrate.js';

/**
 * Marketing consent per member and channel (PIPL Art. 13/14), appended and never edited:
 * the newest row of a channel is the member's current choice, the older rows are the
 * proof of what they agreed to when. Rows hold no personal data, so they outlive an erasure.
 */
export const up: Migration = async ({ context: { queryInterface: qi, sequelize } }) => {
  await qi.createTable(
    'member_consents',
    {
      id: idColumn(sequelize),
      member_id: refColumn(sequelize, { references: { model: 'members', key: 'id' }, onDelete: 'RESTRICT' }),
      channel: { type: DataTypes.STRING(16), allowNull: false },
      granted: { type: DataTypes.BOOLEAN, allowNull: false },
      source: { type: DataTypes.STRING(32), allowNull: false },
      actor_user_id: refColumn(sequelize, { allowNull: true }),
      occurred_at: timeColumn(),
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('member_consents', ['member_id', 'channel', 'id'], { name: 'member_consents_member_channel' });
};

export const down: Migration = async ({ context: { queryInterface: qi } }) => {
  await qi.dropTable('member_consents');
};
