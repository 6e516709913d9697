import { AppError } from '../../../platform/errors/app-error.js';
import { localized, type FieldError } from '../../../platform/http/validation.js';

/**
 * What a value check answers: the normalized value, or why the value is refused. Codes
 * follow zod's where zod has one (invalid_type, too_small, too_big, invalid_format,
 * invalid_value), so the console treats body errors and custom-field errors alike.
 */
export const VALUE_ERROR_CODES = [
  'unknown_field',
  'field_retired',
  'not_searchable',
  'required',
  'invalid_type',
  'invalid_format',
  'invalid_value',
  'option_retired',
  'duplicate_value',
  'too_small',
  'too_big',
] as const;

export type ValueErrorCode = (typeof VALUE_ERROR_CODES)[number];

export interface ValueProblem {
  code: ValueErrorCode;
  message: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; problem: ValueProblem };

export function ok<T>(value: T): Outcome<T> {
  return { ok: true, value };
}

/** The message is resolved now, in the locale of the request being served. */
export function problem(code: ValueErrorCode, zh: string, en: string): ValueProblem {
  return { code, message: localized(zh, en)() };
}

export function fail(code: ValueErrorCode, zh: string, en: string): { ok: false; problem: ValueProblem } {
  return { ok: false, problem: problem(code, zh, en) };
}

/**
 * Throws the same 422 as a failed request schema, so the console marks custom fields and
 * built-in fields alike. Does nothing when there are no errors.
 */
export function assertNoFieldErrors(errors: readonly FieldError[], where: 'body' | 'query' = 'body'): void {
  if (errors.length === 0) return;
  throw new AppError('VALIDATION_FAILED', { details: { in: where, fields: errors } });
}
