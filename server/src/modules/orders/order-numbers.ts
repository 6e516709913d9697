import type { Sequelize } from 'sequelize';
import { reserveInSequence } from '../../platform/ids/sequence.js';

/** Numbers a node takes at once; a crash loses at most this many (numbers may have gaps). */
const BLOCK = 50;

/**
 * Order and refund numbers: the business date and a counter shared by every node
 * (`2026112400001234`). Each node reserves a block in a short transaction of its own,
 * before the checkout's transaction opens, so checkouts never queue on the counter row.
 * Numbers are unique, increasing per node, and not gapless: a failed checkout burns one.
 */
export class DocumentNumbers {
  private next = 0;
  private end = 0;
  private pending: Promise<void> | null = null;
  // Built once: dayjs's tz() builds a formatter on every call, a few tenths of a millisecond per checkout.
  private readonly dateFormat: Intl.DateTimeFormat;

  constructor(
    private readonly sequelize: Sequelize,
    private readonly sequence: string,
    private readonly prefix: string,
    timeZone: string,
  ) {
    this.dateFormat = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  }

  async take(at = new Date()): Promise<string> {
    while (this.next >= this.end) {
      this.pending ??= reserveInSequence(this.sequelize, this.sequence, BLOCK)
        .then((first) => {
          this.next = first;
          this.end = first + BLOCK;
        })
        .finally(() => {
          this.pending = null;
        });
      await this.pending;
    }
    const value = this.next++;
    return `${this.prefix}${this.businessDate(at)}${String(value % 100_000_000).padStart(8, '0')}`;
  }

  /** `YYYYMMDD` of the business day `at` falls on. */
  private businessDate(at: Date): string {
    const part: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
    for (const { type, value } of this.dateFormat.formatToParts(at)) part[type] = value;
    return `${part.year}${part.month}${part.day}`;
  }
}
