import { levelRank, type FieldLevel } from './levels.js';
import type { MaskKind } from './masks.js';
import type { EntityType, FieldDefinition, FieldRegistry } from './registry.js';
import { listsCreateField, policyKeyOf, type EntityDefault, type RoleFieldPolicy } from './role-policy.js';

/**
 * Turns the field policies of the roles a user holds into one policy per field.
 *
 * - Levels: the most permissive role wins (edit > read > masked > hidden), so adding a
 *   role never takes anything away.
 * - A role's 'masked' needs a mask: the role's override for the field, else the field's
 *   default. A field with neither cannot be masked and the role's level becomes 'hidden'.
 * - Mask kind: the mask of the role that granted the winning level. When several roles
 *   mask the field with different kinds, the one revealing least wins (see REVEAL_ORDER):
 *   the most-permissive rule is about levels, and a tie is no reason to show more.
 * - Creating: a field may be supplied on create when the level is 'edit' or any role
 *   lists it in `createFields`.
 * - A field that is not registered (unknown, or a retired custom field) is hidden.
 */
export interface EffectiveFieldPolicy {
  readonly level: FieldLevel;
  /** Set exactly when level is 'masked'. */
  readonly mask: MaskKind | null;
  readonly creatable: boolean;
}

export interface EffectivePolicies {
  of(entity: EntityType, fieldKey: string): EffectiveFieldPolicy;
}

/** Mask kinds from revealing least to most; used only to break ties between roles. */
export const REVEAL_ORDER: readonly MaskKind[] = ['full', 'last4', 'name', 'birthday', 'email', 'phone', 'idNumber'];

const HIDDEN: EffectiveFieldPolicy = Object.freeze({ level: 'hidden', mask: null, creatable: false });

function defaultLevel(entityDefault: EntityDefault | undefined, field: FieldDefinition): FieldLevel {
  if (entityDefault === undefined) return 'hidden';
  if (typeof entityDefault === 'string') return entityDefault;
  return entityDefault[field.sensitivity] ?? 'hidden';
}

/** One role's level and mask for one field, before roles are combined. */
export function roleFieldPolicy(
  policy: RoleFieldPolicy,
  entity: EntityType,
  field: FieldDefinition,
): { level: FieldLevel; mask: MaskKind | null } {
  const key = policyKeyOf(entity, field.key);
  const level = policy.fields?.[key] ?? defaultLevel(policy.defaults?.[entity], field);
  if (level !== 'masked') return { level, mask: null };
  const mask = policy.masks?.[key] ?? field.mask;
  return mask === null ? { level: 'hidden', mask: null } : { level, mask };
}

export function combineFieldPolicy(
  roles: readonly RoleFieldPolicy[],
  entity: EntityType,
  field: FieldDefinition,
): EffectiveFieldPolicy {
  const perRole = roles.map((policy) => roleFieldPolicy(policy, entity, field));
  let level: FieldLevel = 'hidden';
  for (const candidate of perRole) if (levelRank(candidate.level) > levelRank(level)) level = candidate.level;
  let mask: MaskKind | null = null;
  if (level === 'masked') {
    const kinds = perRole.filter((candidate) => candidate.level === 'masked').map((candidate) => candidate.mask!);
    mask = kinds.reduce((least, kind) => (REVEAL_ORDER.indexOf(kind) < REVEAL_ORDER.indexOf(least) ? kind : least));
  }
  const creatable = level === 'edit' || roles.some((policy) => listsCreateField(policy, entity, field.key, field.custom));
  return Object.freeze({ level, mask, creatable });
}

/**
 * The effective policies of a user holding `roles`. Fields are resolved on demand against
 * the registry as it is now, and remembered until the registry's revision moves, so a
 * custom field defined or retired meanwhile is picked up. Build one per request (or per
 * role set), never one shared across users.
 */
export function resolveFieldPolicies(registry: FieldRegistry, roles: readonly RoleFieldPolicy[]): EffectivePolicies {
  const cache = new Map<string, EffectiveFieldPolicy>();
  let revision = registry.revision;
  return {
    of(entity, fieldKey) {
      if (registry.revision !== revision) {
        cache.clear();
        revision = registry.revision;
      }
      const key = policyKeyOf(entity, fieldKey);
      let policy = cache.get(key);
      if (!policy) {
        const field = registry.field(entity, fieldKey);
        policy = field ? combineFieldPolicy(roles, entity, field) : HIDDEN;
        cache.set(key, policy);
      }
      return policy;
    },
  };
}
