import { DataTypes } from 'sequelize';
import { TABLE_OPTIONS, idColumn, refColumn, timeColumn } from '../platform/db/columns.js';
import type { Migration } from '../platform/db/migrate.js';

// Login attempts are audit records now (action auth.login), tamper-evident like the rest.
export const up: Migration = async ({ context: { queryInterface: qi } }) => {
  await qi.dropTable('login_events');
};

export const down: Migration = async ({ context: { queryInterface: qi, sequelize } }) => {
  await qi.createTable(
    'login_events',
    {
      id: idColumn(sequelize),
      user_id: refColumn(sequelize, { allowNull: true }),
      username: { type: DataTypes.STRING(64), allowNull: false },
      result: { type: DataTypes.STRING(32), allowNull: false },
      ip: { type: DataTypes.STRING(45), allowNull: true },
      user_agent: { type: DataTypes.STRING(255), allowNull: true },
      request_id: { type: DataTypes.STRING(64), allowNull: true },
      occurred_at: timeColumn(),
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('login_events', ['occurred_at'], { name: 'login_events_occurred_at' });
  await qi.addIndex('login_events', ['username', 'occurred_at'], { name: 'login_events_username_occurred_at' });
};
