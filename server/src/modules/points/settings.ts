import type { Transaction } from 'sequelize';
import { insufficientBalance } from '../loyalty/insufficient.js';
import { AppError } from '../../platform/errors/app-error.js';
import { localized } from '../../platform/http/validation.js';
import { z } from '../../platform/http/zod.js';
import { startOfBusinessDay } from '../../platform/time/business-day.js';
import { zonedClock } from '../../platform/time/zoned-clock.js';
import type { LoyaltySettings } from '../loyalty/settings-store.js';

/** Payment methods that may earn points; points themselves never do. */
export const EARN_METHODS = ['cash', 'wechat', 'alipay', 'card', 'other', 'wallet_principal', 'wallet_bonus'] as const;
export type EarnMethod = (typeof EARN_METHODS)[number];

export const POINTS_EVENTS = ['sign_in', 'profile_completed', 'referral'] as const;
export type PointsEvent = (typeof POINTS_EVENTS)[number];

export const EXPIRY_POLICIES = ['never', 'days_after', 'year_end', 'rolling_months'] as const;

const int = (min: number, max: number) => z.number().int().min(min).max(max);
const EventRule = z.strictObject({ enabled: z.boolean(), points: int(1, 1_000_000), dailyCap: int(1, 100) });

export const PointsSettingsSchema = z
  .strictObject({
    earn: z.strictObject({
      enabled: z.boolean(),
      /** Points per yuan actually paid by an earning method. */
      pointsPerYuan: int(0, 1000),
      methods: z
        .array(z.enum(EARN_METHODS))
        .refine((methods) => new Set(methods).size === methods.length, { error: localized('支付方式不能重复', 'A payment method is listed twice') }),
      rounding: z.enum(['floor', 'round', 'ceil']),
    }),
    redeem: z.strictObject({
      enabled: z.boolean(),
      /** Points worth one yuan. */
      pointsPerYuan: int(1, 10_000),
      /** The most of an order's payable that points may pay, in percent. */
      maxSharePercent: int(0, 100),
      /** The fewest points one redemption may use. */
      minPoints: int(1, 10_000_000),
    }),
    expiry: z.strictObject({
      policy: z.enum(EXPIRY_POLICIES),
      days: int(1, 3650),
      graceMonths: int(0, 12),
      months: int(1, 120),
      notifyDaysBefore: int(0, 90),
    }),
    events: z.strictObject({ sign_in: EventRule, profile_completed: EventRule, referral: EventRule }),
  })
  .openapi('PointsSettings');

export type PointsSettings = z.output<typeof PointsSettingsSchema>;

export const DEFAULT_POINTS_SETTINGS: PointsSettings = {
  earn: { enabled: true, pointsPerYuan: 1, methods: ['cash', 'wechat', 'alipay', 'card', 'wallet_principal'], rounding: 'floor' },
  redeem: { enabled: true, pointsPerYuan: 100, maxSharePercent: 50, minPoints: 100 },
  expiry: { policy: 'year_end', days: 365, graceMonths: 0, months: 12, notifyDaysBefore: 7 },
  events: {
    sign_in: { enabled: true, points: 5, dailyCap: 1 },
    profile_completed: { enabled: true, points: 50, dailyCap: 1 },
    referral: { enabled: true, points: 100, dailyCap: 10 },
  },
};

const SETTINGS_KEY = 'points';

/** The points settings document in loyalty_settings, read over its defaults. */
export class PointsSettingsStore {
  constructor(private readonly store: LoyaltySettings) {}

  /** Cached for a moment outside a transaction; fresh inside one. */
  read(transaction?: Transaction): Promise<PointsSettings> {
    return this.store.read(SETTINGS_KEY, PointsSettingsSchema, DEFAULT_POINTS_SETTINGS, transaction);
  }

  write(value: PointsSettings, userId: number | null, transaction: Transaction): Promise<void> {
    return this.store.write(SETTINGS_KEY, value, userId, transaction);
  }
}


/** Whole fen as yuan text (`12.30`) without going through a float. */
function yuan(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

function divide(numerator: bigint, denominator: bigint, rounding: PointsSettings['earn']['rounding']): bigint {
  const quotient = numerator / denominator;
  const rest = numerator % denominator;
  if (rest === 0n || rounding === 'floor') return quotient;
  if (rounding === 'ceil') return quotient + 1n;
  return rest * 2n >= denominator ? quotient + 1n : quotient;
}

/**
 * Points an order earns for `earnableFen` paid by earning methods, rounded per the
 * settings once for the whole order. `multiplier` is the tier's (1.5 = half as many
 * again), read to four decimals so the product stays exact.
 */
export function pointsToEarn(settings: PointsSettings, earnableFen: number, multiplier = 1): number {
  if (!Number.isSafeInteger(earnableFen)) throw new Error(`earnable amount must be whole fen, got ${earnableFen}`);
  if (!settings.earn.enabled || earnableFen <= 0 || multiplier <= 0 || settings.earn.pointsPerYuan === 0) return 0;
  const scaled = BigInt(Math.round(multiplier * 10_000));
  const numerator = BigInt(earnableFen) * BigInt(settings.earn.pointsPerYuan) * scaled;
  return Number(divide(numerator, 100n * 10_000n, settings.earn.rounding));
}

function refuse(rule: string, zh: string, en: string, details: Record<string, number> = {}): never {
  throw new AppError('POINTS_REDEMPTION_REFUSED', { params: { reason: { zh, en } }, details: { rule, ...details } });
}

/**
 * The points a redemption of `amountFen` uses, or the rule it breaks (details.rule:
 * disabled, amount, whole_points, min_points, max_share). A balance that cannot cover it
 * is the ledger's INSUFFICIENT_BALANCE, thrown here too so a preview answers alike.
 */
export function redemption(settings: PointsSettings, input: { amountFen: number; payableFen: number; balance: number }): { points: number } {
  const rule = settings.redeem;
  const { amountFen, payableFen, balance } = input;
  if (!rule.enabled) refuse('disabled', '积分抵扣未开启', 'paying with points is turned off');
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0) refuse('amount', '抵扣金额须为正的整分', 'the amount must be a positive number of fen');
  if ((amountFen * rule.pointsPerYuan) % 100 !== 0) {
    refuse(
      'whole_points',
      `按每元 ${rule.pointsPerYuan} 积分，${yuan(amountFen)} 元不是整数积分`,
      `at ${rule.pointsPerYuan} points per yuan, ${yuan(amountFen)} yuan is not a whole number of points`,
      { pointsPerYuan: rule.pointsPerYuan },
    );
  }
  const points = (amountFen * rule.pointsPerYuan) / 100;
  if (points < rule.minPoints) refuse('min_points', `每次至少使用 ${rule.minPoints} 积分`, `use at least ${rule.minPoints} points at a time`, { minPoints: rule.minPoints });
  if (amountFen * 100 > payableFen * rule.maxSharePercent) {
    const cap = Math.floor((payableFen * rule.maxSharePercent) / 100);
    refuse(
      'max_share',
      `积分最多抵扣应付金额的 ${rule.maxSharePercent}%（${yuan(cap)} 元）`,
      `points may pay at most ${rule.maxSharePercent}% of the amount due (${yuan(cap)} yuan)`,
      { maxSharePercent: rule.maxSharePercent, maxAmount: cap },
    );
  }
  if (points > balance) throw insufficientBalance('points', points, balance);
  return { points };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** The most fen points may pay of `payableFen` with `balance` points: within the share, the balance and whole points, else 0. */
export function maxRedeemableFen(settings: PointsSettings, payableFen: number, balance: number): number {
  const rule = settings.redeem;
  if (!rule.enabled || balance <= 0 || payableFen <= 0) return 0;
  // The fen that buy a whole number of points come in steps: at 30 points per yuan, 10 fen.
  const step = 100 / gcd(100, rule.pointsPerYuan);
  const shareCap = Math.floor((payableFen * rule.maxSharePercent) / 100);
  const balanceCap = Math.floor((balance * 100) / rule.pointsPerYuan);
  const fen = Math.min(shareCap, balanceCap);
  const whole = fen - (fen % step);
  return (whole * rule.pointsPerYuan) / 100 < rule.minPoints ? 0 : whole;
}

/** Expiry dates by rule, time zone and business day: every order of a day earns the same one. */
const expiries = new Map<string, number>();

/**
 * When points earned at `earnedAt` expire: at the end of a day or month on the business
 * clock (the next day's 00:00 there), or never.
 */
export function expiryFor(settings: PointsSettings, earnedAt: Date, timeZone: string): Date | null {
  const rule = settings.expiry;
  if (rule.policy === 'never') return null;
  const local = zonedClock(timeZone)(earnedAt);
  const key = `${timeZone} ${rule.policy} ${rule.days} ${rule.graceMonths} ${rule.months} ${local.year}-${local.month}-${local.day}`;
  let expires = expiries.get(key);
  if (expires === undefined) {
    const [y, m, d] = [Number(local.year), Number(local.month) - 1, Number(local.day)];
    // Date.UTC only does calendar arithmetic here (it rolls months and years over); the
    // day it names then starts on the business clock.
    const utc = rule.policy === 'days_after' ? Date.UTC(y, m, d + rule.days + 1) : rule.policy === 'year_end' ? Date.UTC(y, 12 + rule.graceMonths, 1) : Date.UTC(y, m + rule.months + 1, 1);
    expires = startOfBusinessDay(new Date(utc).toISOString().slice(0, 10), timeZone).getTime();
    if (expiries.size >= 1000) expiries.clear();
    expiries.set(key, expires);
  }
  return new Date(expires);
}
