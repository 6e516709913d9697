import { AppError, type ErrorParams } from '../../platform/errors/app-error.js';
import type { ErrorCode } from '../../platform/errors/catalog.js';

/**
 * The error codes of self-registration, in the shape of ERROR_CATALOG entries; the
 * catalog merges them (see the module's CONTEXT.md). Public endpoints answer strangers, so
 * no message here names a member, a card number or whether a phone number is registered
 * before its owner has proved they hold it.
 */
export const REGISTRATION_ERRORS = {
  REGISTRATION_CHANNEL_NOT_FOUND: { status: 404, zh: '注册渠道 {id} 不存在', en: 'Registration channel {id} does not exist' },
  REGISTRATION_CHANNEL_CODE_TAKEN: { status: 409, zh: '渠道编码 {code} 已被使用', en: 'Channel code {code} is already in use' },
  REGISTRATION_PAGE_NOT_FOUND: {
    status: 404,
    zh: '该注册页面不存在或已停用，请向门店咨询',
    en: 'This registration page does not exist or is paused; please ask the store',
  },
  REGISTRATION_SMS_TOO_SOON: {
    status: 429,
    zh: '验证码已发送，请 {seconds} 秒后再重新获取',
    en: 'A code was just sent; you can ask for another in {seconds} seconds',
  },
  REGISTRATION_SMS_PHONE_LIMIT: {
    status: 429,
    zh: '该手机号 24 小时内已获取 {limit} 次验证码，请于 {retryAt} 后再试',
    en: 'This number has had {limit} codes in 24 hours; try again after {retryAt}',
  },
  REGISTRATION_SMS_IP_LIMIT: {
    status: 429,
    zh: '当前网络获取验证码过于频繁，请 {minutes} 分钟后再试',
    en: 'Too many codes were requested from this network; try again in {minutes} minutes',
  },
  REGISTRATION_SMS_CHANNEL_LIMIT: {
    status: 429,
    zh: '当前注册人数较多，请 {minutes} 分钟后再试',
    en: 'Many people are registering right now; try again in {minutes} minutes',
  },
  REGISTRATION_SMS_UNAVAILABLE: {
    status: 503,
    zh: '短信暂时无法发送，请稍后再试或到店登记',
    en: 'Text messages cannot be sent right now; try again later or register at the store',
  },
  REGISTRATION_CODE_WRONG: {
    status: 400,
    zh: '验证码不正确，还可尝试 {left} 次',
    en: 'The code is wrong; {left} tries left',
  },
  REGISTRATION_CODE_LOCKED: {
    status: 400,
    zh: '验证码错误次数过多，已失效，请重新获取',
    en: 'Too many wrong tries; this code no longer works, ask for a new one',
  },
  REGISTRATION_CODE_EXPIRED: {
    status: 400,
    zh: '验证码已过期或已使用，请重新获取',
    en: 'The code has expired or was already used; ask for a new one',
  },
  REGISTRATION_PHONE_REGISTERED: {
    status: 409,
    zh: '该手机号已是会员，无需重复注册；如需查询会员卡号，请到店咨询',
    en: 'This number already belongs to a member, so there is no need to register again; ask the store for the card number',
  },
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

export type RegistrationErrorCode = keyof typeof REGISTRATION_ERRORS;

/**
 * An AppError of this module. The cast lets the module compile before the catalog has
 * merged REGISTRATION_ERRORS; once it has, the codes are ErrorCodes in their own right.
 */
export function registrationError(code: RegistrationErrorCode, options: { params?: ErrorParams; details?: unknown } = {}): AppError {
  return new AppError(code as string as ErrorCode, options);
}

/** For a route's `errors` list (OpenAPI), with the same cast. */
export function registrationCodes(...codes: Array<RegistrationErrorCode | ErrorCode>): ErrorCode[] {
  return codes as ErrorCode[];
}
