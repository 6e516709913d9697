import { regionTree } from '../members/region-data.js';
import { MEMBER_FIELDS } from '../access/field-policy/index.js';
import type { CustomFieldDefinition, CustomFieldType, LocalizedText } from '../members/form/index.js';
import type { ChannelBuiltinField } from './models.js';

/**
 * The public page's form: which fields it shows and how, described for the page's script.
 * Built-in fields are the channel's; custom fields are those the admin put on the
 * registration form, plus any required one without a default (left out, it would fail
 * every registration with an error the customer cannot see). A field that points at
 * another member or a staff member is never offered: a stranger cannot pick one.
 */
export interface FormField {
  /** `name`, or `custom.<key>` for a custom field. */
  key: string;
  type: CustomFieldType | 'gender';
  label: LocalizedText;
  required: boolean;
  helpText: LocalizedText | null;
  options: Array<{ value: string; label: LocalizedText }>;
  rules: Record<string, number | string>;
  defaultValue: unknown;
}

const NOT_PUBLIC: ReadonlySet<CustomFieldType> = new Set(['member_ref', 'staff_ref']);

const BUILTIN_TYPES: Record<ChannelBuiltinField, { type: FormField['type']; rules: FormField['rules'] }> = {
  name: { type: 'text', rules: { maxLength: 64 } },
  nickname: { type: 'text', rules: { maxLength: 64 } },
  gender: { type: 'gender', rules: {} },
  birthday: { type: 'date', rules: { min: '1900-01-01' } },
  region: { type: 'region', rules: {} },
  email: { type: 'email', rules: {} },
};

const GENDERS = [
  { value: 'female', label: { zh: '女', en: 'Female' } },
  { value: 'male', label: { zh: '男', en: 'Male' } },
  { value: 'other', label: { zh: '其他', en: 'Other' } },
];

/** The custom fields a channel's page shows, in the admin's order. */
export function registrationCustomFields(definitions: readonly CustomFieldDefinition[]): CustomFieldDefinition[] {
  return definitions.filter(
    (d) => !d.retired && !NOT_PUBLIC.has(d.type) && (d.onRegistration || (d.required && d.defaultValue === null)),
  );
}

export function formFields(builtin: readonly ChannelBuiltinField[], custom: readonly CustomFieldDefinition[]): FormField[] {
  const label = (key: string) => MEMBER_FIELDS.find((field) => field.key === key)!.label;
  return [
    ...builtin.map((key) => ({
      key,
      type: BUILTIN_TYPES[key].type,
      label: { ...label(key) },
      required: false,
      helpText: null,
      options: key === 'gender' ? GENDERS : [],
      rules: BUILTIN_TYPES[key].rules,
      defaultValue: null,
    })),
    ...custom.map((d) => ({
      key: `custom.${d.key}`,
      type: d.type,
      label: d.label,
      required: d.required,
      helpText: d.helpText,
      options: d.options.filter((o) => !o.retired).map((o) => ({ value: o.value, label: o.label })),
      rules: Object.fromEntries(Object.entries(d.rules).filter(([, v]) => v !== undefined)) as FormField['rules'],
      defaultValue: d.defaultValue,
    })),
  ];
}

/** Provinces and their cities for the region select; a municipality's single "市辖区" is left out. */
export function regionChoices(fields: readonly FormField[]) {
  if (!fields.some((field) => field.type === 'region')) return [];
  return regionTree().map((province) => ({
    value: province.value,
    label: province.label,
    children: (province.children ?? []).length > 1 ? province.children!.map((city) => ({ value: city.value, label: city.label })) : [],
  }));
}
