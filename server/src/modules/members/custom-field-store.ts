import { QueryTypes, type Sequelize } from 'sequelize';
import type { FieldInput, FieldRegistry } from '../access/field-policy/index.js';
import type { CustomFieldDefinition } from './form/index.js';
import type { MemberModels } from './models.js';

/**
 * The custom field definitions every request validates against, cached in memory and
 * registered with the field registry (so field policies, masks and filters cover them).
 * Another node may change a definition at any time, so the cache is checked against the
 * table (row count and newest change) at most once per `ttlMs`; a change made on this
 * node refreshes it at once. Retired fields stay registered: their values are still
 * shown, read-only, and the form engine refuses writes to them.
 */
export class CustomFieldStore {
  private definitions: CustomFieldDefinition[] = [];
  private signature = '';
  private checkedAt = 0;

  constructor(
    private readonly sequelize: Sequelize,
    private readonly models: MemberModels,
    private readonly registry: FieldRegistry,
    private readonly ttlMs = 1000,
  ) {}

  async all(): Promise<CustomFieldDefinition[]> {
    await this.refresh();
    return this.definitions;
  }

  async get(key: string): Promise<CustomFieldDefinition | undefined> {
    return (await this.all()).find((definition) => definition.key === key);
  }

  async refresh(force = false): Promise<void> {
    if (!force && Date.now() - this.checkedAt < this.ttlMs) return;
    this.checkedAt = Date.now();
    const [row] = await this.sequelize.query<{ n: number; latest: string | Date | null }>(
      'SELECT COUNT(*) AS n, MAX(updated_at) AS latest FROM member_fields',
      { type: QueryTypes.SELECT },
    );
    const signature = `${row.n}:${row.latest instanceof Date ? row.latest.toISOString() : String(row.latest)}`;
    if (signature === this.signature) return;
    const rows = await this.models.MemberField.findAll({ order: [['id', 'ASC']] });
    this.definitions = rows
      .map((r) => ({ ...(JSON.parse(r.definition) as CustomFieldDefinition), key: r.fieldKey, retired: r.retired }))
      .sort((a, b) => a.order - b.order || a.key.localeCompare(b.key));
    for (const definition of this.definitions) this.registry.defineCustomField('member', registryInput(definition));
    this.signature = signature;
  }
}

/** How the field guard sees a custom field: phone and e-mail fields are contact data, masked alike. */
export function registryInput(definition: CustomFieldDefinition): FieldInput {
  const contact = definition.type === 'phone' || definition.type === 'email';
  const filterable = definition.searchable && !definition.retired;
  return {
    key: `custom.${definition.key}`,
    label: definition.label,
    sensitivity: contact ? 'contact' : 'normal',
    mask: definition.type === 'phone' ? 'phone' : definition.type === 'email' ? 'email' : 'full',
    filterable,
    exactMatchWhenMasked: filterable && contact ? (definition.type === 'phone' ? 'phone' : 'email') : null,
  };
}
