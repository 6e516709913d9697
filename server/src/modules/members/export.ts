import fs from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { AppError } from '../../platform/errors/app-error.js';
import { drained } from '../../platform/files/drain.js';
import type { Locale } from '../../platform/http/request-context.js';
import type { Principal } from '../../platform/http/route.js';
import { zonedClock } from '../../platform/time/zoned-clock.js';
import type { AuditService } from '../audit/service.js';
import type { TaskService } from '../jobs/task-service.js';
import type { StoreService } from '../stores/service.js';
import type { CustomValues } from './custom-values.js';
import { memberSheetColumns, type SheetColumn } from './sheet-columns.js';
import type { MemberListInput, MemberService } from './service.js';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const MAX_MEMBER_EXPORT_ROWS = 500_000;
export const MEMBER_EXPORT_JOB = 'members.export';

export type MemberExportQuery = Omit<MemberListInput, 'cursor' | 'limit'>;

export interface MemberExportInput {
  query: MemberExportQuery;
  matched: number;
  locale: Locale;
}

/**
 * A filtered member list as an .xlsx, written by a background job as the requester sees
 * the list: the same field guard decides every column and masks every value. Planned and
 * audited when it is queued (what was asked, how many members, which fields leave
 * unmasked); the job re-reads the requester's permissions when it runs.
 */
export class MemberExports {
  get tasks(): TaskService {
    return this.deps.tasks;
  }

  constructor(
    private readonly deps: {
      members: MemberService;
      stores: StoreService;
      custom: CustomValues;
      tasks: TaskService;
      audit: AuditService;
      timeZone: string;
    },
  ) {}

  async submit(principal: Principal, query: MemberExportQuery, locale: Locale) {
    const full = { ...query, limit: 1 } as MemberListInput;
    const matched = await this.deps.members.count(principal, full);
    if (matched > MAX_MEMBER_EXPORT_ROWS) throw new AppError('MEMBER_EXPORT_TOO_LARGE', { params: { matched, max: MAX_MEMBER_EXPORT_ROWS } });
    const guard = await this.deps.members.guard(principal);
    const fields = guard.visibleFields();
    const unmasked = fields.filter((f) => f.sensitivity === 'contact' && f.level !== 'masked').map((f) => f.key);
    const shown = describe(query);
    const input: MemberExportInput & { userId: number } = { query, matched, locale, userId: principal.userId };
    return this.deps.tasks.submit(principal, MEMBER_EXPORT_JOB, input, async (task) => {
      await this.deps.audit.record({
        action: 'member.export',
        entityType: 'member',
        summary: `导出会员 ${matched} 位（后台任务 ${task.id}），筛选：${shown || '无'}${unmasked.length ? `；含未脱敏字段：${unmasked.join('、')}` : ''}`,
        diff: { filter: query, matched, fields: fields.map((f) => f.key), unmasked, taskId: Number(task.id) },
      });
    });
  }

  /** Writes the file for a queued export; progress as a share of the members planned. */
  async write(principal: Principal, input: MemberExportInput, file: string, progress: (done: number) => Promise<void>): Promise<number> {
    if (!principal.permissions.has('member:member:export') && !principal.permissions.has('*')) {
      throw new AppError('FORBIDDEN', { params: { permission: 'member:member:export' } });
    }
    const guard = await this.deps.members.guard(principal);
    const stores = await this.deps.stores.list(principal, {});
    const columns = memberSheetColumns(guard.visibleFields(), {
      locale: input.locale,
      timeZone: this.deps.timeZone,
      storeNames: new Map(stores.map((store) => [Number(store.id), store.name])),
      definitions: await this.deps.custom.definitions(),
    });
    const out = fs.createWriteStream(file, { mode: 0o600 });
    const rows = this.deps.members.scan(principal, { ...input.query, limit: 1000 } as MemberListInput);
    const written = await writeSheet(out, columns, rows, input.locale === 'en' ? 'Members' : '会员', progress);
    await finished(out);
    return written;
  }
}

export async function writeSheet(
  out: Writable,
  columns: SheetColumn[],
  rows: AsyncIterable<Record<string, unknown>> | Iterable<Record<string, unknown>>,
  sheetName: string,
  progress: (done: number) => Promise<void> = async () => {},
): Promise<number> {
  // exceljs costs about 28 MB once loaded: it loads with the first export, not at start-up.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((column) => ({ header: column.header, key: column.key, width: column.width, style: column.numFmt ? { numFmt: column.numFmt } : {} }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  let written = 0;
  for await (const row of rows) {
    sheet.addRow(columns.map((column) => column.cell(row))).commit();
    written += 1;
    if (written % 2000 === 0) await progress(written);
    if (out.writableNeedDrain) await drained(out);
  }
  sheet.commit();
  await workbook.commit();
  return written;
}

/** `members-20261123-143005.xlsx`, stamped in the business time zone. */
export function memberFileName(prefix: string, now: Date, timeZone: string): string {
  const t = zonedClock(timeZone)(now);
  return `${prefix}-${t.year}${t.month}${t.day}-${t.hour}${t.minute}${t.second}.xlsx`;
}

function describe(query: MemberExportQuery): string {
  return Object.entries(query)
    .filter(([key, value]) => value !== undefined && key !== 'sort' && key !== 'order')
    .map(([key, value]) => `${key}=${String(value)}`)
    .join('，');
}
