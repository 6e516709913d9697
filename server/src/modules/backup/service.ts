import type { Sequelize } from 'sequelize';
import type { HuijiConfig } from '../../platform/config/schema.js';
import { withTransaction } from '../../platform/db/transaction.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { Principal } from '../../platform/http/route.js';
import type { Label } from '../../platform/jobs/job-spec.js';
import type { Logger } from '../../platform/logger/index.js';
import type { AuditService } from '../audit/service.js';
import type { JobTaskRecord } from '../jobs/models.js';
import type { TaskService } from '../jobs/task-service.js';
import { BACKUP_JOB, backupActivity, type ActiveBackup, type JobQueries } from './activity.js';
import { BackupRun, type BackupOutcome } from './backup-run.js';
import { BackupInspector } from './inspector.js';
import { freeBytes, listBackups, type BackupItem, type CopyDirectory } from './listing.js';
import { readPublicKey } from './public-key.js';

export interface BackupDeps {
  config: HuijiConfig;
  sequelize: Sequelize;
  audit: AuditService;
  tasks: TaskService;
  jobs: JobQueries;
  logger: Logger;
}

export interface BackupOverview {
  settings: {
    dir: string;
    freeBytes: number | null;
    copyTo: CopyDirectory | null;
    /** `HH:mm` on the business clock, or `off`. */
    time: string;
    timezone: string;
    nextRunAt: Date | null;
    scheduleDisabled: boolean;
    retention: { keepDaily: number; keepWeekly: number; keepMonthly: number };
    publicKey: { file: string; status: 'ok' | 'missing' | 'invalid'; fingerprint: string | null; error: string | null };
    lastFailure: { at: Date; reason: string } | null;
  };
  running: ActiveBackup | null;
  items: BackupItem[];
}

/** A run as the backup job sees it (see jobs/create.job.ts). */
export interface BackupJobRun {
  id: string;
  taskId: number | null;
  progress(percent: number, message: Label): Promise<void>;
}

/**
 * Backups as the IT page sees them: the files in the backup directory and what is known
 * of each, the settings they are made under, and starting one. One backup runs at a time
 * across every node; the server never offers a backup for download (see CONTEXT.md).
 */
export class BackupService {
  private readonly inspector = new BackupInspector();
  private readonly runner: BackupRun;

  constructor(private readonly deps: BackupDeps) {
    this.runner = new BackupRun({ config: deps.config, audit: deps.audit, logger: deps.logger });
  }

  async overview(): Promise<BackupOverview> {
    const { backup, businessTimezone } = this.deps.config;
    const key = readPublicKey(backup.publicKeyFile);
    const [listed, activity, free] = await Promise.all([listBackups(backup.dir, backup.copyTo, this.inspector), backupActivity(this.deps.jobs), freeBytes(backup.dir)]);
    const off = backup.time === 'off';
    return {
      settings: {
        dir: backup.dir,
        freeBytes: free,
        copyTo: listed.copyTo,
        time: backup.time,
        timezone: businessTimezone,
        nextRunAt: off ? null : activity.nextRunAt,
        scheduleDisabled: !off && activity.scheduleDisabled,
        retention: { keepDaily: backup.keepDaily, keepWeekly: backup.keepWeekly, keepMonthly: backup.keepMonthly },
        publicKey: {
          file: key.file,
          status: key.status,
          fingerprint: key.status === 'ok' ? key.fingerprint : null,
          error: key.status === 'invalid' ? key.reason : null,
        },
        lastFailure: activity.lastFailure,
      },
      running: activity.active,
      items: listed.items,
    };
  }

  /**
   * Queues a backup as the caller's task, audited in the same transaction. Refused while
   * another is running or queued, and when there is no usable public key, so the caller
   * learns at once instead of from a failed task.
   */
  async start(principal: Principal): Promise<JobTaskRecord> {
    const { backup } = this.deps.config;
    const key = readPublicKey(backup.publicKeyFile);
    if (key.status === 'missing') throw new AppError('BACKUP_KEY_MISSING', { params: { file: key.file } });
    if (key.status === 'invalid') throw new AppError('BACKUP_KEY_INVALID', { params: { file: key.file, reason: key.reason } });
    if ((await backupActivity(this.deps.jobs)).active) throw new AppError('BACKUP_ALREADY_RUNNING');
    return withTransaction(this.deps.sequelize, (transaction) =>
      this.deps.tasks.submit(principal, BACKUP_JOB, {}, async (task) => {
        await this.deps.audit.record(
          {
            action: 'backup.start',
            entityType: 'backup',
            summary: `立即备份到 ${backup.dir}${backup.copyTo ? `（并复制到 ${backup.copyTo}）` : ''}（后台任务 ${task.id}）`,
            diff: { dir: backup.dir, copyTo: backup.copyTo ?? null, keyFingerprint: key.fingerprint, taskId: Number(task.id) },
          },
          { transaction },
        );
      }),
    );
  }

  /**
   * The job's work. A second run that slipped past `start` (two nodes, or the schedule
   * firing during a manual backup) stops before writing anything.
   */
  async execute(run: BackupJobRun): Promise<BackupOutcome> {
    if ((await backupActivity(this.deps.jobs, run.id)).active?.state === 'running') throw new AppError('BACKUP_ALREADY_RUNNING');
    return this.runner.run((percent, message) => {
      run.progress(percent, message).catch((error: unknown) => this.deps.logger.warn('backup progress could not be saved', { error }));
    });
  }
}
