import type { FieldGuard } from '../../access/field-policy/index.js';
import type { CustomFieldDefinition } from '../form/index.js';
import { asDay, asGender, asRegion, asText, customConvert, type Convert } from './cell-values.js';

/**
 * The columns a member sheet may have for this caller: the fields they may type when
 * registering a member, by their labels. The import template lists them; an upload's
 * headers are matched to them by label (either language) or key.
 */
export interface ImportColumn {
  key: string;
  label: { zh: string; en: string };
  required: boolean;
  convert: Convert;
}

const BUILTIN: Array<[string, Convert]> = [
  ['cardNo', asText],
  ['name', asText],
  ['nickname', asText],
  ['gender', asGender],
  ['birthday', asDay],
  ['region', asRegion],
  ['phone', asText],
  ['email', asText],
  ['wechatId', asText],
  ['idNumber', asText],
  ['homeStoreId', asText],
  ['channel', asText],
  ['notes', asText],
];

export function importColumns(
  guard: FieldGuard,
  definitions: readonly CustomFieldDefinition[],
  stores: ReadonlyArray<{ id: number; code: string; name: string }>,
  timeZone: string,
): ImportColumn[] {
  const creatable = (key: string) => {
    const policy = guard.policy(key);
    return policy.level === 'edit' || policy.creatable;
  };
  const store: Convert = (text) => stores.find((s) => s.code === text || s.name === text || String(s.id) === text)?.id ?? text;
  const builtin = BUILTIN.filter(([key]) => creatable(key)).map(([key, convert]): ImportColumn => ({
    key,
    label: guard.registry.field('member', key)!.label,
    required: key === 'phone',
    convert: key === 'homeStoreId' ? store : convert,
  }));
  const custom = definitions
    .filter((d) => !d.retired && creatable(`custom.${d.key}`))
    .map((d): ImportColumn => ({ key: `custom.${d.key}`, label: d.label, required: d.required, convert: customConvert(d, timeZone) }));
  return [...builtin, ...custom];
}

const squash = (text: string) => text.replace(/[\s_*（）()]/g, '').toLowerCase();

/** Each header's column, matched by label in either language or by key; null when nothing fits. */
export function suggestMapping(headers: readonly string[], columns: readonly ImportColumn[]): Record<string, string | null> {
  const taken = new Set<string>();
  return Object.fromEntries(
    headers.map((header) => {
      const wanted = squash(header);
      const column = columns.find((c) => !taken.has(c.key) && [c.key, c.label.zh, c.label.en].some((name) => squash(name) === wanted));
      if (column) taken.add(column.key);
      return [header, column?.key ?? null];
    }),
  );
}
