import type { AuditActorType, AuditDiffEntry, AuditResult } from '@/api/audit';

export const AUDIT_RESULTS: readonly AuditResult[] = ['success', 'failure', 'denied'];

export const RESULT_TAG: Record<AuditResult, 'success' | 'danger' | 'warning'> = {
  success: 'success',
  failure: 'danger',
  denied: 'warning',
};

export const ACTOR_TYPES: readonly AuditActorType[] = ['user', 'api_key', 'system', 'anonymous'];

/** A diff value as text: strings as they are (masked ones included), the rest as JSON. */
export function diffValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** The value changed although the stored (masked) texts may read the same. */
export function hashChanged(entry: AuditDiffEntry): boolean {
  return entry.changedHash !== undefined && entry.changedHash.before !== entry.changedHash.after;
}

/** The server sends the diff as JSON it does not type; keep only well-formed entries. */
export function diffEntries(diff: unknown): AuditDiffEntry[] {
  if (!Array.isArray(diff)) return [];
  return diff.filter((entry): entry is AuditDiffEntry => typeof entry === 'object' && entry !== null && typeof (entry as AuditDiffEntry).field === 'string');
}
