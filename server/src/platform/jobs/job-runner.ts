import fs from 'node:fs';
import path from 'node:path';
import { Agenda, exponential, type AgendaBackend, type Job, type JobLogQuery } from 'agenda';
import type { Logger } from '../logger/index.js';
import {
  DEFAULT_LOCK_LIFETIME_MS,
  DEFAULT_RETRIES,
  DEFAULT_RETRY_DELAY_MS,
  type JobResult,
  type JobRun,
  type Label,
  type JobSpec,
} from './job-spec.js';

/** Keeps a user's task row in step with the job that serves it (modules/jobs implements it). */
export interface TaskTracker {
  started(taskId: number, jobId: string): Promise<void>;
  progress(taskId: number, percent: number, message: Label | null): Promise<void>;
  succeeded(taskId: number, result: JobResult): Promise<void>;
  failed(taskId: number, error: Error, willRetry: boolean): Promise<void>;
}

/** What a queued job stores as its data; recurring jobs store none. */
interface Envelope {
  taskId: number | null;
  input: unknown;
}

export interface JobRunnerOptions<Deps> {
  backend: AgendaBackend;
  specs: ReadonlyArray<JobSpec<Deps, never>>;
  /** What handlers receive; a function, because the app context is finished after the runner. */
  deps: () => Deps;
  logger: Logger;
  /** Cron schedules are read in it. */
  timezone: string;
  /** Shown in the job log as the node that ran a job. */
  nodeName: string;
  processEveryMs: number;
  /** Where runs write files for their owners (a directory per run). */
  outputRoot: string;
}

const PROGRESS_INTERVAL_MS = 500;

/**
 * Huiji's jobs on agenda: defines every registered job, keeps the recurring ones scheduled,
 * and runs them when this process is a job runner (the server by default, or the worker).
 * A process that only enqueues (the server when a worker runs the jobs) never starts it.
 */
export class JobRunner<Deps> {
  readonly agenda: Agenda;
  private readonly specs = new Map<string, JobSpec<Deps, never>>();
  private processing = false;
  /** Runs in progress in this process, by job id: what a stop that times out hands back. */
  private readonly running = new Map<string, Job<Envelope | undefined>>();
  /** Set by whoever keeps user tasks (modules/jobs); runs without a task need none. */
  tasks: TaskTracker | undefined;

  constructor(private readonly options: JobRunnerOptions<Deps>) {
    this.agenda = new Agenda({
      backend: options.backend,
      name: options.nodeName,
      processEvery: options.processEveryMs,
      defaultLockLifetime: DEFAULT_LOCK_LIFETIME_MS,
      // Finished one-off runs are removed by purgeFinished(), not by agenda's removeOnComplete:
      // its delete runs after the 'complete' event, which makes drain() miss the last job.
      logging: true,
    });
    this.agenda.on('error', (error) => options.logger.error('job scheduler error', { error }));
    for (const spec of options.specs) this.define(spec);
  }

  get definitions(): ReadonlyArray<JobSpec<Deps, never>> {
    return [...this.specs.values()];
  }

  spec(name: string): JobSpec<Deps, never> | undefined {
    return this.specs.get(name);
  }

  scheduleOf(spec: JobSpec<Deps, never>): string | null {
    if (!spec.schedule) return null;
    return typeof spec.schedule === 'function' ? spec.schedule(this.options.deps()) : spec.schedule;
  }

  get isProcessing(): boolean {
    return this.processing;
  }

  /**
   * Connects and (re)writes each recurring job's schedule. Every node does this at start;
   * the jobs are unique by name, so the schedule exists once however many nodes there are.
   * A job an operator disabled stays disabled.
   */
  async init(): Promise<void> {
    await this.agenda.ready;
    for (const spec of this.specs.values()) {
      const schedule = this.scheduleOf(spec);
      if (!schedule) continue;
      const { jobs } = await this.agenda.queryJobs({ name: spec.name, includeDisabled: true });
      const existing = jobs.find((job) => job.type === 'single');
      const job = this.agenda.create(spec.name);
      job.attrs.type = 'single';
      job.repeatEvery(schedule, { timezone: this.options.timezone, skipImmediate: true });
      if (existing?.disabled) job.disable();
      await job.save();
    }
  }

  /** Starts taking jobs from the queue (the server in `runIn: server`, or the worker). */
  async start(): Promise<void> {
    await this.agenda.start();
    this.processing = true;
  }

  /**
   * Stops taking new jobs and waits up to `timeoutMs` for running ones to finish. Runs still
   * going then are unlocked, so another node takes them at once instead of after their lock
   * lifetime: call this only on the way out of the process.
   */
  async stop(timeoutMs: number): Promise<{ completed: number; abandoned: number }> {
    if (!this.processing) {
      // agenda closes the backend only if it was started; a process that only queued closes it here.
      await this.agenda.stop();
      await this.flushLog();
      await this.options.backend.disconnect();
      return { completed: 0, abandoned: 0 };
    }
    this.processing = false;
    const result = await this.agenda.drain({ timeout: timeoutMs });
    const abandoned = [...this.running.values()];
    await this.agenda.stop();
    // A run that started has no next run time of its own any more (agenda clears it when a
    // one-off job starts): give it one, or unlocking would leave it stranded.
    for (const job of abandoned) {
      job.attrs.lockedAt = undefined;
      job.attrs.nextRunAt = new Date();
      await this.agenda.db.saveJobState(job.attrs, { lastModifiedBy: this.options.nodeName });
    }
    await this.flushLog();
    return { completed: result.completed, abandoned: abandoned.length };
  }

  /** agenda writes its job log without waiting; the writes must land before the database closes. */
  private async flushLog(): Promise<void> {
    const logger = this.options.backend.logger as { flush?: () => Promise<void> } | undefined;
    await logger?.flush?.();
  }

  /**
   * Deletes one-off runs that ended (done, or failed for good) before `before`; their log
   * entries and task rows stay. Recurring jobs are never touched.
   */
  async purgeFinished(before: Date): Promise<number> {
    let removed = 0;
    for (const state of ['completed', 'failed'] as const) {
      for (;;) {
        const { jobs } = await this.agenda.queryJobs({ state, limit: 500, sort: { lastFinishedAt: 'asc' } });
        const ended = jobs.filter((job) => {
          const at = job.lastFinishedAt ?? job.failedAt;
          return job.type !== 'single' && !job.nextRunAt && at && at < before;
        });
        if (ended.length === 0) break;
        removed += await this.agenda.cancel({ ids: ended.map((job) => job._id) });
        if (jobs.length < 500) break;
      }
    }
    return removed;
  }

  /** Queues one run now; `taskId` ties it to the user task that tracks it. */
  async enqueue(name: string, input: unknown, taskId: number | null = null): Promise<string> {
    if (!this.specs.has(name)) throw new Error(`no job named ${name}`);
    const envelope: Envelope = { taskId, input };
    const job = await this.agenda.now(name, envelope);
    return String(job.attrs._id);
  }

  disable(name: string): Promise<number> {
    return this.agenda.disable({ name });
  }

  enable(name: string): Promise<number> {
    return this.agenda.enable({ name });
  }

  logs(query: JobLogQuery) {
    return this.agenda.getLogs(query);
  }

  clearLogs(query: JobLogQuery): Promise<number> {
    return this.agenda.clearLogs(query);
  }

  private define(spec: JobSpec<Deps, never>): void {
    if (this.specs.has(spec.name)) throw new Error(`job ${spec.name} is registered twice`);
    this.specs.set(spec.name, spec);
    const retries = spec.retries ?? DEFAULT_RETRIES;
    this.agenda.define(spec.name, (job: Job<Envelope | undefined>) => this.run(spec, job, retries), {
      concurrency: spec.concurrency ?? 1,
      lockLifetime: spec.lockLifetimeMs ?? DEFAULT_LOCK_LIFETIME_MS,
      backoff: retries > 0 ? exponential({ delay: spec.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS, maxRetries: retries, maxDelay: 3_600_000 }) : undefined,
    });
  }

  private async run(spec: JobSpec<Deps, never>, job: Job<Envelope | undefined>, retries: number): Promise<void> {
    const { logger } = this.options;
    const tasks = this.tasks;
    const id = String(job.attrs._id);
    const taskId = job.attrs.data?.taskId ?? null;
    const attempt = (job.attrs.failCount ?? 0) + 1;
    const runLogger = logger.child({ job: spec.name, jobId: id, attempt });
    const run = this.runOf(spec, job, { id, taskId, attempt, logger: runLogger });
    this.running.set(id, job);
    try {
      if (taskId !== null && tasks) await tasks.started(taskId, id);
      const result = await spec.handler(run as JobRun<never>, this.options.deps());
      if (taskId !== null && tasks) await tasks.succeeded(taskId, result ?? {});
    } catch (caught) {
      const error = caught instanceof Error ? caught : new Error(String(caught));
      const willRetry = attempt <= retries;
      runLogger.error(`job ${spec.name} failed${willRetry ? '; it will be retried' : ''}`, { error });
      if (taskId !== null && tasks) await tasks.failed(taskId, error, willRetry).catch((e: unknown) => runLogger.error('task update failed', { error: e }));
      throw error;
    } finally {
      this.running.delete(id);
    }
  }

  private runOf(
    spec: JobSpec<Deps, never>,
    job: Job<Envelope | undefined>,
    base: { id: string; taskId: number | null; attempt: number; logger: Logger },
  ): JobRun<unknown> {
    const { outputRoot } = this.options;
    const tasks = this.tasks;
    let lastWrite = 0;
    let pending: Promise<void> = Promise.resolve();
    return {
      ...base,
      name: spec.name,
      data: job.attrs.data?.input,
      progress: (percent, message) => {
        const value = Math.max(0, Math.min(100, Math.round(percent)));
        const now = Date.now();
        if (value < 100 && now - lastWrite < PROGRESS_INTERVAL_MS) return pending;
        lastWrite = now;
        // touch() also renews the lock, so a long job that reports progress keeps it.
        pending = pending.then(async () => {
          await job.touch(value);
          if (base.taskId !== null && tasks) {
            const label = typeof message === 'string' ? { zh: message, en: message } : (message ?? null);
            await tasks.progress(base.taskId, value, label);
          }
        });
        return pending;
      },
      outputDir: () => {
        const dir = path.join(outputRoot, base.taskId !== null ? `task-${base.taskId}` : `job-${base.id}`);
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        return dir;
      },
    };
  }
}
