import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { readSheet } from '../../server/src/modules/members/import/sheet-reader.js';

/** An .xlsx whose zip holds its parts in the given order (first the named ones, then the rest). */
async function xlsxInOrder(rows: unknown[][], first: string[]): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('会员');
  for (const row of rows) sheet.addRow(row);
  const original = await JSZip.loadAsync(Buffer.from(await workbook.xlsx.writeBuffer()));
  const names = Object.keys(original.files).filter((name) => !original.files[name].dir);
  const ordered = new JSZip();
  for (const name of [...first, ...names.filter((n) => !first.includes(n))]) ordered.file(name, await original.files[name].async('uint8array'));
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'huiji-sheet-')), 'members.xlsx');
  fs.writeFileSync(file, await ordered.generateAsync({ type: 'nodebuffer' }));
  return file;
}

async function rowsOf(file: string, kind: 'xlsx' | 'csv'): Promise<string[][]> {
  const rows: string[][] = [];
  for await (const row of readSheet(file, kind)) rows.push(row);
  return rows;
}

describe('member sheets: reading uploads', () => {
  const ROWS = [
    ['姓名', '手机号', '生日'],
    ['甲', '13700000001', new Date(Date.UTC(1990, 0, 2))],
    ['乙', '', '1991-02-03'],
  ];
  const EXPECTED = [
    ['姓名', '手机号', '生日'],
    ['甲', '13700000001', '1990-01-02'],
    ['乙', '', '1991-02-03'],
  ];

  it('reads an .xlsx whose workbook part comes after the sheet, as exceljs sometimes writes it', async () => {
    const file = await xlsxInOrder(ROWS, ['[Content_Types].xml', '_rels/.rels', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml', 'xl/sharedStrings.xml', 'xl/worksheets/sheet1.xml']);
    expect(await rowsOf(file, 'xlsx')).to.deep.equal(EXPECTED);
  });

  it('reads an .xlsx in the usual order, empty cells as empty text', async () => {
    const file = await xlsxInOrder(ROWS, ['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml', 'xl/sharedStrings.xml']);
    expect(await rowsOf(file, 'xlsx')).to.deep.equal(EXPECTED);
  });
});
