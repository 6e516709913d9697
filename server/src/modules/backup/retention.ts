import { zonedClock } from '../../platform/time/zoned-clock.js';

export interface RetentionPolicy {
  keepDaily: number;
  keepWeekly: number;
  keepMonthly: number;
}

export interface DatedBackup {
  name: string;
  createdAt: Date;
}

export type KeepReason = 'newest' | 'daily' | 'weekly' | 'monthly';

export interface RetentionPlan {
  /** Newest first, each with every rule that keeps it. */
  keep: Array<{ name: string; reasons: KeepReason[] }>;
  /** Newest first. */
  remove: string[];
}

/** Monday-based ISO 8601 week of a calendar day: `2026-W01` may start in December. */
export function isoWeekOf(year: number, month: number, day: number): string {
  const date = new Date(Date.UTC(year, month - 1, day));
  // The ISO week belongs to the year its Thursday falls in.
  date.setUTCDate(date.getUTCDate() + 4 - (date.getUTCDay() || 7));
  const weekYear = date.getUTCFullYear();
  const week = Math.ceil(((date.getTime() - Date.UTC(weekYear, 0, 1)) / 86_400_000 + 1) / 7);
  return `${weekYear}-W${String(week).padStart(2, '0')}`;
}

/**
 * Grandfather-father-son over a directory's backups: the newest backup of each of the last
 * `keepDaily` days, `keepWeekly` ISO weeks and `keepMonthly` months, on the business clock.
 * As restic and Borg count it, "the last N days" are the last N days that HAVE a backup,
 * so a server that was off for a fortnight does not lose its history to the calendar.
 * A backup any rule keeps stays, and the newest backup always stays.
 */
export function planRetention(backups: readonly DatedBackup[], policy: RetentionPolicy, timeZone: string): RetentionPlan {
  const clock = zonedClock(timeZone);
  const sorted = [...backups].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.name.localeCompare(a.name));
  const periods = sorted.map((backup) => {
    const t = clock(backup.createdAt);
    return {
      daily: `${t.year}-${t.month}-${t.day}`,
      weekly: isoWeekOf(Number(t.year), Number(t.month), Number(t.day)),
      monthly: `${t.year}-${t.month}`,
    };
  });
  const reasons = sorted.map((): KeepReason[] => []);
  if (sorted.length > 0) reasons[0].push('newest');
  const rules: Array<[Exclude<KeepReason, 'newest'>, number]> = [
    ['daily', policy.keepDaily],
    ['weekly', policy.keepWeekly],
    ['monthly', policy.keepMonthly],
  ];
  for (const [rule, limit] of rules) {
    const seen = new Set<string>();
    for (let i = 0; i < sorted.length; i++) {
      const period = periods[i][rule];
      if (seen.has(period)) continue;
      if (seen.size >= limit) break;
      // Newest first: the first backup met in a period is that period's newest.
      seen.add(period);
      reasons[i].push(rule);
    }
  }
  const plan: RetentionPlan = { keep: [], remove: [] };
  sorted.forEach((backup, i) => {
    if (reasons[i].length > 0) plan.keep.push({ name: backup.name, reasons: reasons[i] });
    else plan.remove.push(backup.name);
  });
  return plan;
}
