import type { CustomFieldDefinition } from './definition.js';
import type { CustomFieldType, OptionFieldType } from './field-types.js';
import { fail, ok, type Outcome } from './problems.js';
import { isRegionCode } from './region-codes.js';
import { normalisePhone } from '../../access/field-policy/formats.js';

/**
 * What each type accepts and how it is normalized, before the admin's rules (bounds,
 * lengths, pattern) apply. Raw values come from JSON bodies, forms and imports, so numbers
 * may arrive as numeric strings; nothing else is coerced. Values never appear in messages:
 * some of them are phone numbers and e-mail addresses.
 */
type Parser = (raw: unknown, definition: CustomFieldDefinition) => Outcome<string | number | boolean>;

const INTEGER_TEXT = /^[+-]?\d+$/;
const DECIMAL_TEXT = /^[+-]?\d+(?:\.\d+)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):?(\d{2}))$/;
const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;
const EMAIL_LOCAL = /^[^\s@"(),:;<>[\\\]]{1,64}$/;
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const MAX_EMAIL_LENGTH = 254;
const MAX_URL_LENGTH = 2048;

function toNumber(raw: unknown, text: RegExp): number | null {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : null;
  if (typeof raw === 'string' && text.test(raw.trim())) return Number(raw.trim());
  return null;
}

function outOfRange(n: number) {
  return fail(n > 0 ? 'too_big' : 'too_small', '数值超出可保存的范围', 'The number is beyond what can be stored');
}

function wholeNumber(raw: unknown, zh: string, en: string): Outcome<number> {
  const n = toNumber(raw, INTEGER_TEXT);
  if (n === null || !Number.isInteger(n)) return fail('invalid_type', zh, en);
  if (!Number.isSafeInteger(n)) return outOfRange(n);
  return ok(n === 0 ? 0 : n); // no -0
}

function text(raw: unknown, definition: CustomFieldDefinition): Outcome<string> {
  if (typeof raw !== 'string') return fail('invalid_type', '请填写文字', 'Enter text');
  const value = raw.trim();
  if (definition.type === 'text' && /[\r\n]/.test(value)) {
    return fail('invalid_format', '单行文本不能换行', 'Single-line text cannot contain line breaks');
  }
  return ok(value);
}

function decimal(raw: unknown, definition: CustomFieldDefinition): Outcome<number> {
  const n = toNumber(raw, DECIMAL_TEXT);
  if (n === null) return fail('invalid_type', '请填写数字', 'Enter a number');
  const scale = definition.rules.scale ?? 0;
  // Beyond this the number cannot hold `scale` exact decimals, and DECIMAL columns overflow.
  if (Math.abs(n) * 10 ** scale > Number.MAX_SAFE_INTEGER) return outOfRange(n);
  if (Number(n.toFixed(scale)) !== n) {
    return fail('invalid_format', `最多 ${scale} 位小数`, `At most ${scale} decimal places`);
  }
  return ok(n === 0 ? 0 : n);
}

function isRealDate(year: number, month: number, day: number): boolean {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return days !== undefined && day >= 1 && day <= days;
}

export function isDateText(value: string): boolean {
  const match = DATE.exec(value);
  return match !== null && isRealDate(Number(match[1]), Number(match[2]), Number(match[3]));
}

function date(raw: unknown): Outcome<string> {
  if (typeof raw !== 'string' || !isDateText(raw.trim())) {
    return fail('invalid_format', '请填写有效日期，格式 YYYY-MM-DD', 'Enter a real date as YYYY-MM-DD');
  }
  return ok(raw.trim());
}

function datetime(raw: unknown): Outcome<string> {
  const refused = fail(
    'invalid_format',
    '请填写带时区的时间，如 2026-03-01T09:30:00+08:00',
    'Enter a time with its offset, like 2026-03-01T09:30:00+08:00',
  );
  const match = typeof raw === 'string' ? DATETIME.exec(raw.trim()) : null;
  if (!match) return refused;
  const [, day, hour, minute, second = '0', offsetHour = '0', offsetMinute = '0'] = match;
  // Date.parse rolls 2026-02-30 over into March and takes 24:00, so check each part first.
  const inRange = Number(hour) <= 23 && Number(minute) <= 59 && Number(second) <= 59;
  const offsetInRange = Number(offsetHour) <= 14 && Number(offsetMinute) <= 59;
  if (!isDateText(day) || !inRange || !offsetInRange) return refused;
  return ok(new Date(String(raw).trim()).toISOString());
}

function phone(raw: unknown): Outcome<string> {
  if (typeof raw !== 'string') return fail('invalid_type', '请填写手机号', 'Enter a mobile number');
  // Normalized as the built-in phone is, so both kinds of phone field agree on a number.
  const digits = normalisePhone(raw);
  if (!MAINLAND_MOBILE.test(digits)) {
    return fail('invalid_format', '请填写有效的 11 位手机号', 'Enter a valid 11-digit mainland mobile number');
  }
  return ok(digits);
}

/** The local part is kept as typed (some servers are case-sensitive there); the domain is lower-cased. */
function email(raw: unknown): Outcome<string> {
  if (typeof raw !== 'string') return fail('invalid_type', '请填写邮箱', 'Enter an e-mail address');
  const value = raw.trim();
  const at = value.lastIndexOf('@');
  const local = value.slice(0, at);
  const labels = value.slice(at + 1).toLowerCase().split('.');
  const sane =
    at > 0 &&
    value.length <= MAX_EMAIL_LENGTH &&
    EMAIL_LOCAL.test(local) &&
    !/^\.|\.\.|\.$/.test(local) &&
    labels.length >= 2 &&
    labels.every((label) => DOMAIN_LABEL.test(label)) &&
    /^[a-z]/.test(labels[labels.length - 1]);
  if (!sane) return fail('invalid_format', '请填写有效的邮箱地址', 'Enter a valid e-mail address');
  return ok(`${local}@${labels.join('.')}`);
}

/**
 * Returned in the URL parser's canonical form (lower-case host, `/` after a bare host),
 * so the same address stored twice compares equal for uniqueness and search.
 */
function url(raw: unknown): Outcome<string> {
  if (typeof raw !== 'string') return fail('invalid_type', '请填写网址', 'Enter a web address');
  const refused = fail('invalid_format', '请填写以 http:// 或 https:// 开头的有效网址', 'Enter a valid http:// or https:// address');
  let parsed: URL;
  try {
    parsed = new URL(raw.trim());
  } catch {
    return refused;
  }
  // Credentials in a link leak a password to everyone who can read the member.
  const web = (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname.includes('.');
  if (!web || parsed.username || parsed.password) return refused;
  if (parsed.href.length > MAX_URL_LENGTH) {
    return fail('too_big', `网址最长 ${MAX_URL_LENGTH} 个字符`, `A web address may be at most ${MAX_URL_LENGTH} characters`);
  }
  return ok(parsed.href);
}

function region(raw: unknown): Outcome<string> {
  if (typeof raw !== 'string') return fail('invalid_type', '请选择地区', 'Choose a region');
  if (!isRegionCode(raw.trim())) return fail('invalid_value', '不是有效的地区编码', 'Not a known region code');
  return ok(raw.trim());
}

function rating(raw: unknown, definition: CustomFieldDefinition): Outcome<number> {
  const top = definition.rules.maxRating ?? 5;
  const n = wholeNumber(raw, `评分须为 1 到 ${top} 的整数`, `A rating is a whole number from 1 to ${top}`);
  if (n.ok && (n.value < 1 || n.value > top)) {
    return fail(n.value < 1 ? 'too_small' : 'too_big', `评分须在 1 到 ${top} 之间`, `A rating is from 1 to ${top}`);
  }
  return n;
}

/** Only the id's form: whether that member or staff member exists is the caller's check. */
function reference(raw: unknown): Outcome<number> {
  const n = wholeNumber(raw, '请填写编号（正整数）', 'Enter an id (a positive whole number)');
  if (n.ok && n.value < 1) return fail('invalid_value', '编号须为正整数', 'An id is a positive whole number');
  return n;
}

/** Every type but the option types, which value-options.ts checks against the option list. */
export type ScalarFieldType = Exclude<CustomFieldType, OptionFieldType>;

export const SCALAR_PARSERS: Readonly<Record<ScalarFieldType, Parser>> = {
  text,
  textarea: text,
  integer: (raw) => wholeNumber(raw, '请填写整数', 'Enter a whole number'),
  decimal,
  money: (raw) => wholeNumber(raw, '金额以分为单位，须为整数', 'Amounts are in fen and must be whole numbers'),
  date,
  datetime,
  switch: (raw) => (typeof raw === 'boolean' ? ok(raw) : fail('invalid_type', '请选择是或否', 'Must be true or false')),
  phone,
  email,
  url,
  region,
  rating,
  member_ref: reference,
  staff_ref: reference,
};
