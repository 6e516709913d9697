import fs from 'node:fs';
import path from 'node:path';
import { Op, type Sequelize } from 'sequelize';
import { AppError, formatMessage, type ErrorParams } from '../../platform/errors/app-error.js';
import type { ErrorCode } from '../../platform/errors/catalog.js';
import type { Locale } from '../../platform/http/request-context.js';
import type { Principal } from '../../platform/http/route.js';
import { withTransaction } from '../../platform/db/transaction.js';
import type { TaskTracker } from '../../platform/jobs/job-runner.js';
import type { JobResult, Label } from '../../platform/jobs/job-spec.js';
import type { JobModels, JobTaskRecord } from './models.js';

/** Queues a job run for a task; the runner, or a stand-in in a process that does not run jobs. */
export type Enqueue = (name: string, input: unknown, taskId: number) => Promise<string>;

export interface TaskError {
  code: string;
  params: ErrorParams;
}

export interface TaskView {
  id: number;
  jobName: string;
  /** The job run serving it: what IT looks up in the job log when the owner reports a failure. */
  jobId: string | null;
  status: JobTaskRecord['status'];
  progress: number;
  message: string | null;
  summary: Record<string, unknown> | null;
  error: { code: string; message: string } | null;
  output: { name: string; type: string; size: number } | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  expiresAt: Date | null;
}

/**
 * A user's background work: queued in the same transaction as the action that asked for it
 * (and its audit record), tracked by the job runner, its output kept for a few days and
 * downloadable only by the user who started it.
 */
export class TaskService implements TaskTracker {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly models: JobModels,
    private readonly enqueue: Enqueue,
    private readonly options: { outputRoot: string; retentionDays: number },
  ) {}

  /**
   * Creates the task and queues its job in one transaction with `record`, which writes the
   * audit record of the action that asked for it: all three exist, or none.
   */
  async submit(principal: Principal, jobName: string, input: unknown, record: (task: JobTaskRecord) => Promise<void>): Promise<JobTaskRecord> {
    return withTransaction(this.sequelize, async (transaction) => {
      const task = await this.models.JobTask.create(
        { jobName, jobId: null, ownerUserId: principal.userId, message: null, summary: null, error: null, outputFile: null, outputName: null, outputType: null, outputSize: null, startedAt: null, finishedAt: null, expiresAt: null },
        { transaction },
      );
      task.jobId = await this.enqueue(jobName, input, task.id);
      await task.save({ transaction });
      await record(task);
      return task;
    });
  }

  async list(
    principal: Principal,
    query: { before?: number; limit: number; jobName?: string; status?: JobTaskRecord['status'] },
  ): Promise<{ items: JobTaskRecord[]; nextBefore: number | null; active: number }> {
    const owner = { ownerUserId: principal.userId };
    const where: Record<string | symbol, unknown> = { ...owner };
    if (query.before) where.id = { [Op.lt]: query.before };
    if (query.jobName) where.jobName = query.jobName;
    if (query.status) where.status = query.status;
    const [rows, active] = await Promise.all([
      this.models.JobTask.findAll({ where, order: [['id', 'DESC']], limit: query.limit + 1 }),
      this.models.JobTask.count({ where: { ...owner, status: ['queued', 'running'] } }),
    ]);
    const items = rows.slice(0, query.limit);
    return { items, nextBefore: rows.length > query.limit ? Number(items[items.length - 1].id) : null, active };
  }

  /** Another user's task reads as missing, never as forbidden: ids are not an oracle. */
  async get(principal: Principal, id: number): Promise<JobTaskRecord> {
    const task = await this.models.JobTask.findByPk(id);
    if (!task || Number(task.ownerUserId) !== principal.userId) throw new AppError('TASK_NOT_FOUND', { params: { id } });
    return task;
  }

  /** The task's file, when it has one that has not expired. */
  async output(principal: Principal, id: number): Promise<{ file: string; name: string; type: string; size: number }> {
    const task = await this.get(principal, id);
    if (task.status !== 'succeeded') throw new AppError('TASK_NOT_FINISHED', { params: { id } });
    if (task.expiresAt && task.expiresAt.getTime() <= Date.now()) throw new AppError('TASK_OUTPUT_EXPIRED', { params: { id } });
    if (!task.outputFile || !task.outputName) throw new AppError('TASK_HAS_NO_OUTPUT', { params: { id } });
    const file = path.join(this.options.outputRoot, task.outputFile);
    if (!fs.existsSync(file)) throw new AppError('TASK_OUTPUT_EXPIRED', { params: { id } });
    return { file, name: task.outputName, type: task.outputType ?? 'application/octet-stream', size: Number(task.outputSize ?? 0) };
  }

  view(task: JobTaskRecord, locale: Locale): TaskView {
    const error = task.error ? (JSON.parse(task.error) as TaskError) : null;
    const message = task.message ? (JSON.parse(task.message) as Label) : null;
    const expired = task.expiresAt !== null && task.expiresAt.getTime() <= Date.now();
    return {
      id: Number(task.id),
      jobName: task.jobName,
      jobId: task.jobId,
      status: task.status,
      progress: task.progress,
      message: message && (locale === 'en' ? message.en : message.zh),
      summary: task.summary ? (JSON.parse(task.summary) as Record<string, unknown>) : null,
      error: error && { code: error.code, message: formatMessage(error.code as ErrorCode, locale, error.params) },
      // A file past retention is gone (or about to be): it is not offered.
      output: task.outputFile && task.outputName && !expired ? { name: task.outputName, type: task.outputType ?? '', size: Number(task.outputSize ?? 0) } : null,
      createdAt: task.createdAt,
      startedAt: task.startedAt,
      finishedAt: task.finishedAt,
      expiresAt: task.expiresAt,
    };
  }

  // TaskTracker: called by the job runner, outside any request.

  async started(taskId: number, jobId: string): Promise<void> {
    await this.models.JobTask.update({ status: 'running', jobId, startedAt: new Date(), error: null }, { where: { id: taskId } });
  }

  async progress(taskId: number, percent: number, message: Label | null): Promise<void> {
    const stored = message && JSON.stringify({ zh: message.zh.slice(0, 100), en: message.en.slice(0, 100) });
    await this.models.JobTask.update({ progress: percent, message: stored }, { where: { id: taskId } });
  }

  async succeeded(taskId: number, result: JobResult): Promise<void> {
    const finishedAt = new Date();
    const output = result.output;
    await this.models.JobTask.update(
      {
        status: 'succeeded',
        progress: 100,
        summary: result.summary ? JSON.stringify(result.summary) : null,
        outputFile: output ? path.relative(this.options.outputRoot, output.file) : null,
        outputName: output?.downloadName ?? null,
        outputType: output?.contentType ?? null,
        outputSize: output ? fs.statSync(output.file).size : null,
        finishedAt,
        expiresAt: output ? new Date(finishedAt.getTime() + this.options.retentionDays * 86_400_000) : null,
      },
      { where: { id: taskId } },
    );
  }

  async failed(taskId: number, error: Error, willRetry: boolean): Promise<void> {
    // An AppError's code and params are kept so the owner reads the reason in their language;
    // anything else is an internal fault whose details stay in the server log.
    const stored: TaskError = error instanceof AppError ? { code: error.code, params: error.params } : { code: 'TASK_FAILED', params: { id: taskId } };
    await this.models.JobTask.update(
      willRetry
        ? { status: 'queued', error: JSON.stringify(stored) }
        : { status: 'failed', error: JSON.stringify(stored), finishedAt: new Date() },
      { where: { id: taskId } },
    );
  }

  /** Deletes output files past their retention; the task rows stay as history. */
  async purgeExpiredOutputs(now = new Date()): Promise<number> {
    const expired = await this.models.JobTask.findAll({ where: { expiresAt: { [Op.lte]: now }, outputFile: { [Op.ne]: null } } });
    for (const task of expired) {
      fs.rmSync(path.dirname(path.join(this.options.outputRoot, task.outputFile!)), { recursive: true, force: true });
      await task.update({ outputFile: null });
    }
    return expired.length + this.purgeOldUploads(now);
  }

  /** Files users uploaded for a task (member sheets) go after the same retention as outputs. */
  private purgeOldUploads(now: Date): number {
    const dir = path.join(this.options.outputRoot, 'uploads');
    if (!fs.existsSync(dir)) return 0;
    const cutoff = now.getTime() - this.options.retentionDays * 86_400_000;
    let removed = 0;
    for (const name of fs.readdirSync(dir)) {
      const file = path.join(dir, name);
      if (fs.statSync(file).mtimeMs < cutoff) {
        fs.rmSync(file, { force: true });
        removed += 1;
      }
    }
    return removed;
  }
}
