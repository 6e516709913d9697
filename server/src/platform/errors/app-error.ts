import type { Locale } from '../http/request-context.js';
import { ERROR_CATALOG, type ErrorCode } from './catalog.js';

export type ErrorParams = Record<string, string | number | { zh: string; en: string }>;

/** An error a client is meant to see: a stable code, localized text, optional details. */
export class AppError extends Error {
  override name = 'AppError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly params: ErrorParams;
  readonly details?: unknown;

  constructor(code: ErrorCode, options: { params?: ErrorParams; details?: unknown; cause?: unknown } = {}) {
    super(formatMessage(code, 'en', options.params ?? {}), { cause: options.cause });
    this.code = code;
    this.status = ERROR_CATALOG[code].status;
    this.params = options.params ?? {};
    this.details = options.details;
  }

  messageIn(locale: Locale): string {
    return formatMessage(this.code, locale, this.params);
  }
}

export function formatMessage(code: ErrorCode, locale: Locale, params: ErrorParams): string {
  const entry = ERROR_CATALOG[code];
  const template = locale === 'en' ? entry.en : entry.zh;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (!(name in params)) return whole;
    const value = params[name];
    // A word of the message itself ("积分" / "points") travels in both languages.
    return typeof value === 'object' && value !== null ? value[locale === 'en' ? 'en' : 'zh'] : String(value);
  });
}
