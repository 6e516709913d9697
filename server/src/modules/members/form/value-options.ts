import type { CustomFieldDefinition, FieldOption } from './definition.js';
import { fail, ok, type Outcome } from './problems.js';

/**
 * Values of option types are option values, never labels. A retired option is offered to
 * nobody, but a member who already has it keeps it: an update sending the value the
 * member already has is valid, so editing another field never forces a change here.
 */
export function pickOption(
  definition: CustomFieldDefinition,
  raw: unknown,
  keepsRetired: (value: string) => boolean,
): Outcome<string> {
  if (typeof raw !== 'string') return fail('invalid_type', '请选择一个选项', 'Choose an option');
  const option = definition.options.find((candidate) => candidate.value === raw);
  if (!option) return fail('invalid_value', '不是该字段的选项', 'Not one of the options of this field');
  if (option.retired && !keepsRetired(option.value)) {
    return fail('option_retired', `选项「${option.label.zh}」已停用`, `The option "${option.label.en}" has been retired`);
  }
  return ok(option.value);
}

/** multiselect and checkbox: unique option values, returned in the option list's order. */
export function pickOptions(definition: CustomFieldDefinition, raw: unknown, previous: unknown): Outcome<string[]> {
  if (!Array.isArray(raw)) return fail('invalid_type', '请选择选项', 'Choose options from the list');
  const kept: unknown[] = Array.isArray(previous) ? previous : [];
  const picked = new Set<string>();
  for (const item of raw) {
    const one = pickOption(definition, item, (value) => kept.includes(value));
    if (!one.ok) return one;
    if (picked.has(one.value)) return fail('duplicate_value', '同一选项选了两次', 'The same option is chosen twice');
    picked.add(one.value);
  }
  // Option-list order, so an unchanged choice compares equal however the client sent it.
  return ok(definition.options.map((option: FieldOption) => option.value).filter((value) => picked.has(value)));
}
