import type { Logger } from '../logger/index.js';

export type Label = { zh: string; en: string };

/** What a handler may write for its owner to download (an export, an import's error file). */
export interface JobOutput {
  /** Absolute path of a file the handler wrote, under `run.outputDir()`. */
  file: string;
  /** The name the browser saves it under. */
  downloadName: string;
  contentType: string;
}

export interface JobResult {
  output?: JobOutput;
  /** A short JSON summary shown beside the task, e.g. `{ rows: 1200 }`. */
  summary?: Record<string, unknown>;
}

/** One run of a job, as its handler sees it. */
export interface JobRun<Data> {
  id: string;
  name: string;
  data: Data;
  /** 1 on the first run, 2 on the first retry, ... */
  attempt: number;
  /** The user task this run serves, when a user started it. */
  taskId: number | null;
  logger: Logger;
  /**
   * Reports progress (0-100, with an optional message, best in both languages so the owner
   * reads it in theirs) to the Jobs page and the owner's task list. Cheap to call often:
   * writes are throttled.
   */
  progress(percent: number, message?: string | Label): Promise<void>;
  /** A directory of this run's own for output files; created on first call. */
  outputDir(): string;
}

/**
 * One background job, declared in its module's `jobs/` folder:
 *
 *   export default defineJob<{ auditSealer: AuditSealer }>({
 *     name: 'audit.seal', title: { zh: '封存操作日志', en: 'Seal the audit log' },
 *     schedule: '30 seconds',
 *     handler: async (run, { auditSealer }) => { await auditSealer.sealPending(); },
 *   });
 *
 * `Deps` names only what the handler needs; the registry passes the whole app context.
 */
export interface JobSpec<Deps = unknown, Data = unknown> {
  /** `module.action`, stable: it is stored with every queued job. */
  name: string;
  title: Label;
  /**
   * Repeats: a cron expression (`5 0 * * *`, read in the business timezone) or a human
   * interval (`30 seconds`, `1 hour`). Without it the job runs only when enqueued.
   */
  schedule?: string | ((deps: Deps) => string);
  /** Runs of this job at once on one node (default 1). */
  concurrency?: number;
  /**
   * How long a run may go without reporting progress (which renews its lock) before it counts
   * as dead: agenda stops it and another node takes the job over (default 10 min).
   */
  lockLifetimeMs?: number;
  /** Retries after a failure, with exponential backoff from `retryDelayMs` (defaults 3 and 30 s). */
  retries?: number;
  retryDelayMs?: number;
  handler(run: JobRun<Data>, deps: Deps): Promise<JobResult | void>;
}

export function defineJob<Deps, Data = unknown>(spec: JobSpec<Deps, Data>): JobSpec<Deps, Data> {
  if (!/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/.test(spec.name)) {
    throw new Error(`job name "${spec.name}" must read module.action in lower case`);
  }
  return spec;
}

export const DEFAULT_LOCK_LIFETIME_MS = 10 * 60_000;
export const DEFAULT_RETRIES = 3;
export const DEFAULT_RETRY_DELAY_MS = 30_000;
