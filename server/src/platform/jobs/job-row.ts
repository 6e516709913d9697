import crypto from 'node:crypto';
import { toJobId, type JobParameters } from 'agenda';

/** A row of the jobs table as both drivers return it (SQLite: times as text, flags as 0/1). */
export type JobRow = Record<string, unknown> & { id: number | string; name: string };

type Kind = 'text' | 'int' | 'float' | 'time' | 'flag' | 'json' | 'interval' | 'days';

/**
 * Every persisted JobParameters field and its column. `_id`, `unique` and `uniqueOpts` are
 * not columns: the id is the row's, the unique constraint is kept only as `unique_key`.
 */
export const JOB_COLUMNS = {
  name: ['name', 'text'],
  type: ['type', 'text'],
  priority: ['priority', 'int'],
  nextRunAt: ['next_run_at', 'time'],
  lockedAt: ['locked_at', 'time'],
  lastRunAt: ['last_run_at', 'time'],
  lastFinishedAt: ['last_finished_at', 'time'],
  failedAt: ['failed_at', 'time'],
  failCount: ['fail_count', 'int'],
  failReason: ['fail_reason', 'text'],
  repeatInterval: ['repeat_interval', 'interval'],
  repeatTimezone: ['repeat_timezone', 'text'],
  repeatAt: ['repeat_at', 'text'],
  startDate: ['start_date', 'time'],
  endDate: ['end_date', 'time'],
  skipDays: ['skip_days', 'days'],
  data: ['data', 'json'],
  disabled: ['disabled', 'flag'],
  progress: ['progress', 'float'],
  fork: ['fork', 'flag'],
  debounceStartedAt: ['debounce_started_at', 'time'],
  lastModifiedBy: ['last_modified_by', 'text'],
} as const satisfies Record<string, readonly [string, Kind]>;

export type JobField = keyof typeof JOB_COLUMNS;

/** What agenda's processor owns; a user's `job.save()` leaves these alone (agenda's rule). */
export const PROCESSOR_FIELDS: JobField[] = ['lockedAt', 'lastRunAt', 'lastFinishedAt', 'failedAt', 'failCount', 'failReason', 'progress'];

/** The fields a save of a job's definition writes. */
export const DEFINITION_FIELDS = (Object.keys(JOB_COLUMNS) as JobField[]).filter(
  (field) => !PROCESSOR_FIELDS.includes(field) && field !== 'lastModifiedBy' && field !== 'debounceStartedAt',
);

/** Turns a stored time into a Date: mysql2 gives Dates, SQLite gives 'YYYY-MM-DD HH:mm:ss.SSS +00:00'. */
export function parseTime(value: unknown): Date | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return value;
  const text = String(value).trim().replace(' ', 'T').replace(/ ?\+00:00$/, 'Z');
  const date = new Date(/[zZ]$|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A JS value for its column; undefined becomes NULL. */
export function toColumnValue(field: JobField, value: unknown): unknown {
  if (value === undefined || value === null) {
    // NOT NULL columns get agenda's defaults.
    if (field === 'disabled' || field === 'fork') return false;
    if (field === 'type') return 'normal';
    if (field === 'priority') return 0;
    return null;
  }
  const [, kind] = JOB_COLUMNS[field];
  switch (kind) {
    case 'time':
      return value instanceof Date ? value : new Date(value as string);
    case 'flag':
      return Boolean(value);
    case 'json':
      return JSON.stringify(value);
    case 'interval':
      return String(value);
    case 'days':
      return JSON.stringify(value);
    default:
      return value;
  }
}

function fromColumnValue(kind: Kind, value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  switch (kind) {
    case 'time':
      return parseTime(value);
    case 'flag':
      return value === true || Number(value) === 1;
    case 'int':
    case 'float':
      return Number(value);
    case 'json':
      return JSON.parse(String(value)) as unknown;
    case 'interval':
      // A number of milliseconds is stored as its digits; anything else is human or cron text.
      return /^\d+$/.test(String(value)) ? Number(value) : String(value);
    case 'days':
      return JSON.parse(String(value)) as number[];
    default:
      return String(value);
  }
}

export function rowToJob<DATA = unknown>(row: JobRow): JobParameters<DATA> {
  const job: Record<string, unknown> = { _id: toJobId(String(row.id)) };
  for (const [field, [column, kind]] of Object.entries(JOB_COLUMNS)) {
    const value = fromColumnValue(kind, row[column]);
    if (value !== undefined) job[field] = value;
  }
  // agenda treats "no next run" as null, never as a missing field.
  job.nextRunAt ??= null;
  job.disabled ??= false;
  if (!('data' in job)) job.data = undefined;
  return job as unknown as JobParameters<DATA>;
}

/** Keys sorted at every depth, so `{a, b}` and `{b, a}` are the same constraint. */
function canonical(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/**
 * The row key that makes a job unique: one "single" job per name (agenda's `every`), or one
 * job per name and `unique()` query. Hashed so any query fits a CHAR(64) unique index.
 */
export function uniqueKeyOf(job: Pick<JobParameters, 'name' | 'type' | 'unique'>): string | null {
  let material: string;
  if (job.type === 'single') material = JSON.stringify(['single', job.name]);
  else if (job.unique && Object.keys(job.unique).length > 0) material = JSON.stringify(['unique', job.name, canonical(job.unique)]);
  else return null;
  return crypto.createHash('sha256').update(material).digest('hex');
}

/** True when `data` contains `pattern` (objects: every key of the pattern, recursively). */
export function dataMatches(data: unknown, pattern: unknown): boolean {
  if (pattern === null || typeof pattern !== 'object') return data === pattern;
  if (Array.isArray(pattern)) {
    return Array.isArray(data) && pattern.length === data.length && pattern.every((item, i) => dataMatches(data[i], item));
  }
  if (!data || typeof data !== 'object') return false;
  return Object.entries(pattern).every(([key, value]) => dataMatches((data as Record<string, unknown>)[key], value));
}
