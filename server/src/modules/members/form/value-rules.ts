import type { CustomFieldDefinition, CustomValue } from './definition.js';
import { compileFieldPattern } from './field-pattern.js';
import { fail, ok, type Outcome } from './problems.js';

/**
 * The admin's rules for one field, applied to a value its type already accepted. Search
 * terms skip them: a rule constrains what members hold, and a term outside it merely finds
 * nobody.
 */
export function applyRules(definition: CustomFieldDefinition, value: CustomValue): Outcome<CustomValue> {
  const { rules } = definition;
  if (typeof value === 'string' && (definition.type === 'text' || definition.type === 'textarea')) {
    const length = [...value].length;
    if (rules.minLength !== undefined && length < rules.minLength) {
      return fail('too_small', `至少 ${rules.minLength} 个字`, `At least ${rules.minLength} characters`);
    }
    if (rules.maxLength !== undefined && length > rules.maxLength) {
      return fail('too_big', `最多 ${rules.maxLength} 个字`, `At most ${rules.maxLength} characters`);
    }
    if (rules.pattern !== undefined && !compileFieldPattern(rules.pattern).test(value)) {
      return fail('invalid_format', '格式不符合要求', 'Does not match the required format');
    }
    return ok(value);
  }
  if (Array.isArray(value)) return countWithin(value.length, rules.min, rules.max) ?? ok(value);
  if (typeof value === 'number' || (typeof value === 'string' && definition.type === 'date')) {
    return valueWithin(definition, value) ?? ok(value);
  }
  return ok(value);
}

function countWithin(count: number, min: unknown, max: unknown) {
  if (typeof min === 'number' && count < min) return fail('too_small', `至少选择 ${min} 项`, `Choose at least ${min}`);
  if (typeof max === 'number' && count > max) return fail('too_big', `最多选择 ${max} 项`, `Choose at most ${max}`);
  return null;
}

/** Numbers compare as numbers; 'YYYY-MM-DD' dates compare as text, which orders them. */
function valueWithin(definition: CustomFieldDefinition, value: number | string) {
  const { min, max } = definition.rules;
  const order = (bound: number | string) =>
    typeof value === 'number' ? value - Number(bound) : value < String(bound) ? -1 : value > String(bound) ? 1 : 0;
  if (min !== undefined && order(min) < 0) {
    const shown = showBound(definition, min);
    return fail('too_small', `不能小于 ${shown.zh}`, `Must be at least ${shown.en}`);
  }
  if (max !== undefined && order(max) > 0) {
    const shown = showBound(definition, max);
    return fail('too_big', `不能大于 ${shown.zh}`, `Must be at most ${shown.en}`);
  }
  return null;
}

/** Money is stored in fen but read in yuan. */
function showBound(definition: CustomFieldDefinition, bound: number | string) {
  if (definition.type !== 'money' || typeof bound !== 'number') return { zh: String(bound), en: String(bound) };
  const yuan = (bound / 100).toFixed(2);
  return { zh: `${yuan} 元`, en: `${yuan} yuan` };
}
