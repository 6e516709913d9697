import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { backupFileName, checkBackupStructure, createBackup, readBackupHeader, type BackupProgress } from '../../platform/backup/index.js';
import type { HuijiConfig } from '../../platform/config/schema.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { Label } from '../../platform/jobs/job-spec.js';
import type { Logger } from '../../platform/logger/index.js';
import type { AuditActor, AuditService } from '../audit/service.js';
import { copyWhole, exists, listBackupFiles, removeBackup } from './backup-files.js';
import { requirePublicKey } from './public-key.js';
import { planRetention } from './retention.js';

export type Report = (percent: number, message: Label) => void;

export interface RetentionOutcome {
  dir: string;
  removed: string[];
  error: string | null;
}

export interface BackupOutcome {
  name: string;
  file: string;
  bytes: number;
  rows: number;
  seconds: number;
  /** null: no copy directory is set. */
  copy: { dir: string; ok: boolean; error: string | null } | null;
  retention: RetentionOutcome[];
}

const HEARTBEAT_MS = 2000;
/** Longer than any one data file should take; the job's lock lifetime comes on top. */
const STALL_MS = 30 * 60_000;
const ACTOR: AuditActor = { type: 'system', id: null, name: 'backup.create', roles: [] };
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * One backup, start to end: the encrypted file and its key file, then a copy of both to the
 * copy directory, then the retention rules in both directories. Only the backup itself can
 * fail the run; a copy or a clean-up that fails is reported in the outcome and the log.
 */
export class BackupRun {
  constructor(private readonly deps: { config: HuijiConfig; audit: AuditService; logger: Logger }) {}

  async run(report: Report): Promise<BackupOutcome> {
    const key = requirePublicKey(this.deps.config.backup.publicKeyFile);
    // The engine reports per table and per data file: a large file is a long silence, and
    // the job runner drops reports that come too close together. Repeating the last one
    // keeps the page's bar true and the job's lock renewed, but only for so long: a run
    // stuck for good (a hung NAS) must let its lock lapse so the job store sees it dead.
    let last: Parameters<Report> = [1, { zh: '正在准备备份', en: 'Preparing the backup' }];
    let lastNews = Date.now();
    const say: Report = (percent, message) => {
      last = [percent, message];
      lastNews = Date.now();
      report(percent, message);
    };
    const heartbeat = setInterval(() => {
      if (Date.now() - lastNews < STALL_MS) report(...last);
    }, HEARTBEAT_MS);
    try {
      return await this.runReported(key, say);
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async runReported(key: { pem: string; fingerprint: string }, report: Report): Promise<BackupOutcome> {
    const { config } = this.deps;
    const started = performance.now();
    const out = await this.freeName(config.backup.dir);
    let created;
    try {
      created = await createBackup({ config, publicKeyPem: key.pem, out, onProgress: (p) => report(...progressOf(p)) });
    } catch (error) {
      throw error instanceof AppError ? error : new AppError('BACKUP_FAILED', { params: { reason: message(error) }, cause: error });
    }
    const name = path.basename(created.file);
    const rows = created.manifest.tables.reduce((sum, table) => sum + table.rows, 0);
    await this.deps.audit.record({
      action: 'backup.create',
      entityType: 'backup',
      entityId: name,
      summary: `完成备份 ${name}（${megabytes(created.bytes)}，${created.manifest.tables.length} 张表 ${rows} 行）`,
      diff: { file: created.file, bytes: created.bytes, tables: created.manifest.tables.length, rows, keyFingerprint: key.fingerprint },
      actor: ACTOR,
    });
    const copy = config.backup.copyTo ? await this.copy(created.file, created.keyFile, config.backup.copyTo, created.bytes, report) : null;
    report(99, { zh: '正在按保留策略清理旧备份', en: 'Removing old backups by the retention rules' });
    const retention = [await this.applyRetention(config.backup.dir)];
    if (copy?.ok) retention.push(await this.applyRetention(copy.dir));
    return { name, file: created.file, bytes: created.bytes, rows, seconds: Math.round((performance.now() - started) / 100) / 10, copy, retention };
  }

  /** Names carry the second: two backups in one second must not overwrite each other. */
  private async freeName(dir: string): Promise<string> {
    for (;;) {
      const file = path.join(dir, backupFileName(new Date()));
      if (!(await exists(file)) && !(await exists(`${file}.partial`))) return file;
      await sleep(1000 - (Date.now() % 1000) + 5);
    }
  }

  private async copy(file: string, keyFile: string, dir: string, bytes: number, report: Report): Promise<BackupOutcome['copy']> {
    const target = path.resolve(dir);
    if (target === path.resolve(path.dirname(file))) return { dir: target, ok: false, error: 'the copy directory is the backup directory itself' };
    try {
      // Never created here: a missing directory is an unmounted NAS, and a copy would fill the local disk.
      if (!(await fs.promises.stat(target)).isDirectory()) throw new Error(`${target} is not a directory`);
      report(90, { zh: `正在复制到 ${target}`, en: `Copying to ${target}` });
      await copyWhole(keyFile, path.join(target, path.basename(keyFile)));
      await copyWhole(file, path.join(target, path.basename(file)), (copied) =>
        report(90 + (8 * copied) / Math.max(bytes, 1), { zh: `正在复制到 ${target}（${megabytes(copied)}）`, en: `Copying to ${target} (${megabytes(copied)})` }),
      );
      return { dir: target, ok: true, error: null };
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? `${target} does not exist (is the NAS mounted?)` : message(error);
      this.deps.logger.warn(`backup copy to ${target} failed: ${reason}`, { error });
      return { dir: target, ok: false, error: reason };
    }
  }

  /**
   * Deletes what the retention rules no longer keep. Only whole backups take part: a
   * damaged file must not stand in as a day's newest backup, and it is left for a person
   * to look at (the console marks it damaged) rather than deleted unseen.
   */
  private async applyRetention(dir: string): Promise<RetentionOutcome> {
    const { config, audit, logger } = this.deps;
    const removed: string[] = [];
    try {
      const files = await listBackupFiles(dir);
      const dated = [];
      for (const file of files) {
        const header = await readBackupHeader(file.file).catch(() => null);
        if (header?.kind !== 'backup' || !(await checkBackupStructure(file.file)).ok) continue;
        dated.push({ name: file.name, createdAt: new Date(header.createdAt) });
      }
      const plan = planRetention(dated, config.backup, config.businessTimezone);
      for (const name of plan.remove) {
        await removeBackup(path.join(dir, name));
        removed.push(name);
      }
      return { dir, removed, error: null };
    } catch (error) {
      logger.error(`backup retention in ${dir} failed`, { error });
      return { dir, removed, error: message(error) };
    } finally {
      if (removed.length > 0) {
        const { keepDaily, keepWeekly, keepMonthly } = config.backup;
        await audit
          .record({
            action: 'backup.retention',
            entityType: 'backup',
            // The summary column holds 500 characters; the diff names every file.
            summary: `按保留策略（${keepDaily} 天、${keepWeekly} 周、${keepMonthly} 月）删除 ${dir} 中的 ${removed.length} 个旧备份：${removed.slice(0, 5).join('、')}${removed.length > 5 ? ' 等' : ''}`.slice(0, 500),
            diff: { dir, removed, policy: { keepDaily, keepWeekly, keepMonthly } },
            actor: ACTOR,
          })
          .catch((error: unknown) => logger.error('recording a backup retention failed', { error }));
      }
    }
  }
}

/** The engine's phases as a share of the whole run: the database is nearly all of it. */
function progressOf(progress: BackupProgress): [number, Label] {
  switch (progress.phase) {
    case 'database': {
      const share = progress.totalRows > 0 ? Math.min(progress.rows / progress.totalRows, 1) : 0;
      const rows = { zh: `已 ${progress.rows} / ${progress.totalRows} 行`, en: `${progress.rows} of ${progress.totalRows} rows` };
      return [
        2 + 83 * share,
        progress.table
          ? { zh: `正在备份数据表 ${progress.table}（${rows.zh}）`, en: `Backing up table ${progress.table} (${rows.en})` }
          : { zh: `正在备份数据库（${rows.zh}）`, en: `Backing up the database (${rows.en})` },
      ];
    }
    case 'data':
      return [87, { zh: '正在备份数据目录中的文件', en: 'Backing up the data directory' }];
    case 'keys':
      return [89, { zh: '正在加密写入密钥文件（.hjkey）', en: 'Writing the encrypted key file (.hjkey)' }];
    default:
      return [90, { zh: '备份文件已写完', en: 'Backup file written' }];
  }
}
