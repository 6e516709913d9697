import { AppError } from '../../../platform/errors/app-error.js';

/**
 * The field guard's refusals. They name fields by key and never carry a value: a key that
 * does not look like a field key (it might be data sent as a key) is replaced, not echoed.
 */
export type QueryAction = 'filter' | 'sort' | 'search';

const FIELD_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,63}(?:\.[A-Za-z_][A-Za-z0-9_]{0,63})?$/;
export const UNNAMEABLE_KEY = '(invalid key)';

function safeKeys(keys: readonly string[]): string[] {
  return [...new Set(keys.map((key) => (FIELD_KEY.test(key) ? key : UNNAMEABLE_KEY)))];
}

/** 403: the payload names fields the user's roles may not write. */
export function fieldsNotEditable(keys: readonly string[]): AppError {
  const fields = safeKeys(keys);
  return new AppError('FIELD_NOT_EDITABLE', { params: { fields: fields.join(', ') }, details: { fields } });
}

/** 403: the user's roles may not query these fields (hidden, or masked without an exact full match). */
export function fieldQueryForbidden(action: QueryAction, keys: readonly string[]): AppError {
  const fields = safeKeys(keys);
  return new AppError('FIELD_FILTER_FORBIDDEN', { params: { fields: fields.join(', ') }, details: { action, fields } });
}

/** 400: nobody may query these fields this way (unknown field, or not filterable/sortable/searchable, or operator). */
export function fieldQueryUnsupported(action: QueryAction, keys: readonly string[]): AppError {
  const fields = safeKeys(keys);
  return new AppError('FIELD_NOT_FILTERABLE', { params: { fields: fields.join(', ') }, details: { action, fields } });
}
