import { DataTypes } from 'sequelize';
import { TABLE_OPTIONS, idColumn, refColumn, timeColumn } from '../platform/db/columns.js';
import type { Migration } from '../platform/db/migrate.js';

export const up: Migration = async ({ context: { queryInterface: qi, sequelize } }) => {
  await qi.createTable(
    'sessions',
    {
      id: idColumn(sequelize),
      user_id: refColumn(sequelize, { references: { model: 'users', key: 'id' }, onDelete: 'CASCADE' }),
      // Only a SHA-256 of the bearer token is stored: a leaked table grants no logins.
      token_hash: { type: DataTypes.CHAR(64), allowNull: false, unique: true },
      ip: { type: DataTypes.STRING(45), allowNull: true },
      user_agent: { type: DataTypes.STRING(255), allowNull: true },
      created_at: timeColumn(),
      last_seen_at: timeColumn(),
      expires_at: timeColumn(),
      revoked_at: timeColumn(true),
      revoked_reason: { type: DataTypes.STRING(32), allowNull: true },
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('sessions', ['user_id', 'revoked_at'], { name: 'sessions_user_id_revoked_at' });
  await qi.addIndex('sessions', ['expires_at'], { name: 'sessions_expires_at' });

  await qi.createTable(
    'password_history',
    {
      id: idColumn(sequelize),
      user_id: refColumn(sequelize, { references: { model: 'users', key: 'id' }, onDelete: 'CASCADE' }),
      password_hash: { type: DataTypes.STRING(255), allowNull: false },
      created_at: timeColumn(),
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('password_history', ['user_id', 'created_at'], { name: 'password_history_user_id_created_at' });

  await qi.createTable(
    'auth_throttles',
    {
      throttle_key: { type: DataTypes.STRING(191), primaryKey: true, allowNull: false },
      failures: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      window_started_at: timeColumn(),
      locked_until: timeColumn(true),
      updated_at: timeColumn(),
    },
    TABLE_OPTIONS,
  );

  await qi.createTable(
    'login_nonces',
    {
      nonce: { type: DataTypes.STRING(64), primaryKey: true, allowNull: false },
      expires_at: timeColumn(),
      used_at: timeColumn(true),
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('login_nonces', ['expires_at'], { name: 'login_nonces_expires_at' });

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

export const down: Migration = async ({ context: { queryInterface: qi } }) => {
  await qi.dropTable('login_events');
  await qi.dropTable('login_nonces');
  await qi.dropTable('auth_throttles');
  await qi.dropTable('password_history');
  await qi.dropTable('sessions');
};
