import type { Writable } from 'node:stream';
import type { Locale } from '../../platform/http/request-context.js';
import type { ActorType, AuditLogRecord, AuditResult } from './models.js';
import { drained } from '../../platform/files/drain.js';
import { businessTimeFormatter, zonedClock } from '../../platform/time/zoned-clock.js';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Excel refuses a cell holding more characters than this. */
const CELL_MAX_CHARS = 32_767;

const ACTOR_TYPES: Record<ActorType, Record<Locale, string>> = {
  user: { 'zh-CN': '员工', en: 'Staff' },
  api_key: { 'zh-CN': 'API 密钥', en: 'API key' },
  system: { 'zh-CN': '系统', en: 'System' },
  anonymous: { 'zh-CN': '匿名', en: 'Anonymous' },
};

const RESULTS: Record<AuditResult, Record<Locale, string>> = {
  success: { 'zh-CN': '成功', en: 'Success' },
  failure: { 'zh-CN': '失败', en: 'Failure' },
  denied: { 'zh-CN': '已拒绝', en: 'Denied' },
};

interface Column {
  header: Record<Locale, string>;
  width: number;
  value: (record: AuditLogRecord, locale: Locale, time: (date: Date) => string, diff: (record: AuditLogRecord) => string | null) => string | number | null;
}

/** The sheet's columns, in order. Time is text in the business time zone, so every viewer reads the same clock. */
const COLUMNS: Column[] = [
  { header: { 'zh-CN': '记录号', en: 'Record ID' }, width: 10, value: (r) => Number(r.id) },
  { header: { 'zh-CN': '时间', en: 'Time' }, width: 20, value: (r, _, time) => time(r.occurredAt) },
  { header: { 'zh-CN': '操作人', en: 'Actor' }, width: 16, value: (r) => r.actorName },
  { header: { 'zh-CN': '操作人类型', en: 'Actor type' }, width: 12, value: (r, locale) => ACTOR_TYPES[r.actorType]?.[locale] ?? r.actorType },
  { header: { 'zh-CN': '操作人 ID', en: 'Actor ID' }, width: 10, value: (r) => (r.actorId === null ? null : Number(r.actorId)) },
  { header: { 'zh-CN': '角色', en: 'Roles' }, width: 18, value: (r) => r.actorRoles },
  { header: { 'zh-CN': '门店 ID', en: 'Store ID' }, width: 10, value: (r) => (r.storeId === null ? null : Number(r.storeId)) },
  { header: { 'zh-CN': '操作', en: 'Action' }, width: 20, value: (r) => r.action },
  { header: { 'zh-CN': '对象类型', en: 'Entity type' }, width: 12, value: (r) => r.entityType },
  { header: { 'zh-CN': '对象 ID', en: 'Entity ID' }, width: 12, value: (r) => r.entityId },
  { header: { 'zh-CN': '结果', en: 'Result' }, width: 8, value: (r, locale) => RESULTS[r.result]?.[locale] ?? r.result },
  { header: { 'zh-CN': '摘要', en: 'Summary' }, width: 60, value: (r) => r.summary },
  { header: { 'zh-CN': '变更内容', en: 'Changes' }, width: 40, value: (r, _l, _t, diff) => diff(r)?.slice(0, CELL_MAX_CHARS) ?? null },
  { header: { 'zh-CN': 'IP 地址', en: 'IP address' }, width: 16, value: (r) => r.ip },
  { header: { 'zh-CN': '请求 ID', en: 'Request ID' }, width: 38, value: (r) => r.requestId },
  { header: { 'zh-CN': '客户端', en: 'User agent' }, width: 30, value: (r) => r.userAgent && r.userAgent.slice(0, CELL_MAX_CHARS) },
];

/** `YYYY-MM-DD HH:mm:ss` parts of a moment in `timeZone`. */
/** `audit-logs-20261123-143005.xlsx`, stamped in the business time zone. */
export function exportFileName(now: Date, timeZone: string): string {
  const t = zonedClock(timeZone)(now);
  return `audit-logs-${t.year}${t.month}${t.day}-${t.hour}${t.minute}${t.second}.xlsx`;
}

/**
 * Streams the records into an .xlsx on `out`, row by row: each row is committed to the
 * zip as it is written, and the loop waits for `out` to drain, so memory stays flat for
 * 50,000 rows. Stops quietly when `out` closes early (the client went away). Returns the
 * rows written.
 */
export async function writeAuditWorkbook(
  out: Writable,
  records: AsyncIterable<AuditLogRecord>,
  options: { locale: Locale; timeZone: string; diff?: (record: AuditLogRecord) => string | null },
): Promise<number> {
  const diff = options.diff ?? ((record: AuditLogRecord) => record.diff);
  const { locale } = options;
  const time = businessTimeFormatter(options.timeZone);
  // exceljs costs about 28 MB once loaded: it loads with the first export, not at start-up.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(locale === 'en' ? 'Audit log' : '操作日志', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS.map((column, i) => ({ header: column.header[locale], key: String(i), width: column.width }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  let written = 0;
  for await (const record of records) {
    if (out.destroyed) return written;
    sheet.addRow(COLUMNS.map((column) => column.value(record, locale, time, diff))).commit();
    written += 1;
    if (out.writableNeedDrain) await drained(out);
  }
  sheet.commit();
  await workbook.commit();
  return written;
}
