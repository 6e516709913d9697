import { defineJob } from '../../../platform/jobs/job-spec.js';
import type { JobLogQuery } from 'agenda';
import type { TaskService } from '../task-service.js';

const JOB_LOG_RETENTION_DAYS = 90;

/** Deletes export/import files past retention, finished one-off runs past a week and job log entries past 90 days. */
export default defineJob<{ services: { tasks: TaskService }; jobRunner: { clearLogs(query: JobLogQuery): Promise<number>; purgeFinished(before: Date): Promise<number> } }>({
  name: 'jobs.purge-outputs',
  title: { zh: '清理过期的任务文件与任务日志', en: 'Delete expired task files and old job logs' },
  schedule: '0 4 * * *',
  handler: async (_run, { services, jobRunner }) => {
    const files = await services.tasks.purgeExpiredOutputs();
    const cutoff = new Date(Date.now() - JOB_LOG_RETENTION_DAYS * 86_400_000);
    const logs = await jobRunner.clearLogs({ to: cutoff });
    // A week of finished runs stays in the queue table for the Jobs page; their log stays longer.
    const runs = await jobRunner.purgeFinished(new Date(Date.now() - 7 * 86_400_000));
    return { summary: { files, logs, runs } };
  },
});
