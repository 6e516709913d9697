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
};

/** The job behind a task, in the console's language. */
export function taskJobTitle(jobName: string): string {
  const key = TASK_JOB_TITLES[jobName];
  return key ? i18n.global.t(key) : jobName;
}

/** What a task did: its job's title, or 预检 for an import that only checked its sheet (known once it has a summary). */
export function taskTitle(task: Pick<Task, 'jobName' | 'summary'>): string {
  if (task.jobName === 'members.import' && task.summary?.dryRun === true) return i18n.global.t('tasks.jobTitles.membersImportCheck');
  return taskJobTitle(task.jobName);
}
