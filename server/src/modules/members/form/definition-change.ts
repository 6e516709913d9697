import { localized, type FieldError } from '../../../platform/http/validation.js';
import type { CustomFieldDefinition } from './definition.js';
import { FIELD_TYPES } from './field-types.js';

/**
 * Whether an admin may turn a stored definition into a new one. Member data outlives any
 * edit of its definition, so nothing may change what stored values mean:
 *
 * - the key and the type never change (the key names stored data; a type change would
 *   reinterpret it) — define a new field and retire the old one instead;
 * - options may be added, relabelled, reordered, retired and brought back, never removed:
 *   members still hold the value, and reports still need its label;
 * - switching `unique` on is allowed only if no two members already share a value, which
 *   only the service can see: it is flagged, not decided, here.
 *
 * Tightened rules (a shorter maxLength, a narrower range) are allowed: stored values stay
 * as they are and are checked again only when an update sends them.
 */
export const DEFINITION_CHANGE_CODES = ['key_changed', 'type_changed', 'option_removed'] as const;

export interface DefinitionChange {
  /** Empty when the change is allowed; throw them with `assertNoFieldErrors`. */
  problems: FieldError[];
  /** `unique` was switched on: check that existing members hold no duplicate before saving. */
  needsUniqueCheck: boolean;
}

export function checkDefinitionChange(previous: CustomFieldDefinition, next: CustomFieldDefinition): DefinitionChange {
  const problems: FieldError[] = [];
  const add = (path: string, code: (typeof DEFINITION_CHANGE_CODES)[number], zh: string, en: string) =>
    problems.push({ path, code, message: localized(zh, en)() });

  if (next.key !== previous.key) {
    add('key', 'key_changed', '字段标识创建后不能修改', 'A field key cannot change once the field exists');
  }
  if (next.type !== previous.type) {
    const was = FIELD_TYPES[previous.type].label;
    add(
      'type',
      'type_changed',
      `字段类型不能修改（原为「${was.zh}」），请新建字段并停用旧字段`,
      `A field type cannot change (it is ${was.en}); define a new field and retire this one`,
    );
  }
  const kept = new Set(next.options.map((option) => option.value));
  // After a refused type change, missing options are that change's noise, not news.
  for (const option of next.type === previous.type ? previous.options : []) {
    if (kept.has(option.value)) continue;
    add(
      'options',
      'option_removed',
      `选项「${option.label.zh}」已有会员使用过，不能删除，只能停用`,
      `The option "${option.label.en}" may be held by members; retire it instead of removing it`,
    );
  }
  return { problems, needsUniqueCheck: next.unique && !previous.unique };
}
