import { z } from 'zod';
import { AppError } from '../errors/app-error.js';
import { currentRequestContext, type Locale } from './request-context.js';

const localeErrorMaps: Record<Locale, z.core.$ZodErrorMap> = {
  'zh-CN': z.locales.zhCN().localeError,
  en: z.locales.en().localeError,
};

export interface FieldError {
  path: string;
  code: string;
  message: string;
}

/**
 * A message in both languages for a schema's own rule; resolved per request, so one
 * schema serves a Chinese and an English client at the same time.
 */
export function localized(zh: string, en: string): () => string {
  return () => (currentRequestContext()?.locale === 'en' ? en : zh);
}

export function validate<T extends z.ZodType>(
  schema: T,
  input: unknown,
  where: 'body' | 'query' | 'params',
): z.output<T> {
  const locale = currentRequestContext()?.locale ?? 'zh-CN';
  const result = schema.safeParse(input, { error: localeErrorMaps[locale] });
  if (result.success) return result.data;
  throw new AppError('VALIDATION_FAILED', {
    details: { in: where, fields: toFieldErrors(result.error) },
  });
}

export function toFieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => {
    const path =
      issue.code === 'unrecognized_keys'
        ? [...issue.path, issue.keys[0]].join('.')
        : issue.path.map(String).join('.');
    return { path, code: issue.code, message: issue.message };
  });
}

/**
 * A 422 for rules only the service can check (a store that does not exist, a custom field's
 * definition), in the same shape as the schema's own errors, so the console puts each
 * message on its field.
 */
export function invalidFields(fields: Array<{ path: string; code: string; zh: string; en: string }>, where: 'body' | 'query' = 'body'): AppError {
  const locale = currentRequestContext()?.locale ?? 'zh-CN';
  return new AppError('VALIDATION_FAILED', {
    details: { in: where, fields: fields.map(({ path, code, zh, en }) => ({ path, code, message: locale === 'en' ? en : zh })) },
  });
}
