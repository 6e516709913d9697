import type { PlainRecord } from '../access/field-policy/record-shape.js';
import type { CustomFieldStore } from './custom-field-store.js';
import { assertNoFieldErrors, validateCustomValues, type CustomFieldDefinition, type FormOperation } from './form/index.js';

/**
 * A member payload's custom values checked against the admin's current definitions, with
 * the same 422 shape as the request schema's own errors. On update, only the keys sent
 * are checked, and `previous` lets a member keep a retired option they already hold.
 */
export class CustomValues {
  constructor(private readonly store: CustomFieldStore) {}

  definitions(): Promise<CustomFieldDefinition[]> {
    return this.store.all();
  }

  async check(values: PlainRecord | undefined, operation: FormOperation, previous?: PlainRecord): Promise<PlainRecord> {
    const { values: checked, errors } = validateCustomValues(await this.store.all(), values, { operation, previous });
    assertNoFieldErrors(errors);
    return checked;
  }

  /** Custom values that point at other records (member_ref, staff_ref), by type, for the existence checks. */
  async references(values: PlainRecord): Promise<Array<{ key: string; type: 'member_ref' | 'staff_ref'; id: number }>> {
    const definitions = await this.store.all();
    return definitions.flatMap((definition) => {
      const value = values[definition.key];
      if ((definition.type === 'member_ref' || definition.type === 'staff_ref') && typeof value === 'number') {
        return [{ key: definition.key, type: definition.type, id: value }];
      }
      return [];
    });
  }
}
