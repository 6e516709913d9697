import type { HuijiConfig } from '../../../platform/config/schema.js';
import { defineJob } from '../../../platform/jobs/job-spec.js';
import { BACKUP_JOB } from '../activity.js';
import type { BackupService } from '../service.js';

/** `03:30` -> `30 3 * * *` (read in the business time zone); `off` -> no schedule. */
export function dailySchedule(time: string): string {
  if (time === 'off') return '';
  const [hour, minute] = time.split(':').map(Number);
  return `${minute} ${hour} * * *`;
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * The daily backup at `backup.time`, and every backup a user starts (a task of theirs):
 * the encrypted file, its copy to the copy directory, then the retention rules. Not
 * retried: a failure mostly needs a person (a full disk, a missing key), and a pending
 * retry would hold the one-backup-at-a-time slot.
 */
export default defineJob<{ services: { backups: BackupService }; config: HuijiConfig }>({
  name: BACKUP_JOB,
  title: { zh: '备份数据库与数据文件', en: 'Back up the database and data files' },
  schedule: ({ config }) => dailySchedule(config.backup.time),
  retries: 0,
  // Progress renews the lock; a large table or a slow NAS may still go quiet for a while.
  lockLifetimeMs: 30 * 60_000,
  handler: async (run, { services, config }) => {
    // A schedule written before the time was set to off stays in the job store until removed.
    if (run.taskId === null && config.backup.time === 'off') return { summary: { skipped: 'backup.time is off' } };
    const outcome = await services.backups.execute(run);
    const removed = outcome.retention.reduce((sum, r) => sum + r.removed.length, 0);
    const copyZh = outcome.copy ? (outcome.copy.ok ? '，已复制到副本目录' : `，复制到副本目录失败：${outcome.copy.error}`) : '';
    const copyEn = outcome.copy ? (outcome.copy.ok ? ', copied to the copy directory' : `, copy to the copy directory failed: ${outcome.copy.error}`) : '';
    await run.progress(100, {
      zh: `已备份 ${outcome.name}（${megabytes(outcome.bytes)}）${copyZh}；清理旧备份 ${removed} 个`,
      en: `Backed up ${outcome.name} (${megabytes(outcome.bytes)})${copyEn}; ${removed} old backups removed`,
    });
    const retentionErrors = outcome.retention.filter((r) => r.error).map((r) => `${r.dir}: ${r.error}`);
    return {
      summary: {
        file: outcome.name,
        bytes: outcome.bytes,
        rows: outcome.rows,
        seconds: outcome.seconds,
        copied: outcome.copy ? outcome.copy.ok : null,
        ...(outcome.copy?.error ? { copyError: outcome.copy.error } : {}),
        removed,
        ...(retentionErrors.length > 0 ? { retentionErrors } : {}),
      },
    };
  },
});
