import { DataTypes } from 'sequelize';
import { TABLE_OPTIONS, idColumn, refColumn, timeColumn } from '../platform/db/columns.js';
import type { Migration } from '../platform/db/migrate.js';
import { changeRoleGrants, grant, revoke } from '../platform/db/role-grants.js';

/** The jobs page belongs to IT: 运维 runs, pauses and reads jobs; super admins hold '*'. */
const IT_GRANTS = ['system:job:view', 'system:job:run', 'system:job:update'];

/**
 * A user's background work (an export, an import) as they see it: status, progress and
 * the file to download. The agenda job that does the work points back here by id.
 */
export const up: Migration = async ({ context: { queryInterface: qi, sequelize } }) => {
  await qi.createTable(
    'job_tasks',
    {
      id: idColumn(sequelize),
      job_name: { type: DataTypes.STRING(191), allowNull: false },
      job_id: { type: DataTypes.STRING(64), allowNull: true },
      owner_user_id: refColumn(sequelize),
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'queued' },
      progress: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      message: { type: DataTypes.STRING(255), allowNull: true },
      summary: { type: DataTypes.TEXT, allowNull: true },
      error: { type: DataTypes.TEXT, allowNull: true },
      output_file: { type: DataTypes.STRING(512), allowNull: true },
      output_name: { type: DataTypes.STRING(255), allowNull: true },
      output_type: { type: DataTypes.STRING(128), allowNull: true },
      output_size: { type: DataTypes.BIGINT, allowNull: true },
      created_at: timeColumn(),
      started_at: timeColumn(true),
      finished_at: timeColumn(true),
      expires_at: timeColumn(true),
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('job_tasks', ['owner_user_id', 'id'], { name: 'job_tasks_owner_user_id_id' });
  await qi.addIndex('job_tasks', ['expires_at'], { name: 'job_tasks_expires_at' });
  await changeRoleGrants(qi, 'it_ops', grant(IT_GRANTS));
};

export const down: Migration = async ({ context: { queryInterface: qi } }) => {
  await changeRoleGrants(qi, 'it_ops', revoke(IT_GRANTS));
  await qi.dropTable('job_tasks');
};
