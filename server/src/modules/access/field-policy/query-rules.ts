import { isFullValue } from './formats.js';
import type { FieldDefinition } from './registry.js';
import type { EffectiveFieldPolicy } from './resolve.js';

/**
 * Whether a filter, sort or search may use a field. A query must never be an oracle:
 * filtering on a hidden field would let a user find out its values one guess at a time
 * (Strapi CVE-2023-22894), sorting on a masked one would order what the mask hides.
 *
 * - hidden: nothing, not even a null check;
 * - masked: null checks (the masked view shows absence anyway), and `eq` with a complete,
 *   well-formed value on a field marked `exactMatchWhenMasked` (the cashier typing the
 *   whole phone number); no partial, prefix, like, range or `in` lists; no sort; no search;
 * - read / edit: anything the field supports.
 * The verdict depends only on the field, the policy, the operator and the value's format,
 * never on stored data, so a refusal says nothing about whether a value exists.
 */
export const FILTER_OPS = [
  'eq',
  'ne',
  'in',
  'nin',
  'lt',
  'lte',
  'gt',
  'gte',
  'like',
  'prefix',
  'contains',
  'null',
  'notNull',
] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

export interface FieldFilter {
  field: string;
  op: FilterOp | (string & {});
  value?: unknown;
}

/** 'forbidden' is about the user's roles (403); 'unsupported' holds for everyone (400). */
export type QueryVerdict = 'allowed' | 'forbidden' | 'unsupported';

const PRESENCE_OPS: readonly string[] = ['null', 'notNull'];

export function filterVerdict(
  field: FieldDefinition | undefined,
  policy: EffectiveFieldPolicy,
  filter: FieldFilter,
): QueryVerdict {
  if (!field) return 'unsupported';
  if (policy.level === 'hidden') return 'forbidden';
  if (!field.filterable || !(FILTER_OPS as readonly string[]).includes(filter.op)) return 'unsupported';
  if (policy.level !== 'masked' || PRESENCE_OPS.includes(filter.op)) return 'allowed';
  const exact = field.exactMatchWhenMasked;
  return exact !== null && filter.op === 'eq' && isFullValue(exact, filter.value) ? 'allowed' : 'forbidden';
}

export function sortVerdict(field: FieldDefinition | undefined, policy: EffectiveFieldPolicy): QueryVerdict {
  if (!field) return 'unsupported';
  if (policy.level === 'hidden' || policy.level === 'masked') return 'forbidden';
  return field.sortable ? 'allowed' : 'unsupported';
}

export function searchVerdict(field: FieldDefinition | undefined, policy: EffectiveFieldPolicy): QueryVerdict {
  if (!field) return 'unsupported';
  if (policy.level === 'hidden' || policy.level === 'masked') return 'forbidden';
  return field.searchable ? 'allowed' : 'unsupported';
}
