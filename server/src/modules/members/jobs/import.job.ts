import path from 'node:path';
import type { HuijiConfig } from '../../../platform/config/schema.js';
import { AppError } from '../../../platform/errors/app-error.js';
import { runWithRequestContext, type Locale } from '../../../platform/http/request-context.js';
import { defineJob } from '../../../platform/jobs/job-spec.js';
import type { AuthService } from '../../auth/service.js';
import { memberFileName, XLSX_CONTENT_TYPE } from '../export.js';
import type { ImportOptions, MemberImporter } from '../import/importer.js';
import { findUpload } from '../import/upload.js';

export interface MemberImportInput {
  userId: number;
  fileId: string;
  rows: number;
  options: ImportOptions;
  locale: Locale;
}

type Deps = { services: { auth: AuthService; memberImporter: MemberImporter }; config: HuijiConfig };

/** The job a queued sheet goes to: a dry run has a name (and a title in 我的任务) of its own. */
export const importJobName = (dryRun: boolean) => (dryRun ? 'members.check-import' : 'members.import');

export const memberImportJob = importJobSpec(importJobName(false), { zh: '导入会员', en: 'Import members' });
export const memberImportCheckJob = importJobSpec(importJobName(true), { zh: '预检会员导入表格', en: 'Check a member sheet' });

/**
 * Runs a queued member import as its requester (permissions read afresh) and leaves the
 * result report as the task's file. Never retried by itself: a second run of a half-done
 * 'skip' import would find its own members and count them as duplicates.
 */
function importJobSpec(name: string, title: { zh: string; en: string }) {
  return defineJob<Deps, MemberImportInput>({
  name,
  title,
  concurrency: 1,
  retries: 0,
  lockLifetimeMs: 10 * 60_000,
  handler: async (run, { services, config }) => {
    const { userId, fileId, rows, options, locale } = run.data;
    const principal = await services.auth.principalOf(userId);
    if (!principal || !(principal.permissions.has('member:member:import') || principal.permissions.has('*'))) {
      throw new AppError('FORBIDDEN', { params: { permission: 'member:member:import' } });
    }
    const upload = findUpload(path.join(config.dataDir, 'job-output'), userId, fileId);
    const downloadName = memberFileName(options.dryRun ? 'member-import-check' : 'member-import-result', new Date(), config.businessTimezone);
    const reportFile = path.join(run.outputDir(), downloadName);
    const total = Math.max(rows, 1);
    const passes = options.dryRun ? 1 : options.badRows === 'abort' ? 2 : 1;
    let pass = 0;
    let last = 0;
    const summary = await runWithRequestContext({ requestId: `task-${run.taskId ?? run.id}`, locale, principal }, () =>
      services.memberImporter.run(principal, upload, options, {
        taskId: run.taskId ?? 0,
        locale,
        reportFile,
        progress: async (done) => {
          if (done < last) pass += 1;
          last = done;
          const percent = ((pass + done / total) / passes) * 100;
          await run.progress(Math.min(percent, 99), { zh: `已处理 ${done} / ${rows} 行`, en: `${done} of ${rows} rows` });
        },
      }),
    );
    await run.progress(100, {
      zh: `新建 ${summary.created}，更新 ${summary.updated}，跳过 ${summary.skipped}，失败 ${summary.failed}`,
      en: `${summary.created} created, ${summary.updated} updated, ${summary.skipped} skipped, ${summary.failed} failed`,
    });
    return { output: { file: reportFile, downloadName, contentType: XLSX_CONTENT_TYPE }, summary: { ...summary } };
  },
});
}
