import type { FieldError } from '../../../platform/http/validation.js';
import type { CustomFieldDefinition, CustomValue } from './definition.js';
import { FIELD_KEY_PATTERN, FIELD_TYPES, hasOptions } from './field-types.js';
import { problem, type Outcome, type ValueProblem } from './problems.js';
import { SCALAR_PARSERS } from './value-formats.js';
import { pickOption, pickOptions } from './value-options.js';
import { applyRules } from './value-rules.js';

/**
 * Checks the `custom` part of a member create or update against the field definitions and
 * returns the values to store, normalized (see value-formats.ts), or every problem found.
 *
 * - create: defaults fill fields left out or empty, then every required field must hold a
 *   value; keys left out of `values` hold nothing;
 * - update: only the keys sent are checked and returned; null or '' clears a field, and
 *   is refused for a required one. `previous` (the member's current custom values) lets a
 *   member keep a retired option it already has.
 *
 * Uniqueness and whether a referenced member or staff member exists are the caller's.
 */
export type FormOperation = 'create' | 'update';

export interface CustomValuesOptions {
  operation: FormOperation;
  previous?: Readonly<Record<string, unknown>> | null;
}

export interface CustomValuesResult {
  values: Record<string, CustomValue | null>;
  errors: FieldError[];
}

export type SearchValue = string | number | boolean;

/** A key that is not a field key might be data sent as a key, so it is not echoed back. */
export function customPath(key: string): string {
  return `custom.${FIELD_KEY_PATTERN.test(key) ? key : '(invalid key)'}`;
}

/** Nothing there: absent, null, blank text or an empty list. `false` and 0 are values. */
export function isEmptyValue(raw: unknown): boolean {
  return raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '') || (Array.isArray(raw) && raw.length === 0);
}

/** One value (not empty) of one field, as it would be stored; `previous` is the member's current value. */
export function checkFieldValue(definition: CustomFieldDefinition, raw: unknown, previous?: unknown): Outcome<CustomValue> {
  const { type } = definition;
  const parsed: Outcome<CustomValue> = !hasOptions(type)
    ? SCALAR_PARSERS[type](raw, definition)
    : FIELD_TYPES[type].multiple
      ? pickOptions(definition, raw, previous)
      : pickOption(definition, raw, (value) => value === previous);
  return parsed.ok ? applyRules(definition, parsed.value) : parsed;
}

export function validateCustomValues(
  definitions: readonly CustomFieldDefinition[],
  input: unknown,
  options: CustomValuesOptions,
): CustomValuesResult {
  const values: Record<string, CustomValue | null> = {};
  const errors: FieldError[] = [];
  const report = (key: string, found: ValueProblem) => errors.push({ path: customPath(key), ...found });
  if (input !== undefined && input !== null && !isPlainObject(input)) {
    const notObject = problem('invalid_type', '自定义字段须为对象', 'Custom fields must be an object');
    return { values, errors: [{ path: 'custom', ...notObject }] };
  }
  const given: Record<string, unknown> = input ?? {};
  const byKey = new Map(definitions.map((definition) => [definition.key, definition]));

  for (const key of Object.keys(given)) {
    const definition = byKey.get(key);
    if (!definition) report(key, problem('unknown_field', '没有这个自定义字段', 'No such custom field'));
    else if (definition.retired) report(key, problem('field_retired', '该字段已停用，不能再填写', 'This field is retired and cannot be changed'));
  }

  const creating = options.operation === 'create';
  for (const definition of definitions) {
    const { key } = definition;
    const sent = Object.hasOwn(given, key) && given[key] !== undefined;
    if (definition.retired || (!creating && !sent)) continue;
    const raw = creating && isEmptyValue(given[key]) ? definition.defaultValue : given[key];
    if (isEmptyValue(raw)) {
      if (definition.required) report(key, problem('required', `请填写${definition.label.zh}`, `${definition.label.en} is required`));
      else if (sent) values[key] = null;
      continue;
    }
    // A new member has nothing to keep, so a retired option is refused on create.
    const checked = checkFieldValue(definition, raw, creating ? undefined : options.previous?.[key]);
    if (checked.ok) values[key] = checked.value;
    else report(key, checked.problem);
  }
  return { values, errors };
}

/**
 * The scalar a query matches a searchable field with: the normalized form of what members
 * hold (a phone's 11 digits, an e-mail's lower-cased domain, a region code to match as a
 * prefix). For multiselect and checkbox it is one option value, to match as "has". Retired
 * options may be searched: members still hold them. The field's rules do not apply.
 */
export function fieldSearchValue(
  definition: CustomFieldDefinition,
  raw: unknown,
): { value: SearchValue; errors: [] } | { value: null; errors: FieldError[] } {
  const refuse = (found: ValueProblem) => ({ value: null, errors: [{ path: customPath(definition.key), ...found }] });
  if (definition.retired) return refuse(problem('field_retired', '该字段已停用', 'This field is retired'));
  if (!definition.searchable) return refuse(problem('not_searchable', '该字段不支持搜索', 'This field cannot be searched'));
  if (isEmptyValue(raw)) return refuse(problem('required', '请填写要查找的内容', 'Enter what to look for'));
  const { type } = definition;
  const parsed: Outcome<SearchValue> = hasOptions(type) ? pickOption(definition, raw, () => true) : SCALAR_PARSERS[type](raw, definition);
  return parsed.ok ? { value: parsed.value, errors: [] } : refuse(parsed.problem);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
