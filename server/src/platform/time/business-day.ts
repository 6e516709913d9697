import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';

dayjs.extend(utc);
dayjs.extend(timezone);

/**
 * A calendar day (YYYY-MM-DD) as the business lives it: "registered on the 3rd" means the
 * 3rd in the business timezone, whatever the server's clock zone is.
 */
export function startOfBusinessDay(day: string, timeZone: string): Date {
  return dayjs.tz(day, timeZone).toDate();
}

export function startOfNextBusinessDay(day: string, timeZone: string): Date {
  return dayjs.tz(day, timeZone).add(1, 'day').toDate();
}

/** `2026-03-05 14:30:00` read on the business clock. */
export function businessDateTime(local: string, timeZone: string): Date {
  return dayjs.tz(local.replace(' ', 'T'), timeZone).toDate();
}
