import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';

dayjs.extend(utc);
dayjs.extend(timezone);

/** Dates are shown in the business timezone, whatever the browser's clock says. */
export const BUSINESS_TIMEZONE = 'Asia/Shanghai';

/** Money is stored as integer fen; 123450 -> '¥1,234.50', -5 -> '-¥0.05'. */
export function formatMoney(fen: number): string {
  if (!Number.isFinite(fen)) return '';
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.round(fen));
  const yuan = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = (abs % 100).toString().padStart(2, '0');
  return `${sign}¥${yuan}.${cents}`;
}

/** An ISO instant as 'YYYY-MM-DD HH:mm' in the business timezone; '' for a missing or bad value. */
export function formatDateTime(iso: string | number | Date | null | undefined): string {
  if (iso === null || iso === undefined || iso === '') return '';
  const value = dayjs(iso);
  return value.isValid() ? value.tz(BUSINESS_TIMEZONE).format('YYYY-MM-DD HH:mm') : '';
}

/** An ISO instant's wall-clock time 'HH:mm' in the business timezone, for a second time on the same day. */
export function formatClock(iso: string | number | Date): string {
  const value = dayjs(iso);
  return value.isValid() ? value.tz(BUSINESS_TIMEZONE).format('HH:mm') : '';
}

/** Today's (or the given instant's) date as 'YYYY-MM-DD' in the business timezone. */
export function formatDate(at: string | number | Date = Date.now()): string {
  return dayjs(at).tz(BUSINESS_TIMEZONE).format('YYYY-MM-DD');
}

/** Hour of day (0-23) in the business timezone, for greetings. */
export function businessHour(at: number = Date.now()): number {
  return dayjs(at).tz(BUSINESS_TIMEZONE).hour();
}

/** Splits a number of seconds into whole days, hours and minutes (for an uptime). */
export function splitDuration(seconds: number): { days: number; hours: number; minutes: number } {
  const total = Math.max(0, Math.floor(seconds / 60));
  return { days: Math.floor(total / 1440), hours: Math.floor((total % 1440) / 60), minutes: total % 60 };
}

/** The last moment of a business-timezone date ('2026-12-31' -> 2026-12-31 23:59:59.999 in Shanghai) as an ISO instant. */
export function businessEndOfDay(date: string): string {
  return dayjs.tz(`${date} 23:59:59.999`, BUSINESS_TIMEZONE).toISOString();
}

/** A business-timezone wall-clock time ('2026-05-01 08:00:00') as an ISO instant; '' for a bad value. */
export function businessInstant(wallClock: string): string {
  const value = dayjs.tz(wallClock, BUSINESS_TIMEZONE);
  return value.isValid() ? value.toISOString() : '';
}

/** A business-timezone date `days` days from today, as 'YYYY-MM-DD' (negative for the past). */
export function businessDateOffset(days: number, from: number = Date.now()): string {
  return dayjs(from).tz(BUSINESS_TIMEZONE).add(days, 'day').format('YYYY-MM-DD');
}

/** A file size for people: 980 B, 12.3 KB, 4.5 MB. */
export function formatFileSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** Fen as a yuan number for an amount input (12345 -> 123.45). */
export function fenToYuan(fen: number): number {
  return Math.round(fen) / 100;
}

/** A yuan amount typed with two decimals as integer fen (123.45 -> 12345); rounding keeps 0.1 + 0.2 honest. */
export function yuanToFen(yuan: number): number {
  return Math.round(yuan * 100);
}

/** Points and counts with thousands separators: 12345 -> '12,345'. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '';
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** An ISO instant as the business-timezone wall clock a date-time picker edits ('2026-03-01 09:30:00'). */
export function businessWallClock(iso: string): string {
  const value = dayjs(iso);
  return value.isValid() ? value.tz(BUSINESS_TIMEZONE).format('YYYY-MM-DD HH:mm:ss') : '';
}

/** A business-timezone wall clock as an instant with its offset ('2026-03-01T09:30:00+08:00'); '' for a bad value. */
export function businessOffsetTime(wallClock: string): string {
  const value = dayjs.tz(wallClock, BUSINESS_TIMEZONE);
  return value.isValid() ? value.format() : '';
}
