import type { Principal } from '../../platform/http/route.js';
import {
  createFieldGuard,
  resolveFieldPolicies,
  type AuditDiff,
  type EffectivePolicies,
  type EntityType,
  type FieldGuard,
  type FieldRegistry,
} from './field-policy/index.js';

/**
 * The field guard of one entity for one caller. A principal lives for one request, so its
 * combined policies are worked out once per request (they follow registry changes by
 * themselves) and never shared with another caller.
 */
const resolved = new WeakMap<Principal, EffectivePolicies>();

/** `alsoVisible`: structural keys of a record (an order's member summary, its store name) shown to every reader of it. */
export function fieldGuardFor(registry: FieldRegistry, principal: Principal, entity: EntityType, alsoVisible: readonly string[] = []): FieldGuard {
  let policies = resolved.get(principal);
  if (!policies) {
    policies = resolveFieldPolicies(registry, principal.fieldPolicies);
    resolved.set(principal, policies);
  }
  return createFieldGuard(registry, policies, entity, { alwaysVisible: ['id', 'createdAt', 'updatedAt', ...alsoVisible] });
}

/**
 * How a reader sees the diffs of audit records: the field diff of an entity with
 * registered fields (members, later orders and ledgers) goes through the reader's field
 * policies, as the record itself would; other diffs (roles, stores, settings) as stored.
 */
export function auditDiffView(registry: FieldRegistry, principal: Principal): (entityType: string | null, diff: unknown) => unknown {
  return (entityType, diff) => {
    if (!entityType || !Array.isArray(diff) || registry.fields(entityType).length === 0) return diff;
    return fieldGuardFor(registry, principal, entityType).projectDiff(diff as AuditDiff);
  };
}
