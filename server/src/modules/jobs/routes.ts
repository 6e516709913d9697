import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { DEFAULT_LOCALE } from '../../platform/i18n/locale.js';
import { currentRequestContext } from '../../platform/http/request-context.js';
import { access, defineRoute, type RouteSpec } from '../../platform/http/route.js';
import type { AuditService } from '../audit/service.js';
import type { JobsService } from './jobs-service.js';
import {
  IdParams,
  JobDefinitionList,
  JobLogPage,
  JobLogQuery,
  JobNameParams,
  JobRunStarted,
  Task,
  TaskPage,
  TaskQuery,
} from './schemas.js';
import type { TaskService } from './task-service.js';

const locale = () => currentRequestContext()?.locale ?? DEFAULT_LOCALE;

export function jobRoutes<Deps>(jobs: JobsService<Deps>, isProcessing: () => boolean): RouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/jobs',
      summary: 'Registered background jobs: schedule, next and last run, last error, running/queued/failed counts',
      tags: ['jobs'],
      access: access.permission('system:job:view'),
      response: JobDefinitionList,
      handler: async () => ({ items: await jobs.definitions(), runsInThisProcess: isProcessing() }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/jobs/logs',
      summary: 'The job event log (start, success, fail, retry...), newest first',
      tags: ['jobs'],
      access: access.permission('system:job:view'),
      query: JobLogQuery,
      response: JobLogPage,
      errors: ['JOB_NOT_FOUND'],
      handler: async ({ query }) => {
        const { entries, total } = await jobs.logs({ ...query, sort: 'desc' });
        return {
          total,
          items: entries.map((entry) => ({
            at: new Date(entry.timestamp),
            level: entry.level,
            event: entry.event,
            jobId: entry.jobId ?? null,
            jobName: entry.jobName,
            message: entry.message,
            durationMs: entry.duration ?? null,
            error: entry.error ?? null,
            node: entry.agendaName ?? null,
          })),
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/jobs/:name/run',
      summary: 'Queue one extra run of a scheduled job now (its schedule is unchanged)',
      tags: ['jobs'],
      access: access.permission('system:job:run'),
      params: JobNameParams,
      response: JobRunStarted,
      status: 202,
      errors: ['JOB_NOT_FOUND', 'JOB_NOT_RUNNABLE', 'JOB_DISABLED'],
      handler: ({ params }) => jobs.runNow(params.name),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/jobs/:name/disable',
      summary: 'Stop a scheduled job from running until it is enabled again',
      tags: ['jobs'],
      access: access.permission('system:job:update'),
      params: JobNameParams,
      status: 204,
      errors: ['JOB_NOT_FOUND', 'JOB_NOT_RUNNABLE'],
      handler: ({ params }) => jobs.setDisabled(params.name, true),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/jobs/:name/enable',
      summary: 'Let a disabled scheduled job run again',
      tags: ['jobs'],
      access: access.permission('system:job:update'),
      params: JobNameParams,
      status: 204,
      errors: ['JOB_NOT_FOUND', 'JOB_NOT_RUNNABLE'],
      handler: ({ params }) => jobs.setDisabled(params.name, false),
    }),
  ];
}

/** Every signed-in user reaches their own tasks, and only those. */
export function taskRoutes(tasks: TaskService, audit: AuditService): RouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/tasks',
      summary: "The caller's own background tasks (exports, imports), newest first",
      tags: ['tasks'],
      access: access.authenticated(),
      query: TaskQuery,
      response: TaskPage,
      handler: async ({ principal, query }) => {
        const page = await tasks.list(principal!, query);
        return { items: page.items.map((task) => tasks.view(task, locale())), nextBefore: page.nextBefore, active: page.active };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/tasks/:id',
      summary: 'One of the caller\'s tasks: status, progress, result',
      tags: ['tasks'],
      access: access.authenticated(),
      params: IdParams,
      response: Task,
      errors: ['TASK_NOT_FOUND'],
      handler: async ({ principal, params }) => tasks.view(await tasks.get(principal!, params.id), locale()),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/tasks/:id/output',
      summary: 'Download the file a finished task produced (kept for a few days); the download is audited',
      tags: ['tasks'],
      access: access.authenticated(),
      params: IdParams,
      status: 200,
      errors: ['TASK_NOT_FOUND', 'TASK_NOT_FINISHED', 'TASK_HAS_NO_OUTPUT', 'TASK_OUTPUT_EXPIRED'],
      handler: async ({ principal, params, res }) => {
        const output = await tasks.output(principal!, params.id);
        await audit.record({
          action: 'task.download',
          entityType: 'task',
          entityId: params.id,
          summary: `下载后台任务 ${params.id} 的文件 ${output.name}`,
        });
        res.status(200).attachment(output.name).set({ 'Content-Type': output.type, 'Content-Length': String(output.size), 'Cache-Control': 'no-store' });
        await pipeline(fs.createReadStream(output.file), res);
      },
    }),
  ];
}
