import type { Task } from '@/api/jobs';
import { i18n } from '@/locales';

/**
 * i18n keys of the jobs a user's own task can come from. Only IT may read the job
 * definitions (and their titles), so 我的任务 names them from here; an unknown job shows its name.
 */
const TASK_JOB_TITLES: Record<string, string> = {
  'audit.export': 'tasks.jobTitles.auditExport',
  'members.export': 'tasks.jobTitles.membersExport',
  'members.import': 'tasks.jobTitles.membersImport',
  'members.check-import': 'tasks.jobTitles.membersImportCheck',
  'coupons.batch-issue': 'tasks.jobTitles.couponsBatch',
  'backup.create': 'tasks.jobTitles.backupCreate',
};

/** The job behind a task, in the console's language. */
export function taskJobTitle(jobName: string): string {
  const key = TASK_JOB_TITLES[jobName];
  return key ? i18n.global.t(key) : jobName;
}

/** What a task did: its job's title (a dry run of an import has a job of its own, 预检). */
export function taskTitle(task: Pick<Task, 'jobName'>): string {
  return taskJobTitle(task.jobName);
}
