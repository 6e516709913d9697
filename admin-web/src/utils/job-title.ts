import { i18n } from '@/locales';

/**
 * i18n keys of the jobs a user's own task can come from. Only IT may read the job
 * definitions (and their titles), so 我的任务 names them from here; an unknown job shows its name.
 */
const TASK_JOB_TITLES: Record<string, string> = {
  'audit.export': 'tasks.jobTitles.auditExport',
};

/** The job behind a task, in the console's language. */
export function taskJobTitle(jobName: string): string {
  const key = TASK_JOB_TITLES[jobName];
  return key ? i18n.global.t(key) : jobName;
}
