import type { CustomFieldDefinition, CustomFieldType, CustomValue } from '@/api/member-fields';
import type { Member, MemberWrite } from '@/api/members';
import { businessOffsetTime, businessWallClock, fenToYuan, yuanToFen } from '@/utils/format';

/**
 * Values between the server's shape and the form's: money is stored in fen and typed in yuan,
 * a date-time is stored as an instant and typed as a business-timezone wall clock, empty
 * inputs hold '' / null / [] and are sent as null. One place, so create, edit, the designer's
 * default value and the preview agree.
 */
export type FormValue = string | number | boolean | string[] | null;

const NUMBER_TYPES: ReadonlySet<CustomFieldType> = new Set(['integer', 'decimal', 'money', 'member_ref', 'staff_ref']);
const LIST_TYPES: ReadonlySet<CustomFieldType> = new Set(['multiselect', 'checkbox']);

/** What an untouched input of this type holds. */
export function emptyFormValue(type: CustomFieldType): FormValue {
  if (LIST_TYPES.has(type)) return [];
  if (NUMBER_TYPES.has(type)) return null;
  if (type === 'switch') return false;
  if (type === 'rating') return 0;
  return '';
}

/** A stored custom value as its input holds it. */
export function customToForm(field: Pick<CustomFieldDefinition, 'type'>, stored: unknown): FormValue {
  const { type } = field;
  if (stored === null || stored === undefined) return emptyFormValue(type);
  if (LIST_TYPES.has(type)) return Array.isArray(stored) ? stored.map(String) : emptyFormValue(type);
  if (type === 'switch') return stored === true;
  if (type === 'money') return typeof stored === 'number' ? fenToYuan(stored) : null;
  if (NUMBER_TYPES.has(type) || type === 'rating') return typeof stored === 'number' ? stored : emptyFormValue(type);
  if (type === 'datetime') return typeof stored === 'string' ? businessWallClock(stored) : '';
  return typeof stored === 'string' ? stored : String(stored);
}

/** An input's value as the server takes it; null for an empty input. */
export function customToPayload(field: Pick<CustomFieldDefinition, 'type'>, value: FormValue | undefined): CustomValue | null {
  const { type } = field;
  if (value === null || value === undefined) return null;
  if (LIST_TYPES.has(type)) return Array.isArray(value) && value.length > 0 ? [...value] : null;
  if (type === 'switch') return value === true;
  if (type === 'rating') return typeof value === 'number' && value > 0 ? value : null;
  if (NUMBER_TYPES.has(type)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) return null;
    return type === 'money' ? yuanToFen(value) : value;
  }
  const text = String(value).trim();
  if (text === '') return null;
  return type === 'datetime' ? businessOffsetTime(text) || text : text;
}

/** Nothing typed: '', null, [] (false and 0 are values, except an unrated rating). */
export function isEmptyFormValue(value: FormValue | undefined): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);
}

/** Whether two payload values are the same, so an edit sends only what changed. */
export function samePayload(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** The built-in fields a member form may write. */
export const BUILTIN_FORM_KEYS = [
  'cardNo',
  'name',
  'nickname',
  'gender',
  'birthday',
  'idNumber',
  'region',
  'phone',
  'email',
  'wechatId',
  'homeStoreId',
  'channel',
  'referrerId',
  'managerId',
  'notes',
] as const;
export type BuiltinFormKey = (typeof BUILTIN_FORM_KEYS)[number];

/** The form's model: built-in inputs by key, custom inputs under `custom` (paths read like the server's error paths). */
export type MemberFormModel = Record<BuiltinFormKey, FormValue> & { custom: Record<string, FormValue> };

const BUILTIN_ID_KEYS: ReadonlySet<BuiltinFormKey> = new Set(['homeStoreId', 'referrerId', 'managerId']);

export function builtinToForm(key: BuiltinFormKey, member: Member | null): FormValue {
  const stored = member?.[key];
  if (BUILTIN_ID_KEYS.has(key)) return typeof stored === 'number' ? stored : null;
  return typeof stored === 'string' ? stored : '';
}

export function builtinToPayload(key: BuiltinFormKey, value: FormValue | undefined): MemberWrite[BuiltinFormKey] | null {
  if (BUILTIN_ID_KEYS.has(key)) return typeof value === 'number' ? value : null;
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '') return null;
  // Resident ID numbers end in X, which people type either way.
  return key === 'idNumber' ? text.toUpperCase() : text;
}
