import { normaliseIdNumber, normalisePhone } from './formats.js';

/**
 * Masks turn a value into a display that keeps just enough to recognise it (a cashier
 * reading back a phone number) and no more. Every mask:
 * - leaves absence alone: null and undefined give null, an empty string gives '';
 * - returns a string for anything else, so a masked number is no longer a number;
 * - falls back to `full` for a value it cannot parse, rather than guessing what to keep;
 * - is safe to apply to an already masked value (it can only reveal less).
 * `full` is a fixed eight stars so that it does not reveal the value's length either.
 */
export const MASK_KINDS = ['phone', 'idNumber', 'name', 'email', 'birthday', 'full', 'last4'] as const;

export type MaskKind = (typeof MASK_KINDS)[number];

export type MaskFunction = (value: unknown) => string | null;

export const FULL_MASK = '********';

/** Runs `mask` on the trimmed text of a value, after dealing with absence and non-text. */
function masked(value: unknown, mask: (input: string) => string): string | null {
  if (value === null || value === undefined) return null;
  const raw = typeof value === 'number' || typeof value === 'bigint' ? String(value) : value;
  if (typeof raw !== 'string') return FULL_MASK;
  const input = raw.trim();
  return input === '' ? '' : mask(input);
}

/** 13812345678 -> 138****5678; +86 and spaces are dropped; under 11 digits -> full. */
export function phone(value: unknown): string | null {
  return masked(value, (input) => {
    const digits = normalisePhone(input);
    if (!/^\d{11,}$/.test(digits)) return FULL_MASK;
    return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
  });
}

/** 6+4: 110101199001011234 -> 110101********1234, 15-digit IDs -> 110101*****1234; other documents -> full. */
export function idNumber(value: unknown): string | null {
  return masked(value, (input) => {
    const id = normaliseIdNumber(input);
    if (!/^\d{17}[\dX]$/.test(id) && !/^\d{15}$/.test(id)) return FULL_MASK;
    return `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`;
  });
}

/**
 * First character, then always two stars: 张三 -> 张**, 欧阳娜娜 -> 欧**, Li Wei -> L**.
 * A fixed tail keeps the name's length private (it tells 张三 from 张三丰 and marks
 * compound surnames and foreign names). Characters are code points, so a rare
 * character outside the BMP is never cut in half.
 */
export function name(value: unknown): string | null {
  return masked(value, (input) => `${Array.from(input)[0]}**`);
}

/** zhangsan@qq.com -> z***@qq.com: the domain stays, the local part keeps one character. */
export function email(value: unknown): string | null {
  return masked(value, (input) => {
    const match = /^([^@\s]+)@([^@\s]+)$/.exec(input);
    if (!match) return FULL_MASK;
    return `${Array.from(match[1])[0]}***@${match[2]}`;
  });
}

/**
 * Month and day only: 1990-05-17 (or 1990/5/17, 19900517, a Date) -> 05-17.
 * A Date is read in UTC, as `new Date('1990-05-17')` and DATEONLY columns produce it.
 */
export function birthday(value: unknown): string | null {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return FULL_MASK;
    return monthDay(value.getUTCMonth() + 1, value.getUTCDate());
  }
  return masked(value, (input) => {
    const match =
      /^\d{4}[-/.年](\d{1,2})[-/.月](\d{1,2})/.exec(input) ??
      /^\d{4}(\d{2})(\d{2})$/.exec(input) ??
      /^(\d{1,2})-(\d{1,2})$/.exec(input);
    return match ? monthDay(Number(match[1]), Number(match[2])) : FULL_MASK;
  });
}

function monthDay(month: number, day: number): string {
  if (month < 1 || month > 12 || day < 1 || day > 31) return FULL_MASK;
  return `${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Nothing but the fact that there is a value. */
export function full(value: unknown): string | null {
  return masked(value, () => FULL_MASK);
}

/** ****5678; values under eight characters -> full, so at least as much is hidden as shown. */
export function last4(value: unknown): string | null {
  return masked(value, (input) => {
    const compact = input.replace(/\s/g, '');
    return compact.length < 8 ? FULL_MASK : `****${compact.slice(-4)}`;
  });
}

export const MASKS: Readonly<Record<MaskKind, MaskFunction>> = { phone, idNumber, name, email, birthday, full, last4 };

export function applyMask(kind: MaskKind, value: unknown): string | null {
  return MASKS[kind](value);
}

export function isMaskKind(value: unknown): value is MaskKind {
  return typeof value === 'string' && (MASK_KINDS as readonly string[]).includes(value);
}
