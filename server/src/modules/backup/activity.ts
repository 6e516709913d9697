import type { JobsQueryOptions, JobsResult, JobWithState } from 'agenda';

/** The job store's read side (agenda's `queryJobs`): the backup job's runs, on every node. */
export interface JobQueries {
  queryJobs(options: JobsQueryOptions): Promise<JobsResult>;
}

export const BACKUP_JOB = 'backup.create';

export interface ActiveBackup {
  jobId: string;
  state: 'queued' | 'running';
  /** When the running backup started; null while it waits. */
  startedAt: Date | null;
  progress: number | null;
  /** The schedule's own run (or one an operator started from the Jobs page), not a user's task. */
  scheduled: boolean;
  taskId: number | null;
}

export interface BackupActivity {
  active: ActiveBackup | null;
  /** The recurring daily run; null when the daily backup is off. */
  nextRunAt: Date | null;
  /** Disabled on the Jobs page: the daily backup does not run although a time is set. */
  scheduleDisabled: boolean;
  /** The latest run, when it failed. */
  lastFailure: { at: Date; reason: string } | null;
}

const taskIdOf = (job: JobWithState) => {
  const data = job.data as { taskId?: number | null } | undefined;
  return typeof data?.taskId === 'number' ? data.taskId : null;
};

/** The latest start has ended, in success or failure. */
const finished = (job: JobWithState) =>
  Boolean(job.lastRunAt && ((job.lastFinishedAt && job.lastFinishedAt >= job.lastRunAt) || (job.failedAt && job.failedAt >= job.lastRunAt)));

/**
 * Locked, started and not ended. A run claimed ahead of its time holds the lock but its
 * last start has ended; the lock's time says nothing, since each progress report renews it.
 */
const started = (job: JobWithState) => Boolean(job.lockedAt && job.lastRunAt && !finished(job));

/**
 * A one-off run that has not ended: waiting in the queue or claimed by a node. A finished
 * run may keep its lock for a moment while agenda writes its end.
 */
const pending = (job: JobWithState) => job.type !== 'single' && !job.disabled && Boolean(job.nextRunAt || (job.lockedAt && !finished(job)));

/**
 * What the backup job is doing across every node, read from the job store: the running or
 * queued backup (there is at most one, see BackupService.start), the next daily run and
 * the last failure. `exceptJobId` leaves out the run asking.
 */
export async function backupActivity(jobs: JobQueries, exceptJobId?: string): Promise<BackupActivity> {
  const { jobs: runs } = await jobs.queryJobs({ name: BACKUP_JOB, includeDisabled: true });
  const others = runs.filter((job) => String(job._id) !== exceptJobId);
  const runningJob = others.find(started);
  const waiting = runningJob ? undefined : others.find(pending);
  const activeJob = runningJob ?? waiting;
  const recurring = runs.find((job) => job.type === 'single');
  const latest = runs.filter((job) => job.lastRunAt).sort((a, b) => b.lastRunAt!.getTime() - a.lastRunAt!.getTime())[0];
  const failed = latest && latest.failedAt && (!latest.lastFinishedAt || latest.failedAt >= latest.lastFinishedAt) && !started(latest);
  return {
    active: activeJob
      ? {
          jobId: String(activeJob._id),
          state: runningJob ? 'running' : 'queued',
          startedAt: runningJob?.lastRunAt ?? null,
          progress: runningJob ? (runningJob.progress ?? 0) : null,
          scheduled: activeJob.type === 'single' || taskIdOf(activeJob) === null,
          taskId: taskIdOf(activeJob),
        }
      : null,
    nextRunAt: recurring && !recurring.disabled ? (recurring.nextRunAt ?? null) : null,
    scheduleDisabled: recurring?.disabled ?? false,
    lastFailure: failed ? { at: latest.failedAt!, reason: latest.failReason ?? '' } : null,
  };
}
