import fs from 'node:fs';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import type { HuijiConfig } from '../../../platform/config/schema.js';
import type { Locale } from '../../../platform/http/request-context.js';
import { defineJob } from '../../../platform/jobs/job-spec.js';
import { exportFileName, writeAuditWorkbook, XLSX_CONTENT_TYPE } from '../export.js';
import type { AuditFilter, AuditService } from '../service.js';

/** A planned export, as queued: the filter already carries the requester's store scope. */
export interface AuditExportInput {
  filter: Omit<AuditFilter, 'from' | 'to'> & { from?: string; to?: string };
  through: number;
  rows: number;
  locale: Locale;
}

/** Writes a planned audit export to an .xlsx its requester downloads from their task list. */
export default defineJob<{ services: { audit: AuditService }; config: HuijiConfig }, AuditExportInput>({
  name: 'audit.export',
  title: { zh: '导出操作日志', en: 'Export the audit log' },
  concurrency: 2,
  retries: 1,
  retryDelayMs: 10_000,
  handler: async (run, { services, config }) => {
    const { filter, through, rows, locale } = run.data;
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
    const written = await writeAuditWorkbook(out, counted(), { locale, timeZone });
    await finished(out);
    await run.progress(100, { zh: `共 ${written} 条`, en: `${written} rows` });
    return { output: { file, downloadName, contentType: XLSX_CONTENT_TYPE }, summary: { rows: written } };
  },
});
