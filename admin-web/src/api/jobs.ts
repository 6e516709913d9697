import { download, http, type DownloadedFile } from './http';
import type { LocalizedLabel } from './roles';

/** A registered background job as the 任务 page shows it. */
export interface JobDefinition {
  /** 'audit.seal', 'audit.export', ... */
  name: string;
  title: LocalizedLabel;
  /** cron (in `timezone`) or a human interval ('30 seconds'); null: started by an action (an export) */
  schedule: string | null;
  timezone: string;
  concurrency: number;
  retries: number;
  disabled: boolean;
  nextRunAt: string | null;
  lastRunAt: string | null;
  lastFinishedAt: string | null;
  lastError: { at: string; message: string } | null;
  running: number;
  queued: number;
  failed: number;
  /** 0-100 while a run reports progress */
  progress: number | null;
}

export type JobLogLevel = 'info' | 'warn' | 'error' | 'debug';
export const JOB_LOG_LEVELS: readonly JobLogLevel[] = ['info', 'warn', 'error', 'debug'];
export const JOB_LOG_EVENTS = ['start', 'success', 'fail', 'complete', 'retry', 'retry:exhausted', 'locked', 'expired'] as const;
export type JobLogEvent = (typeof JOB_LOG_EVENTS)[number];

export interface JobLogEntry {
  at: string;
  level: JobLogLevel;
  /** one of JOB_LOG_EVENTS, or a newer event this console does not know yet */
  event: string;
  jobId: string | null;
  jobName: string;
  message: string;
  durationMs: number | null;
  error: string | null;
  /** the process that ran it */
  node: string | null;
}

export interface JobLogQuery {
  jobName?: string;
  jobId?: string;
  level?: JobLogLevel;
  event?: JobLogEvent;
  limit?: number;
  offset?: number;
}

export type TaskStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/** One of the signed-in user's own background tasks (an export, an import). */
export interface Task {
  id: number;
  jobName: string;
  /** the job run serving it, as the job log names it: what IT looks up when it fails */
  jobId: string | null;
  status: TaskStatus;
  /** 0-100 */
  progress: number;
  /** the job's last progress message, in this request's language */
  message: string | null;
  summary: Record<string, unknown> | null;
  /** message in this request's language */
  error: { code: string; message: string } | null;
  /** null when there is no file, or it has passed retention */
  output: { name: string; type: string; size: number } | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** when the output file is deleted */
  expiresAt: string | null;
}

/** 后台任务定义列表（计划、下次与上次运行、最近错误、运行与排队数） */
export const listJobs = () => http.get<{ items: JobDefinition[]; runsInThisProcess: boolean }>('/api/v1/jobs');

/** 任务运行日志（新的在前，按 offset 翻页） */
export const listJobLogs = (query: JobLogQuery) => http.get<{ total: number; items: JobLogEntry[] }>('/api/v1/jobs/logs', { query: { ...query } });

/** 立即运行一次定时任务（不改变原有计划） */
export const runJob = (name: string) => http.post<{ jobId: string }>(`/api/v1/jobs/${encodeURIComponent(name)}/run`);

/** 停用定时任务 */
export const disableJob = (name: string) => http.post<void>(`/api/v1/jobs/${encodeURIComponent(name)}/disable`);

/** 启用定时任务 */
export const enableJob = (name: string) => http.post<void>(`/api/v1/jobs/${encodeURIComponent(name)}/enable`);

/** 我的后台任务（新的在前，按 nextBefore 翻页） */
export const listTasks = (query: { before?: number; limit?: number; jobName?: string; status?: TaskStatus } = {}) =>
  http.get<{ items: Task[]; nextBefore: number | null; /** queued and running, of any age */ active: number }>('/api/v1/tasks', {
    query: { ...query },
  });

/** 我的一个后台任务 */
export const getTask = (id: number) => http.get<Task>(`/api/v1/tasks/${id}`);

/** 下载后台任务生成的文件（需带令牌，不能用普通链接） */
export const downloadTaskOutput = (id: number): Promise<DownloadedFile> => download(`/api/v1/tasks/${id}/output`);
