import type { BuiltinField, CustomField, MemberFields } from '@/api/member-fields';
import { BUILTIN_FORM_KEYS, type BuiltinFormKey } from './values';

/**
 * Which fields the member form shows and in what order: the built-in ones in three groups,
 * then the custom ones by their group and order. A field shows when the caller's roles let
 * them see it at all; it is an input when they may edit it (or, registering a member, type
 * it once), else its value is shown as text. A new member has no values to show, so the
 * create form holds inputs only. Retired custom fields never appear in the form.
 */
export type FormMode = 'create' | 'edit';

export const BUILTIN_SECTIONS: readonly { key: 'basic' | 'contact' | 'belonging'; fields: readonly BuiltinFormKey[] }[] = [
  { key: 'basic', fields: ['cardNo', 'name', 'nickname', 'gender', 'birthday', 'idNumber', 'region'] },
  { key: 'contact', fields: ['phone', 'email', 'wechatId'] },
  { key: 'belonging', fields: ['homeStoreId', 'channel', 'referrerId', 'managerId', 'notes'] },
];

export interface BuiltinItem {
  kind: 'builtin';
  key: BuiltinFormKey;
  /** the form model path and the server's error path */
  path: string;
  field: BuiltinField;
  editable: boolean;
}

export interface CustomItem {
  kind: 'custom';
  key: string;
  path: string;
  field: CustomField;
  editable: boolean;
}

export type FormItem = BuiltinItem | CustomItem;

export interface FormSection {
  key: string;
  /** an i18n key for the built-in groups */
  titleKey?: string;
  /** an admin's group name for custom fields */
  title?: string;
  items: FormItem[];
}

interface Orderable {
  key: string;
  group: string | null;
  order: number;
}

/** Custom fields by group, each group sorted by order then key; groups in the order of their first field. */
export function groupCustomFields<T extends Orderable>(fields: readonly T[]): { group: string | null; fields: T[] }[] {
  const sorted = [...fields].sort((a, b) => a.order - b.order || a.key.localeCompare(b.key));
  const groups = new Map<string | null, T[]>();
  for (const field of sorted) {
    const group = field.group || null;
    if (!groups.has(group)) groups.set(group, []);
    groups.get(group)!.push(field);
  }
  return [...groups.entries()].map(([group, list]) => ({ group, fields: list }));
}

function editable(field: { level: string; creatable: boolean }, mode: FormMode): boolean {
  return field.level === 'edit' || (mode === 'create' && field.creatable);
}

export function memberFormSections(fields: MemberFields, mode: FormMode): FormSection[] {
  const builtinByKey = new Map(fields.builtin.map((field) => [field.key, field]));
  const keep = (item: FormItem) => mode === 'edit' || item.editable;
  const sections: FormSection[] = [];

  for (const section of BUILTIN_SECTIONS) {
    const items: FormItem[] = section.fields.flatMap((key): BuiltinItem[] => {
      const field = builtinByKey.get(key);
      if (!field) return [];
      // The card number is chosen once, at registration.
      const canEdit = key === 'cardNo' ? mode === 'create' && editable(field, mode) : editable(field, mode);
      return [{ kind: 'builtin', key, path: key, field, editable: canEdit }];
    });
    const shown = items.filter(keep);
    if (shown.length > 0) sections.push({ key: section.key, titleKey: `members.form.sections.${section.key}`, items: shown });
  }

  const active = fields.custom.filter((field: CustomField) => !field.retired);
  for (const { group, fields: list } of groupCustomFields(active)) {
    const items: FormItem[] = list
      .map((field): CustomItem => ({ kind: 'custom', key: field.key, path: `custom.${field.key}`, field, editable: editable(field, mode) }))
      .filter(keep);
    if (items.length === 0) continue;
    sections.push(group ? { key: `group:${group}`, title: group, items } : { key: 'custom', titleKey: 'members.form.sections.more', items });
  }
  return sections;
}

/** Inputs that need a whole row of the two-column form. */
export function isWide(item: FormItem): boolean {
  if (item.kind === 'builtin') return item.key === 'notes';
  return item.field.type === 'textarea' || ((item.field.type === 'checkbox' || item.field.type === 'radio') && item.field.options.length > 4);
}

/** The built-in keys the form knows, for mapping server errors. */
export const FORM_BUILTIN_KEYS: readonly string[] = BUILTIN_FORM_KEYS;
