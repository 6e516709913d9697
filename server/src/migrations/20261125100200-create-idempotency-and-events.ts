import { DataTypes } from 'sequelize';
import { TABLE_OPTIONS, idColumn, timeColumn } from '../platform/db/columns.js';
import { dialectOf } from '../platform/db/connect.js';
import type { Migration } from '../platform/db/migrate.js';

/**
 * Idempotency keys: a write that carries one (a checkout, a refund, a top-up) stores its
 * response here in its own transaction, so a replay returns that response and a
 * concurrent replay waits on the unique key instead of writing twice. Scope is the
 * caller (`user:7`, `api_key:3`): two POS terminals may pick the same key.
 *
 * Domain events are an outbox written in the transaction of the change they describe
 * (order.completed, points.expiring); automation and webhooks read them later.
 */
export const up: Migration = async ({ context: { queryInterface: qi, sequelize } }) => {
  await qi.createTable(
    'idempotency_keys',
    {
      id: idColumn(sequelize),
      scope: { type: DataTypes.STRING(64), allowNull: false },
      idem_key: { type: DataTypes.STRING(128), allowNull: false },
      endpoint: { type: DataTypes.STRING(160), allowNull: false },
      request_hash: { type: DataTypes.CHAR(64), allowNull: false },
      status_code: { type: DataTypes.INTEGER, allowNull: true },
      // A whole order can pass TEXT's 64 KB on MySQL.
      response: { type: dialectOf(sequelize) === 'mysql' ? DataTypes.TEXT('medium') : DataTypes.TEXT, allowNull: true },
      created_at: timeColumn(),
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('idempotency_keys', ['scope', 'idem_key'], { name: 'idempotency_keys_scope_key', unique: true });
  await qi.addIndex('idempotency_keys', ['created_at'], { name: 'idempotency_keys_created_at' });
  await qi.createTable(
    'domain_events',
    {
      id: idColumn(sequelize),
      type: { type: DataTypes.STRING(64), allowNull: false },
      entity_type: { type: DataTypes.STRING(32), allowNull: true },
      entity_id: { type: DataTypes.STRING(64), allowNull: true },
      member_id: { type: DataTypes.BIGINT, allowNull: true },
      payload: { type: DataTypes.TEXT, allowNull: false },
      occurred_at: timeColumn(),
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('domain_events', ['type', 'id'], { name: 'domain_events_type' });
  await qi.addIndex('domain_events', ['member_id', 'id'], { name: 'domain_events_member' });
};

export const down: Migration = async ({ context: { queryInterface: qi } }) => {
  await qi.dropTable('domain_events');
  await qi.dropTable('idempotency_keys');
};
