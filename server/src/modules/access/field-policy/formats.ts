/**
 * What a complete, well-formed value looks like for the fields that may be matched
 * exactly while masked. A lookup on a masked field must carry the whole value, so it
 * can confirm a number the caller already knows and never narrow down one they do not.
 */
export const FULL_VALUE_FORMATS = ['phone', 'idNumber', 'email'] as const;

export type FullValueFormat = (typeof FULL_VALUE_FORMATS)[number];

const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;
const RESIDENT_ID_18 = /^\d{17}[\dX]$/;
const RESIDENT_ID_15 = /^\d{15}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** Digits only, with a mainland country code (+86, 0086, 86) removed. */
export function normalisePhone(value: string): string {
  const digits = value.replace(/[\s()\-.]/g, '');
  const national = digits.replace(/^(?:\+86|0086|86)(?=1\d{10}$)/, '');
  return national.startsWith('+') ? national.slice(1) : national;
}

export function isFullPhone(value: string): boolean {
  return MAINLAND_MOBILE.test(normalisePhone(value));
}

export function normaliseIdNumber(value: string): string {
  return value.replace(/\s/g, '').toUpperCase();
}

export function isFullIdNumber(value: string): boolean {
  const id = normaliseIdNumber(value);
  return RESIDENT_ID_18.test(id) || RESIDENT_ID_15.test(id);
}

export function isFullEmail(value: string): boolean {
  return EMAIL.test(value.trim());
}

/** Whether `value` is a complete value of `format`; anything but a string or an integer is not. */
export function isFullValue(format: FullValueFormat, value: unknown): boolean {
  const text = typeof value === 'string' ? value : Number.isSafeInteger(value) ? String(value) : null;
  if (text === null) return false;
  if (format === 'phone') return isFullPhone(text);
  if (format === 'idNumber') return isFullIdNumber(text);
  return isFullEmail(text);
}
