import type { FullValueFormat } from './formats.js';
import type { MaskKind } from './masks.js';

/**
 * Which entity types have which fields, and what each field is: its label, how sensitive
 * it is, how it is masked and how it may be queried. The guard is an allow-list over this
 * registry, so a column nobody registered is never shown, written, filtered or audited.
 *
 * One registry per app context (never a module-level singleton): built-in field sets are
 * defined at start-up, custom fields come and go at runtime as admins define and retire
 * them, and `revision` moves on every change so callers can drop anything they cached.
 */

/** How much harm a leak does, which decides default policies and masking in audit diffs. */
export const SENSITIVITIES = ['normal', 'contact', 'personal', 'financial'] as const;
export type Sensitivity = (typeof SENSITIVITIES)[number];

/** 'member', 'order', 'ledger', 'staff', ...: open, so a new domain registers its own. */
export type EntityType = 'member' | 'order' | 'ledger' | (string & {});

export interface FieldDefinition {
  /** `phone`, or `custom.<name>` for a custom field (stored in the record's `custom` object). */
  readonly key: string;
  readonly label: { readonly zh: string; readonly en: string };
  readonly sensitivity: Sensitivity;
  /** The default mask; null means the field cannot be masked, so 'masked' degrades to 'hidden'. */
  readonly mask: MaskKind | null;
  readonly filterable: boolean;
  readonly sortable: boolean;
  readonly searchable: boolean;
  /** Set when a masked reader may still match the field by an exact, complete value of this format. */
  readonly exactMatchWhenMasked: FullValueFormat | null;
  readonly custom: boolean;
}

/** What a module writes to register a field; omitted capabilities are off (fail closed). */
export interface FieldInput {
  key: string;
  label: { zh: string; en: string };
  sensitivity?: Sensitivity;
  mask?: MaskKind | null;
  filterable?: boolean;
  sortable?: boolean;
  searchable?: boolean;
  exactMatchWhenMasked?: FullValueFormat | null;
}

export const CUSTOM_PREFIX = 'custom.';
const BUILTIN_KEY = /^[a-z][A-Za-z0-9]{0,63}$/;
const CUSTOM_KEY = /^custom\.[a-z][a-z0-9_]{0,63}$/;
/** Keys the guard treats itself: `id` is always visible, `custom` holds the custom fields. */
const RESERVED_KEYS = new Set(['id', 'custom']);
/** Entity names never contain a dot: policy keys read `<entity>.<field key>`. */
const ENTITY_NAME = /^[a-z][a-z0-9_]{0,63}$/;

/** `skin_type` -> `custom.skin_type`. */
export function customFieldKey(name: string): string {
  return `${CUSTOM_PREFIX}${name}`;
}

export function isCustomKey(key: string): boolean {
  return key.startsWith(CUSTOM_PREFIX);
}

function definition(input: FieldInput, custom: boolean): FieldDefinition {
  return Object.freeze({
    key: input.key,
    label: Object.freeze({ zh: input.label.zh, en: input.label.en }),
    sensitivity: input.sensitivity ?? 'normal',
    mask: input.mask ?? null,
    filterable: input.filterable ?? false,
    sortable: input.sortable ?? false,
    searchable: input.searchable ?? false,
    exactMatchWhenMasked: input.exactMatchWhenMasked ?? null,
    custom,
  });
}

export class FieldRegistry {
  private readonly byEntity = new Map<EntityType, Map<string, FieldDefinition>>();
  private changes = 0;

  /** Moves on with every definition or retirement. */
  get revision(): number {
    return this.changes;
  }

  /** Registers an entity's built-in fields; a key registered twice is a programming error. */
  define(entity: EntityType, inputs: readonly FieldInput[]): this {
    const fields = this.entityFields(entity);
    for (const input of inputs) {
      if (!BUILTIN_KEY.test(input.key) || RESERVED_KEYS.has(input.key)) {
        throw new Error(`Field key ${entity}.${input.key} is not a valid built-in field key`);
      }
      if (fields.has(input.key)) throw new Error(`Field ${entity}.${input.key} is already registered`);
      fields.set(input.key, definition(input, false));
    }
    this.changes += 1;
    return this;
  }

  /**
   * Adds a custom field, or replaces its definition when an admin edits it. The key must
   * be `custom.<name>` with name in lower snake case.
   */
  defineCustomField(entity: EntityType, input: FieldInput): FieldDefinition {
    if (!CUSTOM_KEY.test(input.key)) throw new Error(`Custom field key ${input.key} must look like custom.skin_type`);
    const field = definition(input, true);
    this.entityFields(entity).set(input.key, field);
    this.changes += 1;
    return field;
  }

  /** Removes a custom field: from now on it is never shown, written, queried or audited. */
  retireCustomField(entity: EntityType, key: string): boolean {
    const fields = this.byEntity.get(entity);
    const field = fields?.get(key);
    if (!field) return false;
    if (!field.custom) throw new Error(`Field ${entity}.${key} is built in and cannot be retired`);
    fields!.delete(key);
    this.changes += 1;
    return true;
  }

  field(entity: EntityType, key: string): FieldDefinition | undefined {
    return this.byEntity.get(entity)?.get(key);
  }

  /** An entity's fields in registration order (built-in sets are defined at start-up, so they come first). */
  fields(entity: EntityType): FieldDefinition[] {
    return [...(this.byEntity.get(entity)?.values() ?? [])];
  }

  entities(): EntityType[] {
    return [...this.byEntity.keys()];
  }

  private entityFields(entity: EntityType): Map<string, FieldDefinition> {
    let fields = this.byEntity.get(entity);
    if (!fields) {
      if (!ENTITY_NAME.test(entity)) throw new Error(`Entity type ${entity} must be lower snake case`);
      fields = new Map();
      this.byEntity.set(entity, fields);
    }
    return fields;
  }
}

export function createFieldRegistry(): FieldRegistry {
  return new FieldRegistry();
}
