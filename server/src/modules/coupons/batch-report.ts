import fs from 'node:fs';
import { finished } from 'node:stream/promises';
import type { stream, Worksheet } from 'exceljs';
import type { SkipReason } from './batch-targets.js';

type Say = (zh: string, en: string) => string;

const REASONS: Record<SkipReason, { zh: string; en: string }> = {
  notFound: { zh: '找不到该会员（或已注销）', en: 'No such member (or erased)' },
  invalid: { zh: '不是完整的手机号或有效卡号', en: 'Not a whole mobile number or a valid card number' },
  duplicate: { zh: '重复：同一会员已在名单中', en: 'Duplicate: the member is already in the list' },
  outOfScope: { zh: '会员不属于您管辖的门店', en: 'The member belongs to a store outside your reach' },
  frozen: { zh: '会员已冻结', en: 'The member is frozen' },
  perMember: { zh: '已达每人限领张数', en: 'Per-member limit reached' },
  daily: { zh: '已达当日发放上限', en: 'Daily issue limit reached' },
  stock: { zh: '库存已发完', en: 'Out of stock' },
  inactive: { zh: '券模板已暂停、结束或过期', en: 'The template is paused, ended or past its validity' },
};

export const reasonText = (reason: SkipReason, say: Say) => say(REASONS[reason].zh, REASONS[reason].en);

/**
 * The batch's result file, written as the batch runs (memory stays flat however long the
 * list): a summary sheet, and every listed value or member that got nothing with the
 * reason, so the list can be corrected and issued again.
 */
export class BatchReport {
  private readonly out: fs.WriteStream;
  private workbook: stream.xlsx.WorkbookWriter | null = null;
  private sheet: Worksheet | null = null;
  rows = 0;

  constructor(
    file: string,
    private readonly say: Say,
  ) {
    this.out = fs.createWriteStream(file, { mode: 0o600 });
  }

  async open(): Promise<void> {
    // exceljs costs about 28 MB once loaded: it loads with the first report, not at start-up.
    const { default: ExcelJS } = await import('exceljs');
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: this.out, useStyles: true, useSharedStrings: false });
    this.workbook = workbook;
    const sheet = workbook.addWorksheet(this.say('未发放', 'Not issued'), { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = [
      { header: this.say('名单值 / 会员', 'Value / member'), width: 24 },
      { header: this.say('原因', 'Reason'), width: 40 },
    ];
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    this.sheet = sheet;
  }

  add(label: string, reason: SkipReason): void {
    this.sheet!.addRow([label, reasonText(reason, this.say)]).commit();
    this.rows += 1;
  }

  /** A run that failed leaves no half-written file behind. */
  discard(): void {
    this.out.destroy();
  }

  async close(summary: Array<[string, string | number]>): Promise<void> {
    this.sheet!.commit();
    const overview = this.workbook!.addWorksheet(this.say('结果', 'Result'));
    overview.columns = [{ width: 28 }, { width: 40 }];
    for (const line of summary) overview.addRow(line).commit();
    overview.commit();
    await this.workbook!.commit();
    await finished(this.out);
  }
}
