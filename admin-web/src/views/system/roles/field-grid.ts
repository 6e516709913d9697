import type { EntityDefault, FieldLevel, FieldPolicy, RegistryEntity, RegistryField, Sensitivity } from '@/api/roles';

export const FIELD_LEVELS: readonly FieldLevel[] = ['hidden', 'masked', 'read', 'edit'];
export const SENSITIVITIES: readonly Sensitivity[] = ['normal', 'contact', 'personal', 'financial'];

export function policyKey(entity: string, field: string): string {
  return `${entity}.${field}`;
}

/** The level a field gets from the entity's default: one level, or one per sensitivity; none means hidden. */
export function defaultLevel(policy: FieldPolicy, entity: string, sensitivity: Sensitivity): FieldLevel {
  const entityDefault: EntityDefault | undefined = policy.defaults?.[entity];
  if (entityDefault === undefined) return 'hidden';
  if (typeof entityDefault === 'string') return entityDefault;
  return entityDefault[sensitivity] ?? 'hidden';
}

export interface FieldRow {
  field: RegistryField;
  key: string;
  /** what the role gets, as the server would resolve it */
  level: FieldLevel;
  /** set for this field, rather than taken from the entity default */
  explicit: boolean;
  /** may be supplied on create although not editable afterwards */
  creatable: boolean;
}

/**
 * A field's row in the grid. `masked` on a field without a mask shows as `hidden`, because
 * that is what the server makes of it.
 */
export function fieldRow(policy: FieldPolicy, entity: string, field: RegistryField): FieldRow {
  const key = policyKey(entity, field.key);
  const set = policy.fields?.[key];
  let level = set ?? defaultLevel(policy, entity, field.sensitivity);
  if (level === 'masked' && !field.maskable && !policy.masks?.[key]) level = 'hidden';
  return { field, key, level, explicit: set !== undefined, creatable: (policy.createFields ?? []).includes(key) };
}

export function entityRows(policy: FieldPolicy, entity: RegistryEntity): FieldRow[] {
  return entity.fields.map((field) => fieldRow(policy, entity.entity, field));
}

export function setFieldLevel(policy: FieldPolicy, key: string, level: FieldLevel): void {
  policy.fields = { ...policy.fields, [key]: level };
}

/** Back to the entity default: the field follows later changes to it. */
export function clearFieldLevel(policy: FieldPolicy, key: string): void {
  if (!policy.fields) return;
  const rest = { ...policy.fields };
  delete rest[key];
  policy.fields = rest;
}

export function setCreatable(policy: FieldPolicy, key: string, on: boolean): void {
  const current = new Set(policy.createFields ?? []);
  if (on) current.add(key);
  else current.delete(key);
  policy.createFields = [...current];
}

/** The entity default spelled out per sensitivity (for the defaults row). */
export function entityDefaults(policy: FieldPolicy, entity: string): Record<Sensitivity, FieldLevel> {
  return Object.fromEntries(SENSITIVITIES.map((s) => [s, defaultLevel(policy, entity, s)])) as Record<Sensitivity, FieldLevel>;
}

/** Sets one sensitivity's default; four equal levels are stored as one, as the built-in roles write them. */
export function setEntityDefault(policy: FieldPolicy, entity: string, sensitivity: Sensitivity, level: FieldLevel): void {
  const next = { ...entityDefaults(policy, entity), [sensitivity]: level };
  const levels = SENSITIVITIES.map((s) => next[s]);
  const value: EntityDefault = levels.every((l) => l === levels[0]) ? levels[0] : next;
  policy.defaults = { ...policy.defaults, [entity]: value };
}

/** A copy with empty parts dropped, so an untouched policy saves as it was loaded. */
export function cleanPolicy(policy: FieldPolicy): FieldPolicy {
  const clean: FieldPolicy = {};
  if (policy.defaults && Object.keys(policy.defaults).length > 0) clean.defaults = { ...policy.defaults };
  if (policy.fields && Object.keys(policy.fields).length > 0) clean.fields = { ...policy.fields };
  if (policy.masks && Object.keys(policy.masks).length > 0) clean.masks = { ...policy.masks };
  if (policy.createFields && policy.createFields.length > 0) clean.createFields = [...policy.createFields].sort();
  return clean;
}
