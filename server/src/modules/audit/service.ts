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

export interface AuditQuery {
  from?: Date;
  to?: Date;
  actorId?: number;
  action?: string;
  entityType?: string;
  entityId?: string;
  storeIds?: number[] | null;
  result?: AuditResult;
  /** Keyset pagination: records older than this id. */
  before?: number;
  limit: number;
}

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
    const where: WhereOptions = {};
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
    if (and.length) Object.assign(where, { [Op.and]: and });
    return this.models.AuditLog.findAll({ where, order: [['id', 'DESC']], limit: query.limit });
  }

  async get(id: number): Promise<AuditLogRecord | null> {
    return this.models.AuditLog.findByPk(id);
  }
}

export function actorFromContext(): AuditActor {
  const principal = currentRequestContext()?.principal;
  if (!principal) return { type: 'anonymous', id: null, name: null, roles: [] };
  return {
    type: principal.kind,
    id: principal.kind === 'api_key' ? principal.apiKeyId : principal.userId,
    name: principal.username,
    roles: principal.roles,
  };
}

export const SYSTEM_ACTOR: AuditActor = { type: 'system', id: null, name: 'system', roles: [] };
