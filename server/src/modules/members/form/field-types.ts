import type { FieldRules } from './definition.js';

/**
 * The kinds of custom member field an admin can define, and what each kind allows: an
 * option list, uniqueness, search, and which validation rules. One table, so the
 * definition schema, the value checks and the console's type picker agree.
 */
export const CUSTOM_FIELD_TYPES = [
  'text',
  'textarea',
  'integer',
  'decimal',
  'money',
  'date',
  'datetime',
  'select',
  'multiselect',
  'radio',
  'checkbox',
  'switch',
  'phone',
  'email',
  'url',
  'region',
  'rating',
  'member_ref',
  'staff_ref',
] as const;

export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

/** A custom field's key: lower snake case, so `custom.<key>` reads like any other path. */
export const FIELD_KEY_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

export const RULE_NAMES = ['min', 'max', 'minLength', 'maxLength', 'pattern', 'scale', 'maxRating'] as const;
export type RuleName = (typeof RULE_NAMES)[number];

export interface FieldTypeTraits {
  readonly label: { readonly zh: string; readonly en: string };
  /** Values come from the field's own option list. */
  readonly options: boolean;
  /** The value is a list of option values (multiselect, checkbox), not one value. */
  readonly multiple: boolean;
  /**
   * Whether a member list may be searched by the field. Every type whose value reduces to
   * one short scalar may; textarea may not: it is long free text that no index serves, so
   * a search would scan every member's notes. Members are looked up by a text field.
   */
  readonly searchable: boolean;
  /** Only types whose values identify someone (a code, a number, a contact) may be unique. */
  readonly unique: boolean;
  /** The rules an admin may set; any other rule is refused, never dropped. */
  readonly rules: readonly RuleName[];
}

const traits = (
  zh: string,
  en: string,
  rules: readonly RuleName[] = [],
  more: Partial<Omit<FieldTypeTraits, 'label' | 'rules'>> = {},
): FieldTypeTraits => ({
  label: { zh, en },
  options: false,
  multiple: false,
  searchable: true,
  unique: false,
  rules,
  ...more,
});

const choice = { options: true };
const choices = { options: true, multiple: true };
const identifying = { unique: true };

export const FIELD_TYPES: Readonly<Record<CustomFieldType, FieldTypeTraits>> = {
  text: traits('单行文本', 'Single-line text', ['minLength', 'maxLength', 'pattern'], identifying),
  textarea: traits('多行文本', 'Multi-line text', ['minLength', 'maxLength'], { searchable: false }),
  integer: traits('整数', 'Integer', ['min', 'max'], identifying),
  decimal: traits('小数', 'Decimal', ['min', 'max', 'scale']),
  money: traits('金额', 'Amount', ['min', 'max']),
  date: traits('日期', 'Date', ['min', 'max']),
  datetime: traits('日期时间', 'Date and time'),
  select: traits('下拉单选', 'Drop-down', [], choice),
  multiselect: traits('下拉多选', 'Multi-select drop-down', ['min', 'max'], choices),
  radio: traits('单选按钮', 'Radio buttons', [], choice),
  checkbox: traits('复选框', 'Checkboxes', ['min', 'max'], choices),
  switch: traits('开关', 'Switch'),
  phone: traits('手机号', 'Mobile number', [], identifying),
  email: traits('邮箱', 'Email', [], identifying),
  url: traits('网址', 'Web address', [], identifying),
  region: traits('地区', 'Region'),
  rating: traits('评分', 'Rating', ['min', 'max', 'maxRating']),
  member_ref: traits('关联会员', 'Member'),
  staff_ref: traits('关联员工', 'Staff member'),
};

/** The rules a definition gets when the admin leaves them out. */
export const DEFAULT_RULES: Readonly<Partial<Record<CustomFieldType, Readonly<FieldRules>>>> = {
  text: { maxLength: 200 },
  textarea: { maxLength: 2000 },
  decimal: { scale: 2 },
  // Money is never negative unless the admin says so with a lower min.
  money: { min: 0 },
  rating: { maxRating: 5 },
};

export type OptionFieldType = 'select' | 'radio' | 'multiselect' | 'checkbox';

export function hasOptions(type: CustomFieldType): type is OptionFieldType {
  return FIELD_TYPES[type].options;
}

export function isCustomFieldType(value: unknown): value is CustomFieldType {
  return typeof value === 'string' && (CUSTOM_FIELD_TYPES as readonly string[]).includes(value);
}
