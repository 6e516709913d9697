import dayjs from 'dayjs';
import type { PointsSettings } from '@/api/loyalty';

type Expiry = PointsSettings['expiry'];

/**
 * When points earned on `earned` (a business-timezone date, 'YYYY-MM-DD') expire under the
 * policy, as 'YYYY-MM-DD 23:59'; null when they never do. Points last to the end of the day:
 * - days_after: `days` days after the day they were earned;
 * - year_end: 31 December of that year, then `graceMonths` more month-ends;
 * - rolling_months: the end of the month `months` months after the one they were earned in.
 */
export function expiryOf(earned: string, expiry: Expiry): string | null {
  const day = dayjs(earned);
  let last: dayjs.Dayjs;
  switch (expiry.policy) {
    case 'never':
      return null;
    case 'days_after':
      last = day.add(expiry.days, 'day');
      break;
    case 'year_end':
      last = day.endOf('year').add(expiry.graceMonths, 'month').endOf('month');
      break;
    case 'rolling_months':
      last = day.startOf('month').add(expiry.months, 'month').endOf('month');
      break;
  }
  return `${last.format('YYYY-MM-DD')} 23:59`;
}
