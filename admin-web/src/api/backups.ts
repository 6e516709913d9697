import { http } from './http';
import type { Task } from './jobs';

/**
 * How far a backup is known to be good: verified/failed by `huiji-installer verify-backup`
 * with the private key; structure_ok when only its framing was checked (no key on the
 * server); damaged; unchecked while the framing check is still running.
 */
export type VerificationState = 'verified' | 'failed' | 'structure_ok' | 'damaged' | 'unchecked';

/** One .hjbak in the backup directory. */
export interface BackupItem {
  name: string;
  bytes: number;
  /** ISO instant, from the file's header */
  createdAt: string;
  huijiVersion: string | null;
  schemaVersion: string | null;
  dialect: 'mysql' | 'sqlite' | null;
  host: string | null;
  /** the public key it was made for: 32 hex digits */
  keyFingerprint: string | null;
  /** the .hjkey beside it */
  hasKeyFile: boolean;
  /** in the copy directory with the same size; null: no copy directory */
  copied: boolean | null;
  verification: { state: VerificationState; at: string | null; detail: string | null };
}

export interface BackupSettings {
  dir: string;
  freeBytes: number | null;
  copyTo: { dir: string; reachable: boolean; error: string | null } | null;
  /** 'HH:mm' in `timezone`, or 'off' */
  time: string;
  timezone: string;
  nextRunAt: string | null;
  /** the daily backup was disabled on the 任务 page */
  scheduleDisabled: boolean;
  retention: { keepDaily: number; keepWeekly: number; keepMonthly: number };
  publicKey: { file: string; status: 'ok' | 'missing' | 'invalid'; fingerprint: string | null; error: string | null };
  lastFailure: { at: string; reason: string } | null;
}

/** The backup running or waiting now, on any server of this installation. */
export interface RunningBackup {
  jobId: string;
  state: 'queued' | 'running';
  startedAt: string | null;
  /** 0-100 */
  progress: number | null;
  /** the daily run (or one started on the 任务 page), not someone's 立即备份 */
  scheduled: boolean;
  taskId: number | null;
}

export interface BackupOverview {
  settings: BackupSettings;
  running: RunningBackup | null;
  /** newest first */
  items: BackupItem[];
}

/** 备份列表、正在进行的备份与备份设置 */
export const getBackups = () => http.get<BackupOverview>('/api/v1/system/backups');

/** 立即备份（后台任务；同一时间只允许一个备份） */
export const startBackup = () => http.post<{ task: Task }>('/api/v1/system/backups');
