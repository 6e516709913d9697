import fs from 'node:fs';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import type { HuijiConfig } from '../../../platform/config/schema.js';
import type { Locale } from '../../../platform/http/request-context.js';
import { defineJob } from '../../../platform/jobs/job-spec.js';
import { exportFileName, writeAuditWorkbook, XLSX_CONTENT_TYPE } from '../export.js';
import type { AuditFilter, AuditService } from '../service.js';
import type { AuditLogRecord } from '../models.js';
import { AppError } from '../../../platform/errors/app-error.js';
import type { AuthService } from '../../auth/service.js';
import type { FieldRegistry } from '../../access/field-policy/index.js';
import { auditDiffView } from '../../access/guards.js';

/** A planned export, as queued: the filter already carries the requester's store scope. */
export interface AuditExportInput {
  filter: Omit<AuditFilter, 'from' | 'to'> & { from?: string; to?: string };
  through: number;
  rows: number;
  locale: Locale;
  /** The requester: the diffs are shown through their field policies, as read when the job runs. */
  userId?: number;
}

/** Writes a planned audit export to an .xlsx its requester downloads from their task list. */
export default defineJob<
  { services: { audit: AuditService; auth: AuthService }; config: HuijiConfig; fieldRegistry: FieldRegistry },
  AuditExportInput
>({
  name: 'audit.export',
  title: { zh: '导出操作日志', en: 'Export the audit log' },
  concurrency: 2,
  retries: 1,
  retryDelayMs: 10_000,
  handler: async (run, { services, config, fieldRegistry }) => {
    const { filter, through, rows, locale, userId } = run.data;
    const principal = userId === undefined ? null : await services.auth.principalOf(userId);
    if (userId !== undefined && !principal) throw new AppError('FORBIDDEN', { params: { permission: 'audit:log:export' } });
    const view = principal ? auditDiffView(fieldRegistry, principal) : null;
    const diff = (record: AuditLogRecord) =>
      record.diff === null || !view ? record.diff : JSON.stringify(view(record.entityType, JSON.parse(record.diff) as unknown));
    const timeZone = config.businessTimezone;
    const records = services.audit.exportRecords(
      { ...filter, from: filter.from ? new Date(filter.from) : undefined, to: filter.to ? new Date(filter.to) : undefined },
      through,
      rows,
    );
    let done = 0;
    async function* counted() {
      for await (const record of records) {
        yield record;
        done += 1;
        if (done % 500 === 0) await run.progress((done / rows) * 100, { zh: `已导出 ${done} / ${rows} 条`, en: `${done} of ${rows} rows` });
      }
    }
    const downloadName = exportFileName(new Date(), timeZone);
    const file = path.join(run.outputDir(), downloadName);
    const out = fs.createWriteStream(file, { mode: 0o600 });
    const written = await writeAuditWorkbook(out, counted(), { locale, timeZone, diff });
    await finished(out);
    await run.progress(100, { zh: `共 ${written} 条`, en: `${written} rows` });
    return { output: { file, downloadName, contentType: XLSX_CONTENT_TYPE }, summary: { rows: written } };
  },
});
