import path from 'node:path';
import type { HuijiConfig } from '../../../platform/config/schema.js';
import { AppError } from '../../../platform/errors/app-error.js';
import { defineJob } from '../../../platform/jobs/job-spec.js';
import type { AuthService } from '../../auth/service.js';
import { memberFileName, XLSX_CONTENT_TYPE, type MemberExportInput, type MemberExports } from '../export.js';

/** Writes a queued member export to an .xlsx its requester downloads from their task list. */
export default defineJob<{ services: { auth: AuthService; memberExports: MemberExports }; config: HuijiConfig }, MemberExportInput & { userId: number }>({
  name: 'members.export',
  title: { zh: '导出会员', en: 'Export members' },
  concurrency: 2,
  retries: 1,
  retryDelayMs: 10_000,
  handler: async (run, { services, config }) => {
    const principal = await services.auth.principalOf(run.data.userId);
    if (!principal) throw new AppError('FORBIDDEN', { params: { permission: 'member:member:export' } });
    const downloadName = memberFileName('members', new Date(), config.businessTimezone);
    const file = path.join(run.outputDir(), downloadName);
    const total = Math.max(run.data.matched, 1);
    const written = await services.memberExports.write(principal, run.data, file, (done) =>
      run.progress((done / total) * 100, { zh: `已导出 ${done} / ${run.data.matched} 位会员`, en: `${done} of ${run.data.matched} members` }),
    );
    await run.progress(100, { zh: `共 ${written} 位会员`, en: `${written} members` });
    return { output: { file, downloadName, contentType: XLSX_CONTENT_TYPE }, summary: { rows: written } };
  },
});
