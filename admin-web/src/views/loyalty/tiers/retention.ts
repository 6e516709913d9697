import dayjs from 'dayjs';
import type { TierSettings } from '@/api/tiers';

/**
 * The dates of one retention period for a member who reached a level on `since` (a
 * business-timezone date), as the server's review keeps them: the review falls at the start
 * of the day `retentionMonths` later, so the period's last day is the day before (reached on
 * 2026-04-01, kept "2027-03-31 前"); the warning comes `warnDays` before the review (none
 * when 0), and a member who did not keep the level moves down `graceDays` after it.
 */
export function retentionDates(since: string, settings: Pick<TierSettings, 'retentionMonths' | 'graceDays' | 'warnDays'>) {
  const reviewAt = dayjs(since).add(settings.retentionMonths, 'month');
  return {
    since,
    review: reviewAt.subtract(1, 'day').format('YYYY-MM-DD'),
    warn: settings.warnDays > 0 ? reviewAt.subtract(settings.warnDays, 'day').format('YYYY-MM-DD') : null,
    downgrade: reviewAt.add(settings.graceDays, 'day').format('YYYY-MM-DD'),
  };
}
