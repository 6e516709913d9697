import { AppError } from '../../platform/errors/app-error.js';
import type { JobRunner } from '../../platform/jobs/job-runner.js';
import { DEFAULT_RETRIES, type JobSpec, type Label } from '../../platform/jobs/job-spec.js';
import type { AuditService } from '../audit/service.js';
import type { Sequelize } from 'sequelize';
import { withTransaction } from '../../platform/db/transaction.js';
import type { JobLogQuery } from 'agenda';

export interface JobDefinitionView {
  name: string;
  title: Label;
  schedule: string | null;
  timezone: string;
  concurrency: number;
  retries: number;
  disabled: boolean;
  nextRunAt: Date | null;
  lastRunAt: Date | null;
  lastFinishedAt: Date | null;
  /** The last failure of any run of this job, from the job log. */
  lastError: { at: Date; message: string } | null;
  running: number;
  queued: number;
  failed: number;
  /** Progress of a running scheduled run (0-100), when it reports one. */
  progress: number | null;
}

/**
 * The IT view of background jobs: what is registered, when it runs next, what failed; and
 * the operator's levers (run now, disable, enable), each audited.
 */
export class JobsService<Deps> {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly runner: JobRunner<Deps>,
    private readonly audit: AuditService,
    private readonly timezone: string,
  ) {}

  async definitions(): Promise<JobDefinitionView[]> {
    const { jobs } = await this.runner.agenda.queryJobs({ names: this.runner.definitions.map((d) => d.name), includeDisabled: true });
    const views: JobDefinitionView[] = [];
    for (const spec of this.runner.definitions) {
      const runs = jobs.filter((job) => job.name === spec.name);
      const recurring = runs.find((job) => job.type === 'single');
      // Running means started and not finished; a job claimed ahead of its time is not yet running.
      const running = runs.filter((job) => job.lockedAt && job.lastRunAt && job.lastRunAt >= job.lockedAt && !(job.lastFinishedAt && job.lastFinishedAt >= job.lastRunAt));
      // The latest run of any kind: the schedule's, or one started by hand or by a user.
      const latest = runs.filter((job) => job.lastRunAt).sort((a, b) => b.lastRunAt!.getTime() - a.lastRunAt!.getTime())[0];
      const [lastFail] = (await this.runner.logs({ jobName: spec.name, event: 'fail', limit: 1, sort: 'desc' })).entries;
      views.push({
        name: spec.name,
        title: spec.title,
        schedule: this.runner.scheduleOf(spec),
        timezone: this.timezone,
        concurrency: spec.concurrency ?? 1,
        retries: spec.retries ?? DEFAULT_RETRIES,
        disabled: recurring?.disabled ?? false,
        nextRunAt: recurring && !recurring.disabled ? (recurring.nextRunAt ?? null) : null,
        lastRunAt: latest?.lastRunAt ?? null,
        lastFinishedAt: latest?.lastFinishedAt && latest.lastFinishedAt >= latest.lastRunAt! ? latest.lastFinishedAt : null,
        lastError: lastFail ? { at: new Date(lastFail.timestamp), message: lastFail.error ?? lastFail.message } : null,
        running: running.length,
        queued: runs.filter((job) => job.type !== 'single' && !job.lockedAt && !job.disabled && job.nextRunAt).length,
        // Failed for good: a run waiting for its retry is counted as queued.
        failed: runs.filter((job) => job.state === 'failed' && job.type !== 'single' && !job.nextRunAt).length + (recurring?.state === 'failed' ? 1 : 0),
        progress: running.find((job) => job.progress !== undefined && job.progress !== null)?.progress ?? null,
      });
    }
    return views;
  }

  /** Queues one extra run of a scheduled job; its schedule is unchanged. */
  async runNow(name: string): Promise<{ jobId: string }> {
    const spec = this.scheduled(name);
    const { jobs } = await this.runner.agenda.queryJobs({ name, includeDisabled: true });
    if (jobs.some((job) => job.type === 'single' && job.disabled)) throw new AppError('JOB_DISABLED', { params: { name } });
    return withTransaction(this.sequelize, async () => {
      const jobId = await this.runner.enqueue(spec.name, undefined);
      await this.audit.record({ action: 'job.run', entityType: 'job', entityId: name, summary: `手动运行任务 ${spec.title.zh}（${name}）` });
      return { jobId };
    });
  }

  async setDisabled(name: string, disabled: boolean): Promise<void> {
    const spec = this.scheduled(name);
    await withTransaction(this.sequelize, async () => {
      await (disabled ? this.runner.disable(name) : this.runner.enable(name));
      await this.audit.record({
        action: disabled ? 'job.disable' : 'job.enable',
        entityType: 'job',
        entityId: name,
        summary: `${disabled ? '停用' : '启用'}任务 ${spec.title.zh}（${name}）`,
        diff: { disabled: { from: !disabled, to: disabled } },
      });
    });
  }

  logs(query: JobLogQuery) {
    if (query.jobName) this.known(query.jobName);
    return this.runner.logs(query);
  }

  private known(name: string): JobSpec<Deps, never> {
    const spec = this.runner.spec(name);
    if (!spec) throw new AppError('JOB_NOT_FOUND', { params: { name } });
    return spec;
  }

  private scheduled(name: string): JobSpec<Deps, never> {
    const spec = this.known(name);
    if (!this.runner.scheduleOf(spec)) throw new AppError('JOB_NOT_RUNNABLE', { params: { name } });
    return spec;
  }
}
