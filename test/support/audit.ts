import type { Sequelize } from 'sequelize';
import { recordMac } from '../../server/src/modules/audit/integrity.js';
import type { AuditKeys } from '../../server/src/modules/audit/keys.js';
import type { AuditModels } from '../../server/src/modules/audit/models.js';
import { dialectOf } from '../../server/src/platform/db/connect.js';

/** What a DBA with full rights could do: lift the append-only trigger, run SQL, put it back. */
export async function asDba(
  sequelize: Sequelize,
  table: string,
  kind: 'update' | 'delete',
  sql: string | string[],
  replacements: unknown[] = [],
) {
  const [rows] = await sequelize.query(
    dialectOf(sequelize) === 'mysql'
      ? `SELECT ACTION_STATEMENT AS body FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND TRIGGER_NAME = '${table}_no_${kind}'`
      : `SELECT sql AS body FROM sqlite_master WHERE type = 'trigger' AND name = '${table}_no_${kind}'`,
  );
  const body = (rows as Array<{ body: string }>)[0].body;
  await sequelize.query(`DROP TRIGGER ${table}_no_${kind}`);
  try {
    for (const statement of Array.isArray(sql) ? sql : [sql]) await sequelize.query(statement, { replacements });
  } finally {
    await sequelize.query(
      dialectOf(sequelize) === 'mysql'
        ? `CREATE TRIGGER ${table}_no_${kind} BEFORE ${kind.toUpperCase()} ON ${table} FOR EACH ROW ${body}`
        : body,
    );
  }
}

/**
 * Genuine records (valid HMAC) dated `daysAgo` in the past, as if written back then: the
 * service always stamps the current time, and purging needs records past retention.
 */
export async function backdatedRecords(models: AuditModels, keys: AuditKeys, options: { count: number; daysAgo: number; action: string }) {
  const occurredAt = new Date(Date.now() - options.daysAgo * 86_400_000);
  for (let i = 0; i < options.count; i++) {
    const fields = {
      uid: `${options.action}${i}`.replace(/\W/g, '').padEnd(32, '0').slice(0, 32),
      occurredAt,
      actorType: 'system' as const,
      actorId: null,
      actorName: 'system',
      actorRoles: null,
      storeId: null,
      ip: null,
      userAgent: null,
      requestId: null,
      action: options.action,
      entityType: null,
      entityId: null,
      result: 'success' as const,
      summary: `${options.action} ${i}`,
      diff: null,
    };
    await models.AuditLog.create({ ...fields, mac: recordMac(keys.hmacKey, fields) });
  }
}
