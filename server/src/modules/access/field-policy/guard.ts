import { auditDiff, projectAuditDiff, type AuditDiff, type DiffHashKey } from './audit-diff.js';
import { fieldQueryForbidden, fieldQueryUnsupported, fieldsNotEditable, type QueryAction } from './field-errors.js';
import type { FieldLevel } from './levels.js';
import { applyMask, type MaskKind } from './masks.js';
import { filterVerdict, searchVerdict, sortVerdict, type FieldFilter, type QueryVerdict } from './query-rules.js';
import { flatten, isPlainObject, toPlain, type PlainRecord } from './record-shape.js';
import { CUSTOM_PREFIX, type EntityType, type FieldDefinition, type FieldRegistry, type Sensitivity } from './registry.js';
import type { EffectiveFieldPolicy, EffectivePolicies } from './resolve.js';

/**
 * The one place field policies are enforced for one entity type and one user. Every
 * serializer, list, export, query and audit diff of that entity goes through it:
 *
 * - project / projectMany / exportRow: an allow-list; unregistered keys are dropped
 *   (fail closed), hidden fields are dropped, masked fields are masked;
 * - assertWritable: a payload naming any field the user may not write is refused as a
 *   whole with a 403 naming every such field, never trimmed silently;
 * - assertFilterable / assertSortable / assertSearchable: see query-rules.ts;
 * - diff / projectDiff: the masked audit diff, and its view for a reader.
 *
 * A guard holds no request state besides the policies it was built with: build one per
 * request from the principal's roles (cheap), never share one across users.
 */
export interface FieldGuardOptions {
  /** Keys shown to everyone who may see the record at all, untouched; default `['id']`. */
  alwaysVisible?: readonly string[];
}

export interface VisibleField {
  key: string;
  label: { zh: string; en: string };
  sensitivity: Sensitivity;
  level: Exclude<FieldLevel, 'hidden'>;
  mask: MaskKind | null;
}

/** Marks a field that must not appear in the output at all. */
const OMIT = Symbol('omit');

export class FieldGuard {
  private readonly alwaysVisible: ReadonlySet<string>;

  constructor(
    readonly registry: FieldRegistry,
    readonly policies: EffectivePolicies,
    readonly entity: EntityType,
    options: FieldGuardOptions = {},
  ) {
    this.alwaysVisible = new Set(options.alwaysVisible ?? ['id']);
  }

  policy(fieldKey: string): EffectiveFieldPolicy {
    return this.policies.of(this.entity, fieldKey);
  }

  /** The fields this user can see, in registry order: column headers for lists and exports. */
  visibleFields(): VisibleField[] {
    return this.registry.fields(this.entity).flatMap((field) => {
      const { level, mask } = this.policy(field.key);
      if (level === 'hidden') return [];
      return [{ key: field.key, label: { ...field.label }, sensitivity: field.sensitivity, level, mask }];
    });
  }

  /** A new object with only what this user may see; custom fields stay nested under `custom`. */
  project(record: unknown): PlainRecord {
    const out: PlainRecord = {};
    for (const [key, value] of Object.entries(toPlain(record))) {
      if (this.alwaysVisible.has(key)) {
        out[key] = value;
      } else if (key === 'custom') {
        if (!isPlainObject(value)) continue;
        const custom: PlainRecord = {};
        for (const [name, inner] of Object.entries(value)) {
          const shown = this.show(`${CUSTOM_PREFIX}${name}`, inner);
          if (shown !== OMIT) custom[name] = shown;
        }
        out.custom = custom;
      } else {
        const shown = this.show(key, value);
        if (shown !== OMIT) out[key] = shown;
      }
    }
    return out;
  }

  projectMany(records: readonly unknown[]): PlainRecord[] {
    return records.map((record) => this.project(record));
  }

  /** One row of an xlsx/csv export: exactly what project shows, by the same code. */
  exportRow(record: unknown): PlainRecord {
    return this.project(record);
  }

  /**
   * Refuses a payload naming any field this user may not write. On 'create', fields the
   * roles list in `createFields` are writable too. Keys whose value is undefined write
   * nothing and are ignored; every other key counts, including unregistered ones and
   * `id` (take the id from the path, not the body).
   */
  assertWritable(payload: unknown, options: { operation?: 'create' | 'update' } = {}): void {
    const creating = options.operation === 'create';
    const refused: string[] = [];
    for (const [key, value] of flatten(toPlain(payload))) {
      if (value === undefined) continue;
      const policy = this.policy(key);
      if (policy.level !== 'edit' && !(creating && policy.creatable)) refused.push(key);
    }
    if (refused.length > 0) throw fieldsNotEditable(refused);
  }

  assertFilterable(filters: readonly FieldFilter[]): void {
    this.refuse(
      'filter',
      filters.map((filter) => [filter.field, filterVerdict(this.field(filter.field), this.policy(filter.field), filter)]),
    );
  }

  assertSortable(fields: readonly string[]): void {
    this.refuse(
      'sort',
      fields.map((key) => [key, sortVerdict(this.field(key), this.policy(key))]),
    );
  }

  assertSearchable(fields: readonly string[]): void {
    this.refuse(
      'search',
      fields.map((key) => [key, searchVerdict(this.field(key), this.policy(key))]),
    );
  }

  /** The audit diff to store: the same for every author, sensitive values masked and hashed. */
  diff(before: unknown, after: unknown, hashKey: DiffHashKey): AuditDiff {
    return auditDiff(this.registry, this.entity, before, after, hashKey);
  }

  /** A stored audit diff as this user may read it. */
  projectDiff(diff: AuditDiff): AuditDiff {
    return projectAuditDiff(this.registry, this.policies, this.entity, diff);
  }

  private field(key: string): FieldDefinition | undefined {
    return this.registry.field(this.entity, key);
  }

  private show(key: string, value: unknown): unknown {
    const { level, mask } = this.policy(key);
    if (level === 'hidden') return OMIT;
    return level === 'masked' ? applyMask(mask!, value) : value;
  }

  /** Permission refusals (403) are reported before design limits (400). */
  private refuse(action: QueryAction, verdicts: [string, QueryVerdict][]): void {
    const forbidden = verdicts.filter(([, verdict]) => verdict === 'forbidden').map(([key]) => key);
    if (forbidden.length > 0) throw fieldQueryForbidden(action, forbidden);
    const unsupported = verdicts.filter(([, verdict]) => verdict === 'unsupported').map(([key]) => key);
    if (unsupported.length > 0) throw fieldQueryUnsupported(action, unsupported);
  }
}

export function createFieldGuard(
  registry: FieldRegistry,
  policies: EffectivePolicies,
  entity: EntityType,
  options?: FieldGuardOptions,
): FieldGuard {
  return new FieldGuard(registry, policies, entity, options);
}
