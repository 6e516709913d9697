/**
 * The field-level permission engine: a pure library (no database, no HTTP). The access
 * module stores role policies and builds a guard per request; every other module passes
 * its outputs, payloads, queries and audit diffs through that guard. See CONTEXT.md.
 */
export { FIELD_LEVELS, levelRank, morePermissive, type FieldLevel } from './levels.js';
export {
  FULL_VALUE_FORMATS,
  isFullValue,
  isFullPhone,
  isFullIdNumber,
  isFullEmail,
  normalisePhone,
  type FullValueFormat,
} from './formats.js';
export * as masks from './masks.js';
export { MASK_KINDS, FULL_MASK, applyMask, isMaskKind, type MaskKind, type MaskFunction } from './masks.js';
export {
  FieldRegistry,
  createFieldRegistry,
  customFieldKey,
  isCustomKey,
  SENSITIVITIES,
  type EntityType,
  type FieldDefinition,
  type FieldInput,
  type Sensitivity,
} from './registry.js';
export { MEMBER_FIELDS, ORDER_FIELDS, LEDGER_FIELDS, registerBuiltinFields } from './builtin-fields.js';
export { roleFieldPolicySchema, policyKeyOf, type RoleFieldPolicy, type EntityDefault } from './role-policy.js';
export { BUILTIN_FIELD_POLICIES, BUILTIN_ROLE_CODES, type BuiltinRoleCode } from './builtin-policies.js';
export {
  resolveFieldPolicies,
  combineFieldPolicy,
  REVEAL_ORDER,
  type EffectiveFieldPolicy,
  type EffectivePolicies,
} from './resolve.js';
export { FILTER_OPS, type FilterOp, type FieldFilter } from './query-rules.js';
export { fieldQueryForbidden, type QueryAction } from './field-errors.js';
export { auditMask, valueHash, type AuditDiff, type AuditDiffEntry, type DiffHashKey } from './audit-diff.js';
export { FieldGuard, createFieldGuard, type FieldGuardOptions, type VisibleField } from './guard.js';
