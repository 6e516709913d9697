import { QueryTypes, type Sequelize } from 'sequelize';
import { dialectOf } from '../../platform/db/connect.js';

export const APPEND_ONLY = ['audit_logs', 'audit_chain', 'audit_checkpoints'] as const;
/** Rows younger than this can never be deleted, whatever the retention setting says. */
const MIN_RETENTION_DAYS = 180;

/**
 * The database itself refuses to change history: no UPDATE ever, and DELETE only of rows
 * past the legal minimum retention (the purge job). Checkpoints are never deleted.
 */
export function appendOnlyTriggers(dialect: 'sqlite' | 'mysql', table: (typeof APPEND_ONLY)[number]): string[] {
  // A link is as old as the record it seals (sealing an old record is recent).
  const timeColumnOf = {
    audit_logs: 'OLD.occurred_at',
    audit_chain: '(SELECT occurred_at FROM audit_logs WHERE id = OLD.record_id)',
    audit_checkpoints: null,
  }[table];
  if (dialect === 'mysql') {
    const refuse = (what: string) => `SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '${table} is append-only: ${what} refused'`;
    const deleteGuard = timeColumnOf
      ? `IF ${timeColumnOf} > UTC_TIMESTAMP(3) - INTERVAL ${MIN_RETENTION_DAYS} DAY THEN ${refuse('DELETE of a record younger than the minimum retention')}; END IF`
      : `${refuse('DELETE')}`;
    return [
      `CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table} FOR EACH ROW ${refuse('UPDATE')}`,
      `CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} FOR EACH ROW BEGIN ${deleteGuard}; END`,
    ];
  }
  const deleteWhen = timeColumnOf ? ` WHEN ${timeColumnOf} > datetime('now', '-${MIN_RETENTION_DAYS} days')` : '';
  return [
    `CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only: UPDATE refused'); END`,
    `CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}${deleteWhen} BEGIN SELECT RAISE(ABORT, '${table} is append-only: DELETE refused'); END`,
  ];
}

/**
 * A MySQL backup carries tables, not triggers (the app's account, which takes the scheduled
 * backups, may not read their bodies), so after every migration run, and so after every
 * restore, any missing guard is created again. Guards that exist are left alone: dropping
 * one to re-create it would open a moment without it.
 */
export async function ensureAuditGuards(sequelize: Sequelize): Promise<void> {
  const dialect = dialectOf(sequelize);
  const existing = new Set(
    (
      await sequelize.query<{ name: string }>(
        dialect === 'mysql'
          ? 'SELECT TRIGGER_NAME AS name FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()'
          : "SELECT name FROM sqlite_master WHERE type = 'trigger'",
        { type: QueryTypes.SELECT },
      )
    ).map((row) => row.name),
  );
  const tables = new Set((await sequelize.getQueryInterface().showAllTables()).map((table) => (typeof table === 'string' ? table : (table as { tableName: string }).tableName)));
  for (const table of APPEND_ONLY) {
    if (!tables.has(table)) continue;
    for (const statement of appendOnlyTriggers(dialect, table)) {
      const name = /CREATE TRIGGER (\w+)/.exec(statement)?.[1];
      if (name && !existing.has(name)) await sequelize.query(statement);
    }
  }
}
