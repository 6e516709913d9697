import { businessTimeFormatter } from '../../platform/time/zoned-clock.js';
import type { AppError } from '../../platform/errors/app-error.js';
import { registrationError } from './errors.js';

/**
 * How often codes may be sent and tried. Counted in the database (registration_codes), so
 * every app node sees the same counts. The defaults follow common SMS-gateway practice:
 * one code a minute and five a day per number; twenty an hour per address (a store's
 * Wi-Fi is one address for every customer at the counter); the channel cap stops a script
 * from spending the SMS budget through many addresses.
 */
export interface CodeLimits {
  /** Seconds between two codes to one number. */
  phoneGapSeconds: number;
  phonePerDay: number;
  ipPerHour: number;
  channelPerWindow: number;
  channelWindowMinutes: number;
  /** How long a code stays valid. */
  ttlMinutes: number;
  /** Wrong tries that burn a code. */
  maxAttempts: number;
}

export const DEFAULT_LIMITS: Readonly<CodeLimits> = {
  phoneGapSeconds: 60,
  phonePerDay: 5,
  ipPerHour: 20,
  channelPerWindow: 500,
  channelWindowMinutes: 60,
  ttlMinutes: 10,
  maxAttempts: 5,
};

export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** One limit: at most `max` codes since `windowMs` ago among the rows `scope` selects. */
export interface LimitCheck {
  scope: 'phoneGap' | 'phoneDay' | 'ip' | 'channel';
  max: number;
  windowMs: number;
}

export function limitChecks(limits: CodeLimits, hasIp: boolean): LimitCheck[] {
  return [
    { scope: 'phoneGap', max: 1, windowMs: limits.phoneGapSeconds * 1000 },
    { scope: 'phoneDay', max: limits.phonePerDay, windowMs: DAY_MS },
    ...(hasIp ? [{ scope: 'ip' as const, max: limits.ipPerHour, windowMs: HOUR_MS }] : []),
    { scope: 'channel', max: limits.channelPerWindow, windowMs: limits.channelWindowMinutes * 60_000 },
  ];
}

/**
 * The 429 of a limit that is full: `freesAt` is when the oldest code still counted leaves
 * the window. Each message says when to try again, in the unit that reads naturally.
 */
export function limitReached(
  check: LimitCheck,
  freesAt: Date,
  now: Date,
  timeZone: string,
  pageBusy?: (minutes: number, details: { retryAfterSeconds: number }) => AppError,
): AppError {
  const waitMs = Math.max(freesAt.getTime() - now.getTime(), 1000);
  const details = { retryAfterSeconds: Math.ceil(waitMs / 1000) };
  const minutes = Math.ceil(waitMs / 60_000);
  switch (check.scope) {
    case 'phoneGap':
      return registrationError('REGISTRATION_SMS_TOO_SOON', { params: { seconds: details.retryAfterSeconds }, details });
    case 'phoneDay':
      return registrationError('REGISTRATION_SMS_PHONE_LIMIT', {
        // Rounded up to the minute, so "after 14:36" is never a minute early.
        params: { limit: check.max, retryAt: businessTimeFormatter(timeZone)(new Date(Math.ceil(freesAt.getTime() / 60_000) * 60_000)).slice(0, 16) },
        details,
      });
    case 'ip':
      return registrationError('REGISTRATION_SMS_IP_LIMIT', { params: { minutes }, details });
    case 'channel':
      // The page's own cap: another module's page (a coupon claim page) says it its way.
      return pageBusy ? pageBusy(minutes, details) : registrationError('REGISTRATION_SMS_CHANNEL_LIMIT', { params: { minutes }, details });
  }
}
