import { DataTypes } from 'sequelize';
import { dialectOf } from '../platform/db/connect.js';
import { TABLE_OPTIONS, idColumn, timeColumn } from '../platform/db/columns.js';
import type { Migration } from '../platform/db/migrate.js';

/** agenda's jobs and their event log, kept in Huiji's own database (platform/jobs). */
export const up: Migration = async ({ context: { queryInterface: qi, sequelize } }) => {
  await qi.createTable(
    'jobs',
    {
      id: idColumn(sequelize),
      name: { type: DataTypes.STRING(191), allowNull: false },
      type: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'normal' },
      priority: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      next_run_at: timeColumn(true),
      locked_at: timeColumn(true),
      last_run_at: timeColumn(true),
      last_finished_at: timeColumn(true),
      failed_at: timeColumn(true),
      fail_count: { type: DataTypes.INTEGER, allowNull: true },
      fail_reason: { type: DataTypes.TEXT, allowNull: true },
      repeat_interval: { type: DataTypes.STRING(255), allowNull: true },
      repeat_timezone: { type: DataTypes.STRING(64), allowNull: true },
      repeat_at: { type: DataTypes.STRING(255), allowNull: true },
      start_date: timeColumn(true),
      end_date: timeColumn(true),
      skip_days: { type: DataTypes.STRING(32), allowNull: true },
      // An import job's data can pass TEXT's 64 KB on MySQL; SQLite's TEXT has no such limit.
      data: { type: dialectOf(sequelize) === 'mysql' ? DataTypes.TEXT('long') : DataTypes.TEXT, allowNull: true },
      disabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      progress: { type: DataTypes.DOUBLE, allowNull: true },
      fork: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      // SHA-256 of a "single" job's name or of a unique job's constraint: the database, not a
      // read-then-insert, keeps two nodes from creating the same job twice.
      unique_key: { type: DataTypes.CHAR(64), allowNull: true, unique: true },
      debounce_started_at: timeColumn(true),
      last_modified_by: { type: DataTypes.STRING(191), allowNull: true },
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('jobs', ['name', 'next_run_at', 'priority'], { name: 'jobs_name_next_run_at_priority' });
  await qi.addIndex('jobs', ['name', 'locked_at'], { name: 'jobs_name_locked_at' });
  await qi.addIndex('jobs', ['next_run_at'], { name: 'jobs_next_run_at' });

  await qi.createTable(
    'job_logs',
    {
      id: idColumn(sequelize),
      occurred_at: timeColumn(),
      level: { type: DataTypes.STRING(8), allowNull: false },
      event: { type: DataTypes.STRING(32), allowNull: false },
      job_id: { type: DataTypes.STRING(64), allowNull: true },
      job_name: { type: DataTypes.STRING(191), allowNull: false },
      message: { type: DataTypes.TEXT, allowNull: false },
      duration: { type: DataTypes.INTEGER, allowNull: true },
      error: { type: DataTypes.TEXT, allowNull: true },
      fail_count: { type: DataTypes.INTEGER, allowNull: true },
      retry_delay: { type: DataTypes.BIGINT, allowNull: true },
      retry_attempt: { type: DataTypes.INTEGER, allowNull: true },
      agenda_name: { type: DataTypes.STRING(191), allowNull: true },
      meta: { type: DataTypes.TEXT, allowNull: true },
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('job_logs', ['occurred_at'], { name: 'job_logs_occurred_at' });
  await qi.addIndex('job_logs', ['job_id', 'occurred_at'], { name: 'job_logs_job_id_occurred_at' });
  await qi.addIndex('job_logs', ['job_name', 'occurred_at'], { name: 'job_logs_job_name_occurred_at' });
};

export const down: Migration = async ({ context: { queryInterface: qi } }) => {
  await qi.dropTable('job_logs');
  await qi.dropTable('jobs');
};
