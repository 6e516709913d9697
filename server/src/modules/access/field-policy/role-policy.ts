import { z } from 'zod';
import { FIELD_LEVELS } from './levels.js';
import { MASK_KINDS } from './masks.js';
import { SENSITIVITIES } from './registry.js';

/**
 * One role's field policy, as stored with the role and edited in the permission matrix.
 * Keys read `<entity>.<field key>`: `member.phone`, `member.custom.skin_type`.
 *
 * - `fields`: the level for named fields;
 * - `defaults`: per entity, the level of every field not named, either one level or one
 *   per sensitivity (so a custom field a role has never heard of gets a sensible level);
 *   an entity without a default is hidden;
 * - `masks`: the mask a masked field shows for this role, instead of the field's default;
 * - `createFields`: fields the role may supply when it creates a record although it cannot
 *   change them afterwards (a cashier registering a member types the phone number, then
 *   sees it masked like any other). `member.custom.*` stands for every custom field,
 *   including those defined later.
 */
const level = z.enum(FIELD_LEVELS);
const policyKey = z.string().regex(/^[a-z][a-z0-9_]*\.(?:custom\.[a-z][a-z0-9_]*|[a-z][A-Za-z0-9]*)$/, 'entity.field');

export const entityDefaultSchema = z.union([level, z.partialRecord(z.enum(SENSITIVITIES), level)]);

export const roleFieldPolicySchema = z.strictObject({
  defaults: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/), entityDefaultSchema).optional(),
  fields: z.record(policyKey, level).optional(),
  masks: z.record(policyKey, z.enum(MASK_KINDS)).optional(),
  createFields: z.array(z.union([policyKey, z.string().regex(/^[a-z][a-z0-9_]*\.custom\.\*$/, 'entity.custom.*')])).optional(),
});

export type EntityDefault = z.infer<typeof entityDefaultSchema>;
export type RoleFieldPolicy = z.infer<typeof roleFieldPolicySchema>;

export function policyKeyOf(entity: string, fieldKey: string): string {
  return `${entity}.${fieldKey}`;
}

/** Whether a role's `createFields` names the field, directly or as `<entity>.custom.*`. */
export function listsCreateField(policy: RoleFieldPolicy, entity: string, fieldKey: string, custom: boolean): boolean {
  const fields = policy.createFields ?? [];
  return fields.includes(policyKeyOf(entity, fieldKey)) || (custom && fields.includes(`${entity}.custom.*`));
}
