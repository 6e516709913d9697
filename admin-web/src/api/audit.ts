import { http } from './http';
import type { Task } from './jobs';

export type AuditActorType = 'user' | 'api_key' | 'system' | 'anonymous';
export type AuditResult = 'success' | 'failure' | 'denied';

/** One changed field; values are stored masked for contact and personal fields. */
export interface AuditDiffEntry {
  field: string;
  before: unknown;
  after: unknown;
  /** the mask kind the values were stored with */
  mask?: string;
  /** HMACs of the real values: unequal when the value changed although both masks read the same */
  changedHash?: { before: string; after: string };
}

export interface AuditLog {
  id: number;
  occurredAt: string;
  actorType: AuditActorType;
  actorId: number | null;
  actorName: string | null;
  actorRoles: string[];
  storeId: number | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  /** 'auth.login', 'store.create', 'http.denied', ... */
  action: string;
  entityType: string | null;
  entityId: string | null;
  result: AuditResult;
  summary: string;
  diff: AuditDiffEntry[] | null;
}

export interface AuditQuery {
  /** ISO instants */
  from?: string;
  to?: string;
  actorId?: number;
  /** an action, or a prefix such as 'auth.*' */
  action?: string;
  entityType?: string;
  entityId?: string;
  storeId?: number;
  result?: AuditResult;
  /** keyset cursor: the previous page's nextBefore */
  before?: number;
  limit?: number;
}

export interface AuditVerifyResult {
  ok: boolean;
  checked: number;
  /** code is stable; message is in the request's language; reason is English for logs */
  firstBad?: { id: number; code: string; reason: string; message: string };
  pending: number;
  checkpoints: number;
  warnings: string[];
}

/** 操作日志（新的在前，按 nextBefore 翻页） */
export const listAuditLogs = (query: AuditQuery) =>
  http.get<{ items: AuditLog[]; nextBefore: number | null }>('/api/v1/audit-logs', { query: { ...query } });

/** 校验日志完整性（逐条记录、哈希链与签名检查点） */
export const verifyAuditLogs = () => http.post<AuditVerifyResult>('/api/v1/audit-logs/verify');

/** 后台导出操作日志（xlsx，条件同列表）：返回任务，完成后在「我的任务」下载 */
export const startAuditExport = (filter: Omit<AuditQuery, 'before' | 'limit'>) => http.post<Task>('/api/v1/audit-logs/exports', filter);
