import { IdParams, isoDate, nullableIsoDate } from '../../platform/http/common-schemas.js';
import { z } from '../../platform/http/zod.js';

export { IdParams };

const Label = z.object({ zh: z.string(), en: z.string() });

/** A registered job's name (`audit.export`); stored with every queued run. */
const jobName = z.string().regex(/^[a-z0-9.-]{1,191}$/);

export const JobNameParams = z.strictObject({ name: jobName });

export const JobDefinition = z
  .object({
    name: z.string(),
    title: Label,
    schedule: z.string().nullable().openapi({ description: 'cron (in `timezone`) or a human interval; null: started by an action' }),
    timezone: z.string(),
    concurrency: z.number().int(),
    retries: z.number().int(),
    disabled: z.boolean(),
    nextRunAt: nullableIsoDate,
    lastRunAt: nullableIsoDate,
    lastFinishedAt: nullableIsoDate,
    lastError: z.object({ at: isoDate, message: z.string() }).nullable(),
    running: z.number().int(),
    queued: z.number().int(),
    failed: z.number().int(),
    progress: z.number().nullable(),
  })
  .openapi('JobDefinition');

export const JobDefinitionList = z.object({ items: z.array(JobDefinition), runsInThisProcess: z.boolean() });

export const JobRunStarted = z.object({ jobId: z.string() });

const LEVELS = ['info', 'warn', 'error', 'debug'] as const;
const EVENTS = ['start', 'success', 'fail', 'complete', 'retry', 'retry:exhausted', 'locked', 'expired'] as const;

export const JobLogQuery = z.strictObject({
  jobName: jobName.optional(),
  jobId: z.string().max(64).optional(),
  level: z.enum(LEVELS).optional(),
  event: z.enum(EVENTS).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

export const JobLogPage = z.object({
  total: z.number().int(),
  items: z.array(
    z.object({
      at: isoDate,
      level: z.enum(LEVELS),
      event: z.string(),
      jobId: z.string().nullable(),
      jobName: z.string(),
      message: z.string(),
      durationMs: z.number().nullable(),
      error: z.string().nullable(),
      node: z.string().nullable(),
    }),
  ),
});

export const TaskQuery = z.strictObject({
  jobName: jobName.optional(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed']).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const Task = z
  .object({
    id: z.number().int(),
    jobName: z.string(),
    jobId: z.string().nullable().openapi({ description: 'the job run serving the task, as the job log names it' }),
    status: z.enum(['queued', 'running', 'succeeded', 'failed']),
    progress: z.number().int(),
    message: z.string().nullable(),
    summary: z.record(z.string(), z.unknown()).nullable(),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    output: z
      .object({ name: z.string(), type: z.string(), size: z.number().int() })
      .nullable()
      .openapi({ description: 'the file to download; null when there is none or it has passed retention' }),
    createdAt: isoDate,
    startedAt: nullableIsoDate,
    finishedAt: nullableIsoDate,
    expiresAt: nullableIsoDate,
  })
  .openapi('Task');

export const TaskPage = z.object({
  items: z.array(Task),
  nextBefore: z.number().int().nullable(),
  active: z.number().int().openapi({ description: "the caller's queued and running tasks, of any age" }),
});
