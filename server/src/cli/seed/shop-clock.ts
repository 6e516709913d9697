import { DAY_MS } from './context.js';
import type { Random } from './random.js';

/**
 * Shop-hours time: milliseconds of 09:00–21:00 (UTC+8) since the epoch, as if the nights
 * were cut out. Drawing on this clock spreads moments evenly over the shop hours between
 * two dates, where `businessTime` (which draws a day, then an hour, then clamps) piles
 * them up on the ends of a short window.
 */
const CHINA_OFFSET = 8 * 3_600_000;
const OPENS_AT = 9 * 3_600_000;
export const SHOP_DAY_MS = 12 * 3_600_000;

/** A moment outside shop hours folds onto the nearest edge: the night onto 21:00, the early morning onto 09:00. */
export function toShopClock(date: Date): number {
  const local = date.getTime() + CHINA_OFFSET;
  const day = Math.floor(local / DAY_MS);
  return day * SHOP_DAY_MS + Math.min(Math.max(local - day * DAY_MS - OPENS_AT, 0), SHOP_DAY_MS);
}

export function fromShopClock(clock: number): Date {
  const day = Math.floor(clock / SHOP_DAY_MS);
  return new Date(day * DAY_MS - CHINA_OFFSET + OPENS_AT + (clock - day * SHOP_DAY_MS));
}

/** A moment in shop hours between `from` and `to`, evenly spread over the shop hours between them. */
export function shopHoursTime(random: Random, from: Date, to: Date): Date {
  const start = toShopClock(from);
  const clock = start + Math.floor(random.next() * Math.max(0, toShopClock(to) - start));
  return within(fromShopClock(clock), from, to);
}

/** `date` moved inside [from, to]: the fold at the day's edges can land a hair outside. */
export function within(date: Date, from: Date, to: Date): Date {
  return new Date(Math.min(Math.max(date.getTime(), from.getTime()), to.getTime()));
}
