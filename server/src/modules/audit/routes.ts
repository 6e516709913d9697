import type { z } from 'zod';
import { AppError } from '../../platform/errors/app-error.js';
import { DEFAULT_LOCALE } from '../../platform/i18n/locale.js';
import { currentRequestContext } from '../../platform/http/request-context.js';
import { access, defineRoute, type Principal, type RouteSpec } from '../../platform/http/route.js';
import { exportFileName, writeAuditWorkbook, XLSX_CONTENT_TYPE } from './export.js';
import type { AuditLogRecord } from './models.js';
import { AuditExportQuery, AuditLogItem, AuditLogPage, AuditLogQuery, IdParams, VerifyResponse } from './schemas.js';
import type { AuditFilter, AuditService } from './service.js';
import type { VerifyResult } from './verify.js';
import type { AuditExportInput } from './jobs/export.job.js';
import type { TaskService } from '../jobs/task-service.js';
import { Task } from '../jobs/schemas.js';

export interface AuditRouteOptions {
  /** `businessTimezone` from the config: export times and file names are in it. */
  businessTimezone?: string;
  /** The most rows one export holds; the newest are kept. */
  maxExportRows?: number;
  /** Queues background exports. */
  tasks: TaskService;
  /** The diffs of an audit record as this reader may see them (field policies of members and the like). */
  diffView: (principal: Principal) => DiffView;
}

export const MAX_EXPORT_ROWS = 50_000;

type DiffView = (entityType: string | null, diff: unknown) => unknown;

function toItem(record: AuditLogRecord, view: DiffView) {
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
    diff: record.diff ? view(record.entityType, JSON.parse(record.diff) as unknown) : null,
  };
}

/** The filters the list and the export share; paging stays with the list. */
/**
 * The caller's store scope is compiled into the filter: a store-scoped reader sees only
 * records of their stores, and none without a store (logins, system events).
 */
function filterOf(query: z.output<typeof AuditExportQuery>, principal: Principal): AuditFilter {
  const { from, to, actorId, action, entityType, entityId, result, storeId } = query;
  let storeIds: number[] | null = storeId ? [storeId] : null;
  if (principal.storeScope !== null) {
    storeIds = storeId ? principal.storeScope.filter((id) => id === storeId) : principal.storeScope;
    if (storeIds.length === 0) storeIds = [-1];
  }
  return { from, to, actorId, action, entityType, entityId, result, storeIds };
}

export function auditRoutes(audit: AuditService, verify: () => Promise<VerifyResult>, options: AuditRouteOptions): RouteSpec[] {
  const timeZone = options.businessTimezone ?? 'Asia/Shanghai';
  const maxExportRows = options.maxExportRows ?? MAX_EXPORT_ROWS;
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/audit-logs',
      summary: 'Operation and login log, newest first (filter auth.* for logins)',
      tags: ['audit'],
      access: access.permission('audit:log:view'),
      query: AuditLogQuery,
      response: AuditLogPage,
      handler: async ({ query, principal }) => {
        const items = await audit.list({ ...filterOf(query, principal!), before: query.before, limit: query.limit + 1 });
        const page = items.slice(0, query.limit);
        const view = options.diffView(principal!);
        return {
          items: page.map((record) => toItem(record, view)),
          nextBefore: items.length > query.limit ? Number(page[page.length - 1].id) : null,
        };
      },
    }),
    // Before /:id, which would otherwise take `export` for an id.
    defineRoute({
      method: 'get',
      path: '/api/v1/audit-logs/export',
      summary: `The filtered log as an .xlsx download (${XLSX_CONTENT_TYPE}), newest first, at most ${maxExportRows} rows; X-Total-Count says how many matched. The export is itself audited.`,
      tags: ['audit'],
      access: access.permission('audit:log:export'),
      query: AuditExportQuery,
      status: 200,
      handler: async ({ query, res, principal }) => {
        const exported = await audit.startExport(filterOf(query, principal!), maxExportRows);
        res.status(200).set({
          'Content-Type': XLSX_CONTENT_TYPE,
          'Content-Disposition': `attachment; filename="${exportFileName(new Date(), timeZone)}"`,
          'Cache-Control': 'no-store',
          'X-Total-Count': String(exported.matched),
        });
        await writeAuditWorkbook(res, exported.records, { locale: currentRequestContext()?.locale ?? DEFAULT_LOCALE, timeZone });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/audit-logs/exports',
      summary: `Export the filtered log in the background (at most ${maxExportRows} rows, newest first): answers with the task; follow it at /api/v1/tasks/{id} and download the .xlsx from /api/v1/tasks/{id}/output. The export is audited when it is queued.`,
      tags: ['audit'],
      access: access.permission('audit:log:export'),
      body: AuditExportQuery,
      response: Task,
      status: 202,
      handler: async ({ body, principal }) => {
        const { tasks } = options;
        const filter = filterOf(body, principal!);
        const locale = currentRequestContext()?.locale ?? DEFAULT_LOCALE;
        const plan = await audit.planExport(filter, maxExportRows);
        const input: AuditExportInput = {
          filter: { ...filter, from: filter.from?.toISOString(), to: filter.to?.toISOString() },
          through: plan.through,
          rows: plan.rows,
          locale,
          userId: principal!.userId,
        };
        const task = await tasks.submit(principal!, 'audit.export', input, async (queued) => {
          await audit.recordExport(filter, plan, { taskId: Number(queued.id) });
        });
        return tasks.view(task, locale);
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
      handler: async ({ params, principal }) => {
        const found = await audit.get(params.id);
        const scope = principal!.storeScope;
        const record = found && (scope === null || (found.storeId !== null && scope.includes(Number(found.storeId)))) ? found : null;
        if (!record) throw new AppError('AUDIT_LOG_NOT_FOUND', { params: { id: params.id } });
        return toItem(record, options.diffView(principal!));
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
            : `完整性校验失败：记录 ${result.firstBad?.id}（${result.firstBad?.code}）`,
        });
        return result;
      },
    }),
  ];
}
