import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { CustomFieldDefinition } from '../form/index.js';
import type { ImportColumn } from './columns.js';

/** What to type in each column, for the template's instruction sheet. */
const HINTS: Record<string, [string, string]> = {
  cardNo: ['留空则自动生成；填写须为有效卡号（含校验位）', 'Leave empty to number automatically; a given number must carry its check digit'],
  phone: ['必填，11 位中国大陆手机号', 'Required: an 11-digit mainland mobile number'],
  gender: ['男 / 女 / 其他', 'Male / Female / Other'],
  birthday: ['日期，如 1990-05-17', 'A date such as 1990-05-17'],
  region: ['省/市/区，如 广东省/深圳市/南山区，或行政区划代码', 'Province/city/district, e.g. 广东省/深圳市/南山区, or a division code'],
  homeStoreId: ['门店编码或名称；留空则用导入时选择的门店', 'Store code or name; empty uses the store chosen for the import'],
  idNumber: ['18 位身份证号', 'An 18-character resident ID number'],
};

function customHint(d: CustomFieldDefinition): [string, string] {
  const options = d.options.filter((o) => !o.retired);
  if (options.length > 0) {
    const multiple = d.type === 'multiselect' || d.type === 'checkbox';
    return [`${multiple ? '可多选，用“、”分隔：' : '选一项：'}${options.map((o) => o.label.zh).join(' / ')}`, `${multiple ? 'One or more, separated by 、: ' : 'One of: '}${options.map((o) => o.label.en).join(' / ')}`];
  }
  const byType: Partial<Record<CustomFieldDefinition['type'], [string, string]>> = {
    money: ['金额（元），最多两位小数', 'Amount in yuan, at most two decimals'],
    date: ['日期，如 2026-03-05', 'A date such as 2026-03-05'],
    datetime: ['日期时间，如 2026-03-05 14:30', 'Date and time such as 2026-03-05 14:30'],
    switch: ['是 / 否', 'Yes / No'],
    region: ['省/市/区', 'Province/city/district'],
    rating: [`1 到 ${d.rules.maxRating ?? 5} 的整数`, `A whole number from 1 to ${d.rules.maxRating ?? 5}`],
  };
  return byType[d.type] ?? ['', ''];
}

/** The import template: the caller's importable columns as headers, and a sheet saying what each takes. */
export async function writeImportTemplate(out: Writable, columns: ImportColumn[], definitions: readonly CustomFieldDefinition[], english: boolean) {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const say = (text: { zh: string; en: string }) => (english ? text.en : text.zh);
  const data = workbook.addWorksheet(english ? 'Members' : '会员', { views: [{ state: 'frozen', ySplit: 1 }] });
  data.columns = columns.map((c) => ({ header: say(c.label), key: c.key, width: 18 }));
  data.getRow(1).font = { bold: true };
  data.getRow(1).commit();
  data.commit();
  const help = workbook.addWorksheet(english ? 'How to fill in' : '填写说明');
  help.columns = [{ header: english ? 'Column' : '列', width: 18 }, { header: english ? 'Required' : '必填', width: 8 }, { header: english ? 'What to enter' : '填写要求', width: 60 }];
  help.getRow(1).font = { bold: true };
  help.getRow(1).commit();
  for (const column of columns) {
    const definition = definitions.find((d) => `custom.${d.key}` === column.key);
    const [zh, en] = definition ? customHint(definition) : (HINTS[column.key] ?? ['', '']);
    help.addRow([say(column.label), column.required ? (english ? 'Yes' : '是') : '', english ? en : zh]).commit();
  }
  help.commit();
  await workbook.commit();
  await finished(out);
}
