import fs from 'node:fs';
import { finished } from 'node:stream/promises';
import type { BadRow } from './prepare.js';

export interface ImportSummary {
  total: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  dryRun: boolean;
  /** Nothing was written because of bad rows (or a conflict) while all-or-nothing was chosen. */
  aborted: boolean;
}

/**
 * The import's result as an .xlsx: a summary sheet, and the rows that failed with their
 * line number and every reason, followed by the row as it was uploaded, so the file can
 * be corrected and imported again.
 */
export async function writeImportReport(file: string, headers: string[], summary: ImportSummary, bad: BadRow[], say: (zh: string, en: string) => string) {
  const { default: ExcelJS } = await import('exceljs');
  const out = fs.createWriteStream(file, { mode: 0o600 });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const overview = workbook.addWorksheet(say('导入结果', 'Result'));
  overview.columns = [{ width: 24 }, { width: 16 }];
  const lines: Array<[string, string | number]> = [
    [say('模式', 'Mode'), summary.dryRun ? say('预检（未写入）', 'Dry run (nothing written)') : say('导入', 'Import')],
    [say('数据行', 'Rows'), summary.total],
    [say('新建会员', 'Members created'), summary.created],
    [say('更新会员', 'Members updated'), summary.updated],
    [say('跳过（已存在）', 'Skipped (already members)'), summary.skipped],
    [say('失败', 'Failed'), summary.failed],
  ];
  if (summary.aborted) lines.push([say('结果', 'Outcome'), say('有错误，按“全部或不导入”未写入任何数据', 'Errors found: nothing was written (all or nothing)')]);
  for (const line of lines) overview.addRow(line).commit();
  overview.commit();
  const failures = workbook.addWorksheet(say('失败的行', 'Failed rows'), { views: [{ state: 'frozen', ySplit: 1 }] });
  failures.columns = [{ header: say('行号', 'Line'), width: 8 }, { header: say('原因', 'Reasons'), width: 48 }, ...headers.map((h) => ({ header: h, width: 16 }))];
  failures.getRow(1).font = { bold: true };
  failures.getRow(1).commit();
  for (const row of bad.sort((a, b) => a.line - b.line)) failures.addRow([row.line, row.reasons.join('；'), ...row.cells]).commit();
  failures.commit();
  await workbook.commit();
  await finished(out);
}
