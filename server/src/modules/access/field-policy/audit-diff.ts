import crypto from 'node:crypto';
import { applyMask, type MaskKind } from './masks.js';
import { flatten, toPlain } from './record-shape.js';
import type { EntityType, FieldDefinition, FieldRegistry } from './registry.js';
import type { EffectivePolicies } from './resolve.js';

/**
 * The before/after of a change, as stored in an audit record, and its projection for
 * whoever later reads that record.
 *
 * Stored (the audit view, the same whoever made the change): every registered field whose
 * value changed, in registry order. Contact and personal fields are stored masked (their
 * default mask, else `full`) together with keyed hashes of the real values, so an auditor
 * can tell that a phone number changed, or changed back, without seeing it (Directus kept
 * plain values in revisions; ruoyi-vue-pro logs phone numbers in clear). Other fields are
 * stored as they are. Unregistered keys are left out: what the registry does not know,
 * the audit log does not keep.
 *
 * Read (projectAuditDiff): the stored diff through the reader's current policies. Fields
 * the reader may not see are dropped; fields they see masked are masked with their mask.
 */
export interface AuditDiffEntry {
  field: string;
  before: unknown;
  after: unknown;
  /** The mask the stored values went through, when they are masked. */
  mask?: MaskKind;
  /** Keyed hashes of the unmasked values, present whenever the values are masked. */
  changedHash?: { before: string; after: string };
}

export type AuditDiff = AuditDiffEntry[];

export type DiffHashKey = Uint8Array | crypto.KeyObject;

const MASKED_IN_AUDIT = new Set(['contact', 'personal']);

/** The mask the audit view uses for a field, or null when it stores the value as it is. */
export function auditMask(field: FieldDefinition): MaskKind | null {
  return MASKED_IN_AUDIT.has(field.sensitivity) ? (field.mask ?? 'full') : null;
}

/** A stable text for a value: object keys sorted, dates as ISO strings, absence as null. */
export function canonical(value: unknown): string {
  return JSON.stringify(normalise(value));
}

function normalise(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(normalise);
  if (typeof value === 'object') {
    const source = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(source)
        .sort()
        .map((key) => [key, normalise(source[key])]),
    );
  }
  return value;
}

/**
 * HMAC-SHA256 over entity, field and value. Binding the field keeps equal values in different
 * fields from matching, and keeps these hashes apart from the blind index even if someone
 * passed the same key; still, pass a key of its own.
 */
export function valueHash(key: DiffHashKey, entity: EntityType, field: string, value: unknown): string {
  return crypto.createHmac('sha256', key).update(`${entity}.${field}\u0000${canonical(value)}`).digest('base64url');
}

function assertKey(key: DiffHashKey): void {
  if (key instanceof crypto.KeyObject) return;
  if (!(key instanceof Uint8Array) || key.byteLength < 16) {
    throw new Error('The audit diff hash key must be at least 16 bytes');
  }
}

/** The stored diff between two versions of a record; null stands for "did not exist". */
export function auditDiff(
  registry: FieldRegistry,
  entity: EntityType,
  before: unknown,
  after: unknown,
  hashKey: DiffHashKey,
): AuditDiff {
  assertKey(hashKey);
  const old = new Map(flatten(toPlain(before)));
  const next = new Map(flatten(toPlain(after)));
  const diff: AuditDiff = [];
  for (const field of registry.fields(entity)) {
    if (!old.has(field.key) && !next.has(field.key)) continue;
    const from = old.get(field.key) ?? null;
    const to = next.get(field.key) ?? null;
    if (canonical(from) === canonical(to)) continue;
    const mask = auditMask(field);
    if (mask === null) {
      diff.push({ field: field.key, before: from, after: to });
    } else {
      diff.push({
        field: field.key,
        before: applyMask(mask, from),
        after: applyMask(mask, to),
        mask,
        changedHash: {
          before: valueHash(hashKey, entity, field.key, from),
          after: valueHash(hashKey, entity, field.key, to),
        },
      });
    }
  }
  return diff;
}

/** A stored diff as one reader may see it. */
export function projectAuditDiff(
  registry: FieldRegistry,
  policies: EffectivePolicies,
  entity: EntityType,
  diff: AuditDiff,
): AuditDiff {
  const shown: AuditDiff = [];
  for (const entry of diff) {
    if (!registry.field(entity, entry.field)) continue;
    const policy = policies.of(entity, entry.field);
    if (policy.level === 'hidden') continue;
    if (policy.level !== 'masked' || policy.mask === entry.mask) {
      shown.push({ ...entry });
      continue;
    }
    // Masking an already masked value can only hide more, so any reader mask is safe here.
    shown.push({
      ...entry,
      before: applyMask(policy.mask!, entry.before),
      after: applyMask(policy.mask!, entry.after),
      mask: policy.mask!,
    });
  }
  return shown;
}
