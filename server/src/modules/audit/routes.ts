import { AppError } from '../../platform/errors/app-error.js';
import { access, defineRoute, type RouteSpec } from '../../platform/http/route.js';
import type { AuditLogRecord } from './models.js';
import { AuditLogItem, AuditLogPage, AuditLogQuery, IdParams, VerifyResponse } from './schemas.js';
import type { AuditService } from './service.js';
import type { VerifyResult } from './verify.js';

function toItem(record: AuditLogRecord) {
  return {
    id: Number(record.id),
    occurredAt: record.occurredAt,
    actorType: record.actorType,
    actorId: record.actorId === null ? null : Number(record.actorId),
    actorName: record.actorName,
    actorRoles: record.actorRoles ? record.actorRoles.split(',') : [],
    storeId: record.storeId === null ? null : Number(record.storeId),
    ip: record.ip,
    userAgent: record.userAgent,
    requestId: record.requestId,
    action: record.action,
    entityType: record.entityType,
    entityId: record.entityId,
    result: record.result,
    summary: record.summary,
    diff: record.diff ? (JSON.parse(record.diff) as unknown) : null,
  };
}

export function auditRoutes(audit: AuditService, verify: () => Promise<VerifyResult>): RouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/audit-logs',
      summary: 'Operation and login log, newest first (filter auth.* for logins)',
      tags: ['audit'],
      access: access.permission('audit:log:view'),
      query: AuditLogQuery,
      response: AuditLogPage,
      handler: async ({ query }) => {
        const items = await audit.list({ ...query, storeIds: query.storeId ? [query.storeId] : null, limit: query.limit + 1 });
        const page = items.slice(0, query.limit);
        return {
          items: page.map(toItem),
          nextBefore: items.length > query.limit ? Number(page[page.length - 1].id) : null,
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/audit-logs/:id',
      summary: 'One audit record with its diff',
      tags: ['audit'],
      access: access.permission('audit:log:view'),
      params: IdParams,
      response: AuditLogItem,
      errors: ['AUDIT_LOG_NOT_FOUND'],
      handler: async ({ params }) => {
        const record = await audit.get(params.id);
        if (!record) throw new AppError('AUDIT_LOG_NOT_FOUND', { params: { id: params.id } });
        return toItem(record);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/audit-logs/verify',
      summary: 'Check every record, chain link and signed checkpoint; report the first break',
      tags: ['audit'],
      access: access.permission('audit:log:verify'),
      response: VerifyResponse,
      handler: async () => {
        const result = await verify();
        await audit.record({
          action: 'audit.verify',
          result: result.ok ? 'success' : 'failure',
          summary: result.ok
            ? `完整性校验通过：${result.checked} 条记录`
            : `完整性校验失败：记录 ${result.firstBad?.id}，${result.firstBad?.reason}`,
        });
        return result;
      },
    }),
  ];
}
