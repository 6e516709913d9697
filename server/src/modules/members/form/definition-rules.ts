import { localized } from '../../../platform/http/validation.js';
import type { CustomFieldDefinition } from './definition.js';
import { patternProblem } from './field-pattern.js';
import { FIELD_TYPES, RULE_NAMES, type CustomFieldType, type RuleName } from './field-types.js';
import { isDateText } from './value-formats.js';
import { isEmptyValue } from './value-schema.js';

/**
 * What the definition schema refuses beyond the shape of each part. A setting the type
 * does not take is refused by name rather than dropped, so an admin who set `pattern` on
 * an integer field learns it does nothing instead of believing it is enforced.
 */
export interface DefinitionProblem {
  path: (string | number)[];
  message: string;
}

/** Longest values a field may be set to allow: a text value fits an indexable column. */
export const MAX_LENGTH_CAPS: Readonly<Partial<Record<CustomFieldType, number>>> = { text: 255, textarea: 5000 };

export interface SubmittedDefinition {
  type: CustomFieldType;
  unique: boolean;
  searchable: boolean;
  defaultValue?: unknown;
  rules?: { readonly [K in RuleName]?: unknown } | null;
  options?: readonly unknown[] | null;
}

function problems() {
  const found: DefinitionProblem[] = [];
  const add = (path: (string | number)[], zh: string, en: string) => found.push({ path, message: localized(zh, en)() });
  return { found, add };
}

/** Settings the field's type does not take at all. */
export function misfitProblems(submitted: SubmittedDefinition): DefinitionProblem[] {
  const { found, add } = problems();
  const traits = FIELD_TYPES[submitted.type];
  const { zh, en } = traits.label;
  for (const name of RULE_NAMES) {
    if (submitted.rules?.[name] != null && !traits.rules.includes(name)) {
      add(['rules', name], `「${zh}」字段不支持 ${name} 规则`, `A field of type "${en}" takes no ${name} rule`);
    }
  }
  if (traits.options && !submitted.options?.length) add(['options'], '请填写选项', 'List the options of this field');
  if (!traits.options && submitted.options?.length) add(['options'], `「${zh}」字段没有选项`, `A field of type "${en}" has no options`);
  if (submitted.unique && !traits.unique) {
    add(['unique'], `「${zh}」字段不能设为唯一`, `A field of type "${en}" cannot be unique`);
  }
  if (submitted.searchable && !traits.searchable) {
    add(['searchable'], `「${zh}」字段不能用于搜索`, `A field of type "${en}" cannot be searched`);
  }
  // Every new member would get the default, so the second one would already collide.
  if (submitted.unique && !isEmptyValue(submitted.defaultValue)) {
    add(['defaultValue'], '唯一字段不能设置默认值', 'A unique field cannot have a default value');
  }
  return found;
}

/** Rule values and options that contradict each other or the type, once defaults are filled in. */
export function ruleProblems(definition: CustomFieldDefinition): DefinitionProblem[] {
  const { found, add } = problems();
  const { type, rules, options } = definition;
  const activeOptions = options.filter((option) => !option.retired).length;

  const seen = new Set<string>();
  options.forEach((option, index) => {
    if (seen.has(option.value)) add(['options', index, 'value'], '选项值重复', 'Two options have the same value');
    seen.add(option.value);
  });
  if (FIELD_TYPES[type].options && activeOptions === 0) {
    add(['options'], '至少要有一个未停用的选项', 'At least one option must not be retired');
  }

  const badBounds = (['min', 'max'] as const).filter((name) => {
    const bound = rules[name];
    const wrong = bound !== undefined && !boundFits(type, bound);
    if (wrong) add(['rules', name], ...boundHint(type));
    return wrong;
  });
  const { min, max } = rules;
  if (badBounds.length === 0 && min !== undefined && max !== undefined && above(min, max)) {
    add(['rules', 'max'], 'max 不能小于 min', 'max cannot be below min');
  }
  if (type === 'rating' && badBounds.length === 0) {
    const top = rules.maxRating ?? 0;
    if ((min !== undefined && Number(min) < 1) || (max !== undefined && Number(max) > top)) {
      add(['rules'], `评分范围须在 1 到 ${top} 之间`, `Rating bounds must lie between 1 and ${top}`);
    }
  }
  if (FIELD_TYPES[type].multiple && typeof min === 'number' && min > activeOptions) {
    add(['rules', 'min'], `至少选 ${min} 项，但只有 ${activeOptions} 个可选项`, `At least ${min} required, but only ${activeOptions} options are offered`);
  }

  const cap = MAX_LENGTH_CAPS[type];
  if (cap !== undefined && rules.maxLength !== undefined && rules.maxLength > cap) {
    add(['rules', 'maxLength'], `最长不能超过 ${cap} 个字`, `maxLength cannot exceed ${cap}`);
  }
  if (rules.minLength !== undefined && rules.maxLength !== undefined && rules.minLength > rules.maxLength) {
    add(['rules', 'minLength'], 'minLength 不能大于 maxLength', 'minLength cannot exceed maxLength');
  }
  const pattern = rules.pattern === undefined ? null : patternProblem(rules.pattern);
  if (pattern) add(['rules', 'pattern'], pattern.zh, pattern.en);
  return found;
}

/** Both bounds are of the type's kind by now: numbers, or 'YYYY-MM-DD' dates that order as text. */
function above(min: number | string, max: number | string): boolean {
  return typeof min === 'number' && typeof max === 'number' ? min > max : String(min) > String(max);
}

/** Dates bound a date field; whole numbers bound counts, ratings, integers and fen. */
function boundFits(type: CustomFieldType, bound: number | string): boolean {
  if (type === 'date') return typeof bound === 'string' && isDateText(bound);
  if (typeof bound !== 'number' || !Number.isFinite(bound)) return false;
  if (type === 'decimal') return true;
  return Number.isSafeInteger(bound) && (!FIELD_TYPES[type].multiple || bound >= 0);
}

function boundHint(type: CustomFieldType): [string, string] {
  if (type === 'date') return ['须为 YYYY-MM-DD 格式的有效日期', 'Must be a real date as YYYY-MM-DD'];
  if (type === 'decimal') return ['须为数字', 'Must be a number'];
  if (FIELD_TYPES[type].multiple) return ['须为非负整数（选项个数）', 'Must be a whole number of options, 0 or more'];
  if (type === 'money') return ['须为整数（单位：分）', 'Must be a whole number of fen'];
  return ['须为整数', 'Must be a whole number'];
}
