import { DataTypes } from 'sequelize';
import { dialectOf } from '../platform/db/connect.js';
import { TABLE_OPTIONS, idColumn, refColumn, timeColumn } from '../platform/db/columns.js';
import type { Migration } from '../platform/db/migrate.js';
import { APPEND_ONLY, appendOnlyTriggers } from './routines/audit-guards.js';


export const up: Migration = async ({ context: { queryInterface: qi, sequelize } }) => {
  await qi.createTable(
    'audit_logs',
    {
      id: idColumn(sequelize),
      // A random id inside the HMAC: a copied row collides on it instead of passing as new.
      uid: { type: DataTypes.CHAR(32), allowNull: false, unique: true },
      occurred_at: timeColumn(),
      actor_type: { type: DataTypes.STRING(16), allowNull: false },
      actor_id: refColumn(sequelize, { allowNull: true }),
      actor_name: { type: DataTypes.STRING(64), allowNull: true },
      actor_roles: { type: DataTypes.STRING(255), allowNull: true },
      store_id: refColumn(sequelize, { allowNull: true }),
      ip: { type: DataTypes.STRING(45), allowNull: true },
      user_agent: { type: DataTypes.STRING(255), allowNull: true },
      request_id: { type: DataTypes.STRING(64), allowNull: true },
      action: { type: DataTypes.STRING(64), allowNull: false },
      entity_type: { type: DataTypes.STRING(32), allowNull: true },
      entity_id: { type: DataTypes.STRING(64), allowNull: true },
      result: { type: DataTypes.STRING(16), allowNull: false },
      summary: { type: DataTypes.STRING(500), allowNull: false },
      diff: { type: DataTypes.TEXT, allowNull: true },
      mac: { type: DataTypes.CHAR(64), allowNull: false },
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('audit_logs', ['occurred_at'], { name: 'audit_logs_occurred_at' });
  await qi.addIndex('audit_logs', ['actor_id', 'occurred_at'], { name: 'audit_logs_actor_id_occurred_at' });
  await qi.addIndex('audit_logs', ['action', 'occurred_at'], { name: 'audit_logs_action_occurred_at' });
  await qi.addIndex('audit_logs', ['entity_type', 'entity_id'], { name: 'audit_logs_entity' });
  await qi.addIndex('audit_logs', ['store_id', 'occurred_at'], { name: 'audit_logs_store_id_occurred_at' });

  await qi.createTable(
    'audit_chain',
    {
      seq: { type: refColumn(sequelize).type, primaryKey: true, allowNull: false },
      record_id: refColumn(sequelize, { unique: true }),
      prev_hash: { type: DataTypes.CHAR(64), allowNull: false },
      hash: { type: DataTypes.CHAR(64), allowNull: false },
      sealed_at: timeColumn(),
    },
    TABLE_OPTIONS,
  );

  await qi.createTable(
    'audit_checkpoints',
    {
      id: idColumn(sequelize),
      kind: { type: DataTypes.STRING(16), allowNull: false },
      seq_to: { type: refColumn(sequelize).type, allowNull: false },
      chain_hash: { type: DataTypes.CHAR(64), allowNull: false },
      purged_before: timeColumn(true),
      created_at: timeColumn(),
      key_id: { type: DataTypes.STRING(16), allowNull: false },
      signature: { type: DataTypes.TEXT, allowNull: false },
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('audit_checkpoints', ['created_at'], { name: 'audit_checkpoints_created_at' });

  for (const table of APPEND_ONLY) {
    for (const statement of appendOnlyTriggers(dialectOf(sequelize), table)) await sequelize.query(statement);
  }
};

export const down: Migration = async ({ context: { queryInterface: qi, sequelize } }) => {
  for (const table of APPEND_ONLY) {
    await sequelize.query(`DROP TRIGGER IF EXISTS ${table}_no_update`);
    await sequelize.query(`DROP TRIGGER IF EXISTS ${table}_no_delete`);
  }
  await qi.dropTable('audit_checkpoints');
  await qi.dropTable('audit_chain');
  await qi.dropTable('audit_logs');
};
