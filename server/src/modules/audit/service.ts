import crypto from 'node:crypto';
import { Op, type Transaction, type WhereOptions } from 'sequelize';
import { currentTransaction } from '../../platform/db/transaction.js';
import { currentRequestContext } from '../../platform/http/request-context.js';
import type { AuditKeys } from './keys.js';
import { recordMac } from './integrity.js';
import type { ActorType, AuditLogRecord, AuditModels, AuditResult } from './models.js';

export interface AuditActor {
  type: ActorType;
  id: number | null;
  name: string | null;
  roles: string[];
}

export interface AuditEntry {
  /** `domain.verb`, e.g. `store.create`, `auth.login`, `member.reveal`. */
  action: string;
  result?: AuditResult;
  entityType?: string;
  entityId?: string | number;
  /** The store the entity belongs to, so store-scoped auditors see their own. */
  storeId?: number | null;
  /** One line a person reads in the log viewer; never a secret or an unmasked value. */
  summary: string;
  /** Changed fields, already masked by the field guard. */
  diff?: unknown;
  /** Defaults to the request's principal, or anonymous. */
  actor?: AuditActor;
}

export interface AuditFilter {
  from?: Date;
  to?: Date;
  actorId?: number;
  action?: string;
  entityType?: string;
  entityId?: string;
  storeIds?: number[] | null;
  result?: AuditResult;
}

export interface AuditQuery extends AuditFilter {
  /** Keyset pagination: records older than this id. */
  before?: number;
  limit: number;
}

/** Which records an export holds, fixed before its first byte: newest first, up to `through`. */
export interface AuditExport {
  /** The newest record id when the export started; later records are left out. */
  through: number;
  /** Records the filter matched. */
  matched: number;
  /** Records the file holds: `matched`, capped. */
  rows: number;
  records: AsyncIterable<AuditLogRecord>;
}

const EXPORT_PAGE = 1000;

/** Appends audit records in the caller's transaction: if the record fails, so does the change. */
export class AuditService {
  constructor(
    private readonly models: AuditModels,
    private readonly keys: AuditKeys,
  ) {}

  async record(entry: AuditEntry, options: { transaction?: Transaction | null } = {}): Promise<AuditLogRecord> {
    const context = currentRequestContext();
    const actor = entry.actor ?? actorFromContext();
    const fields = {
      uid: crypto.randomBytes(16).toString('hex'),
      occurredAt: new Date(),
      actorType: actor.type,
      actorId: actor.id,
      actorName: actor.name?.slice(0, 64) ?? null,
      actorRoles: actor.roles.length ? actor.roles.join(',').slice(0, 255) : null,
      storeId: entry.storeId ?? null,
      ip: context?.ip ?? null,
      userAgent: context?.userAgent ?? null,
      requestId: context?.requestId ?? null,
      action: entry.action,
      entityType: entry.entityType ?? null,
      entityId: entry.entityId === undefined ? null : String(entry.entityId),
      result: entry.result ?? 'success',
      summary: entry.summary.slice(0, 500),
      diff: entry.diff === undefined ? null : JSON.stringify(entry.diff),
    };
    const transaction = options.transaction === undefined ? currentTransaction() : (options.transaction ?? undefined);
    return this.models.AuditLog.create({ ...fields, mac: recordMac(this.keys.hmacKey, fields) }, { transaction });
  }

  async list(query: AuditQuery): Promise<AuditLogRecord[]> {
    return this.models.AuditLog.findAll({ where: whereOf(query), order: [['id', 'DESC']], limit: query.limit });
  }

  /**
   * Fixes what an export of `filter` holds before its first byte: records up to the newest
   * id now, newest first, at most `maxRows`.
   */
  async planExport(filter: AuditFilter, maxRows: number): Promise<Omit<AuditExport, 'records'>> {
    const { AuditLog } = this.models;
    const through = Number((await AuditLog.max<number | null, AuditLogRecord>('id')) ?? 0);
    const matched = await AuditLog.count({ where: whereOf({ ...filter, before: through + 1 }) });
    return { through, matched, rows: Math.min(matched, maxRows) };
  }

  /** The `audit.export` record of an export: what it holds and how it was filtered. */
  recordExport(filter: AuditFilter, plan: Omit<AuditExport, 'records'>, extra: { taskId?: number } = {}, options: { transaction?: Transaction | null } = {}) {
    const { matched, rows } = plan;
    const shown = describeFilter(filter);
    const where = extra.taskId ? `（后台任务 ${extra.taskId}）` : '';
    return this.record(
      {
        action: 'audit.export',
        summary:
          `导出操作日志 ${rows} 条${where}，筛选：${shown || '无'}` + (rows < matched ? `（共匹配 ${matched} 条，超出上限，只导出最新 ${rows} 条）` : ''),
        diff: { filter: shown, matched, rows, ...extra },
      },
      options,
    );
  }

  /**
   * Starts an export of `filter` and records it as `audit.export` at once (outside any
   * transaction), before the caller writes a byte: a download that fails halfway still
   * leaves its record. The records stream in pages.
   */
  async startExport(filter: AuditFilter, maxRows: number): Promise<AuditExport> {
    const plan = await this.planExport(filter, maxRows);
    await this.recordExport(filter, plan, {}, { transaction: null });
    return { ...plan, records: this.exportRecords(filter, plan.through, plan.rows) };
  }

  /** The records of a planned export, newest first, in pages. */
  async *exportRecords(filter: AuditFilter, through: number, rows: number): AsyncGenerator<AuditLogRecord> {
    let before = through + 1;
    let left = rows;
    while (left > 0) {
      const page = await this.models.AuditLog.findAll({
        where: whereOf({ ...filter, before }),
        order: [['id', 'DESC']],
        limit: Math.min(EXPORT_PAGE, left),
      });
      if (page.length === 0) return;
      yield* page;
      left -= page.length;
      before = Number(page[page.length - 1].id);
    }
  }

  async get(id: number): Promise<AuditLogRecord | null> {
    return this.models.AuditLog.findByPk(id);
  }
}

function whereOf(query: AuditFilter & { before?: number }): WhereOptions {
  const and: WhereOptions[] = [];
  if (query.from) and.push({ occurredAt: { [Op.gte]: query.from } });
  if (query.to) and.push({ occurredAt: { [Op.lt]: query.to } });
  if (query.before) and.push({ id: { [Op.lt]: query.before } });
  if (query.actorId !== undefined) and.push({ actorId: query.actorId });
  if (query.action) and.push({ action: query.action.endsWith('.*') ? { [Op.like]: `${query.action.slice(0, -1)}%` } : query.action });
  if (query.entityType) and.push({ entityType: query.entityType });
  if (query.entityId) and.push({ entityId: query.entityId });
  if (query.result) and.push({ result: query.result });
  if (query.storeIds) and.push({ storeId: query.storeIds });
  return and.length ? { [Op.and]: and } : {};
}

/** The filter as `key=value` pairs, in the list's query names, for the export's summary. */
function describeFilter(filter: AuditFilter): string {
  const pairs: Array<[string, string | number | undefined]> = [
    ['from', filter.from?.toISOString()],
    ['to', filter.to?.toISOString()],
    ['actorId', filter.actorId],
    ['action', filter.action],
    ['entityType', filter.entityType],
    ['entityId', filter.entityId],
    ['storeId', filter.storeIds?.join(',')],
    ['result', filter.result],
  ];
  return pairs
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
}

export function actorFromContext(): AuditActor {
  const principal = currentRequestContext()?.principal;
  if (!principal) return { type: 'anonymous', id: null, name: null, roles: [] };
  return {
    type: principal.kind,
    id: principal.kind === 'api_key' ? principal.apiKeyId : principal.kind === 'system' ? null : principal.userId,
    name: principal.username,
    roles: principal.roles,
  };
}

export const SYSTEM_ACTOR: AuditActor = { type: 'system', id: null, name: 'system', roles: [] };
