import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';
import type { TemplateRecord } from './models.js';
import type { RuleText } from './rule-text.js';

dayjs.extend(utc);
dayjs.extend(timezone);

/**
 * When coupons are valid, in business days. A window is [validFrom, validUntil], both
 * instants included: validFrom is the start of its first day and validUntil the last
 * millisecond of its last day, as people in the business time zone live those days.
 */
export interface Window {
  validFrom: Date;
  validUntil: Date;
}

export function startOfDay(day: string, timeZone: string): Date {
  return dayjs.tz(day, timeZone).toDate();
}

/** The last millisecond of a business day. */
export function endOfDay(day: string, timeZone: string): Date {
  return new Date(dayjs.tz(day, timeZone).add(1, 'day').valueOf() - 1);
}

/** The business day (YYYY-MM-DD) an instant falls on. */
export function businessDay(at: Date, timeZone: string): string {
  return dayjs(at).tz(timeZone).format('YYYY-MM-DD');
}

/**
 * The window of a coupon issued at `issuedAt`: a fixed template's own dates; a relative
 * one starts `delayDays` business days after the day of issue and lasts `validDays` days,
 * the first included ("领取后 1 天生效，7 天有效" issued on the 3rd: the 4th to the 10th).
 */
export function couponWindow(
  template: Pick<TemplateRecord, 'validityType' | 'validFrom' | 'validUntil' | 'validDays' | 'delayDays'>,
  issuedAt: Date,
  timeZone: string,
): Window {
  if (template.validityType === 'fixed') return { validFrom: template.validFrom!, validUntil: template.validUntil! };
  const first = dayjs(issuedAt).tz(timeZone).startOf('day').add(template.delayDays, 'day');
  const last = first.add((template.validDays ?? 1) - 1, 'day');
  return { validFrom: startOfDay(first.format('YYYY-MM-DD'), timeZone), validUntil: endOfDay(last.format('YYYY-MM-DD'), timeZone) };
}

/** A template's validity in words, for the claim page and the console. */
export function validityText(
  template: Pick<TemplateRecord, 'validityType' | 'validFrom' | 'validUntil' | 'validDays' | 'delayDays'>,
  timeZone: string,
): RuleText {
  if (template.validityType === 'fixed') {
    const from = businessDay(template.validFrom!, timeZone);
    const until = businessDay(template.validUntil!, timeZone);
    return { zh: `${from} 至 ${until} 有效`, en: `Valid ${from} to ${until}` };
  }
  const days = template.validDays ?? 1;
  if (template.delayDays === 0) return { zh: `领取当日起 ${days} 天内有效`, en: `Valid for ${days} day${days === 1 ? '' : 's'} from the day issued` };
  return {
    zh: `领取 ${template.delayDays} 天后生效，有效 ${days} 天`,
    en: `Valid for ${days} day${days === 1 ? '' : 's'}, starting ${template.delayDays} day${template.delayDays === 1 ? '' : 's'} after issue`,
  };
}
