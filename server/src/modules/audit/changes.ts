/**
 * The before/after of the fields a write changed, for an audit record. Only for entities
 * with no sensitive fields (stores, roles, staff accounts); member, order and ledger diffs
 * go through the field guard, which masks and hashes sensitive values.
 */
export function changedFields<T extends object>(
  before: Partial<T> | null,
  after: Partial<T> | null,
  keys: Array<keyof T & string>,
): Array<{ field: string; before: unknown; after: unknown }> {
  const out: Array<{ field: string; before: unknown; after: unknown }> = [];
  for (const key of keys) {
    const a = before?.[key] ?? null;
    const b = after?.[key] ?? null;
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ field: key, before: a, after: b });
  }
  return out;
}
