import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';
import { yuanText } from '../../platform/money/yuan-text.js';
import type { TierBasis, TierSettings } from './settings.js';

dayjs.extend(utc);
dayjs.extend(timezone);

/** One active level as the rules use it; `level` 1 is the base. */
export interface TierLevel {
  id: number;
  level: number;
  name: string;
  entryThreshold: number;
  retentionThreshold: number | null;
  discountRate: number;
  pointsMultiplierPct: number;
  birthdayTemplateId: number | null;
  monthlyTemplateId: number | null;
  perks: string | null;
  color: string | null;
}

/** The levels (ascending, the base first) and the rules, as one published set. */
export interface TierCatalog {
  levels: readonly TierLevel[];
  settings: TierSettings;
}

/** What the basis counts, per member: net spend and paid orders (spend, growth) or points. */
export interface MetricParts {
  net: number;
  orders: number;
  points: number;
}

export const EMPTY_PARTS: MetricParts = { net: 0, orders: 0, points: 0 };

/** The number the thresholds are held against. Growth: per whole yuan of net spend plus per paid order. */
export function metricOf(settings: Pick<TierSettings, 'basis' | 'growth'>, parts: MetricParts): number {
  if (settings.basis === 'points') return parts.points;
  if (settings.basis === 'spend') return parts.net;
  return Math.floor(Math.max(0, parts.net) / 100) * settings.growth.perYuan + parts.orders * settings.growth.perOrder;
}

/** The base level; a catalog always has one (the schema refuses a set without it). */
export function baseOf(levels: readonly TierLevel[]): TierLevel {
  return levels[0];
}

/** A member's level by the tier id on their row; none (or a retired one) is the base. */
export function levelOf(levels: readonly TierLevel[], tierId: number | null | undefined): TierLevel {
  return levels.find((l) => l.id === tierId) ?? baseOf(levels);
}

/** The highest level whose entry threshold the metric meets. */
export function earnedLevel<L extends Pick<TierLevel, 'entryThreshold'>>(levels: readonly L[], metric: number): L {
  return levels[earnedIndex(levels, metric)];
}

/** Its position in the ascending levels. */
export function earnedIndex(levels: ReadonlyArray<Pick<TierLevel, 'entryThreshold'>>, metric: number): number {
  let earned = 0;
  levels.forEach((level, i) => {
    if (metric >= level.entryThreshold) earned = i;
  });
  return earned;
}

/** The level a failed retention moves to: one down, or the base. */
export function downgradeTarget(levels: readonly TierLevel[], current: TierLevel, rule: TierSettings['downgrade']): TierLevel {
  if (rule === 'to_base') return baseOf(levels);
  const index = levels.findIndex((l) => l.id === current.id);
  return levels[Math.max(0, index - 1)];
}

/** 95 -> "9.5折", 90 -> "9折"; 100 (no discount) -> "". */
export function zheText(rate: number): string {
  if (rate >= 100) return '';
  return `${rate % 10 === 0 ? rate / 10 : (rate / 10).toFixed(1)}折`;
}

/** The checkout line's label: "金卡 9.5折". */
export function discountLabel(level: Pick<TierLevel, 'name' | 'discountRate'>): string {
  return `${level.name} ${zheText(level.discountRate)}`;
}

/** What a rate takes off a total: the paid part rounded half up to the fen, the rest off. */
export function discountOff(total: number, rate: number): number {
  if (rate >= 100 || total <= 0) return 0;
  return total - Math.floor((total * rate + 50) / 100);
}

/** Whether a level must be kept by a retention threshold (the base and "for life" levels need not). */
export function hasReview(levels: readonly TierLevel[], level: TierLevel): boolean {
  return level.retentionThreshold !== null && level.id !== baseOf(levels).id;
}

/**
 * When a level reached at `since` is reviewed: `months` after the start of that business
 * day. The period is whole days: reached on 2026-04-01, its last day is 2027-03-31
 * ("2027-03-31 前"), and the next period starts where this one ends.
 */
export function reviewAfter(since: Date, months: number, timeZone: string): Date {
  return dayjs(since).tz(timeZone).startOf('day').add(months, 'month').toDate();
}

/** The next period's review date after a renewal: the same clock, `months` on. */
export function nextReview(reviewAt: Date, months: number, timeZone: string): Date {
  return dayjs(reviewAt).tz(timeZone).add(months, 'month').toDate();
}

/** The start of the retention period that ends at `reviewAt`. */
export function periodStart(reviewAt: Date, months: number, timeZone: string): Date {
  return dayjs(reviewAt).tz(timeZone).subtract(months, 'month').toDate();
}

export function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * 86_400_000);
}

/** The window the entry metric counts over at `now`: all time, or from the start of the day N months ago. */
export function entryWindow(settings: Pick<TierSettings, 'window'>, now: Date, timeZone: string): { from: Date | null; to: Date } {
  if (settings.window.type === 'lifetime') return { from: null, to: now };
  return { from: dayjs(now).tz(timeZone).subtract(settings.window.months, 'month').startOf('day').toDate(), to: now };
}

/** A time as the business calendar's day: `2027-03-31`. */
export function businessDate(at: Date, timeZone: string): string {
  return dayjs(at).tz(timeZone).format('YYYY-MM-DD');
}

/** The last day a period ending at `end` (exclusive) covers. */
export function lastDayBefore(end: Date, timeZone: string): string {
  return businessDate(new Date(end.getTime() - 1), timeZone);
}

/** The start of the business day after `day` (YYYY-MM-DD): a manual tier "until 2027-03-31" ends then. */
export function endOfBusinessDay(day: string, timeZone: string): Date {
  return dayjs.tz(day, timeZone).add(1, 'day').toDate();
}

/** A metric as a person reads it: ¥1,240.00, 1,240 积分, 1,240 成长值. */
export function metricText(basis: TierBasis, value: number): { zh: string; en: string } {
  if (basis === 'spend') return { zh: yuanText(value), en: yuanText(value) };
  const n = value.toLocaleString('en-US');
  return basis === 'points' ? { zh: `${n} 积分`, en: `${n} points` } : { zh: `${n} 成长值`, en: `${n} growth` };
}

/** The clock of a level reached at `now` by the rules: its period starts now and is reviewed a retention period on. */
export function reachedState(catalog: TierCatalog, level: TierLevel, now: Date, timeZone: string) {
  return {
    since: now,
    reviewAt: hasReview(catalog.levels, level) ? reviewAfter(now, catalog.settings.retentionMonths, timeZone) : null,
    manual: false,
    manualUntil: null,
    manualReason: null,
  };
}
