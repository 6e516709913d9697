import fs from 'node:fs';
import { parse } from 'csv-parse';
import type { SheetKind } from './upload.js';

/**
 * The rows of an uploaded sheet as text, streamed: the first worksheet of an .xlsx, or a
 * CSV (UTF-8, with or without BOM). Dates become YYYY-MM-DD (or YYYY-MM-DD HH:mm:ss when
 * they carry a time), numbers their plain text, so every cell reads the way it looked.
 */
export async function* readSheet(file: string, kind: SheetKind): AsyncGenerator<string[]> {
  if (kind === 'csv') {
    const parser = fs.createReadStream(file).pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, trim: true }));
    for await (const record of parser) yield (record as string[]).map((cell) => cell ?? '');
    return;
  }
  const { default: ExcelJS } = await import('exceljs');
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit', entries: 'emit' });
  // exceljs reads the sheet's name and the date system from the workbook part and fails on
  // files whose workbook part comes after the sheet in the zip (its own writer produces
  // them, in an order that varies from run to run). The name is not needed here, and the
  // 1900 date system is every Excel's default but old Mac files'; a workbook part read
  // before the sheet replaces both.
  Object.assign(reader, { model: { sheets: [] }, properties: { model: { date1904: false } } });
  for await (const worksheet of reader) {
    for await (const row of worksheet) {
      const values = (row.values as unknown[]).slice(1);
      if (values.every((value) => value === null || value === undefined || value === '')) continue;
      // Array.from, not map: exceljs leaves holes for empty cells, which map would keep as holes.
      yield Array.from(values, cellText);
    }
    return;
  }
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19).replace('T', ' ');
  }
  if (typeof value === 'object') {
    const cell = value as { richText?: Array<{ text: string }>; text?: string; result?: unknown; hyperlink?: string };
    if (cell.richText) return cell.richText.map((part) => part.text).join('').trim();
    if (cell.text !== undefined) return String(cell.text).trim();
    if (cell.result !== undefined) return cellText(cell.result);
    return '';
  }
  return String(value).trim();
}
