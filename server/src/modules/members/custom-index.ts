import { Op, type Transaction } from 'sequelize';
import type { CustomFieldDefinition, CustomValue } from './form/index.js';
import type { MemberModels } from './models.js';

/**
 * The rows of `member_custom_values` (see its migration): values of searchable and unique
 * custom fields, one per value, rewritten whenever a member's custom values change.
 */
export function indexed(definition: CustomFieldDefinition): boolean {
  return !definition.retired && (definition.searchable || definition.unique);
}

/** How a value is matched: numbers and switches as text, a multi-select as one row per option. */
export function indexValues(value: CustomValue | null | undefined): string[] {
  if (value === null || value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => String(v)).filter((v) => v.length > 0 && v.length <= 255);
}

export class CustomIndex {
  constructor(private readonly models: MemberModels) {}

  async write(memberId: number, custom: Record<string, unknown>, definitions: readonly CustomFieldDefinition[], transaction: Transaction): Promise<void> {
    await this.models.MemberCustomValue.destroy({ where: { memberId }, transaction });
    const rows = definitions.filter(indexed).flatMap((definition) =>
      indexValues(custom[definition.key] as CustomValue | null).map((value) => ({
        memberId,
        fieldKey: definition.key,
        value,
        uniqueKey: definition.unique ? definition.key : null,
      })),
    );
    if (rows.length > 0) await this.models.MemberCustomValue.bulkCreate(rows, { transaction });
  }

  async clear(memberId: number, transaction: Transaction): Promise<void> {
    await this.models.MemberCustomValue.destroy({ where: { memberId }, transaction });
  }

  /**
   * Rebuilds one field's rows from the members' stored values, in pages. Throws the unique
   * index's error when a unique field already holds a value twice: the caller rolls back.
   */
  async rebuildField(definition: CustomFieldDefinition, transaction: Transaction): Promise<number> {
    await this.models.MemberCustomValue.destroy({ where: { fieldKey: definition.key }, transaction });
    if (!indexed(definition)) return 0;
    let after = 0;
    let written = 0;
    for (;;) {
      const members = await this.models.Member.findAll({
        where: { id: { [Op.gt]: after }, custom: { [Op.ne]: null } },
        attributes: ['id', 'custom'],
        order: [['id', 'ASC']],
        limit: 1000,
        transaction,
      });
      if (members.length === 0) return written;
      const rows = members.flatMap((member) =>
        indexValues((JSON.parse(member.custom!) as Record<string, CustomValue | null>)[definition.key]).map((value) => ({
          memberId: member.id,
          fieldKey: definition.key,
          value,
          uniqueKey: definition.unique ? definition.key : null,
        })),
      );
      if (rows.length > 0) await this.models.MemberCustomValue.bulkCreate(rows, { transaction });
      written += rows.length;
      after = members.at(-1)!.id;
    }
  }

  /** Which unique field of `custom` another member already holds, after a unique index refused a write. */
  async takenField(memberId: number | null, custom: Record<string, unknown>, definitions: readonly CustomFieldDefinition[]): Promise<CustomFieldDefinition | null> {
    for (const definition of definitions.filter((d) => d.unique && !d.retired)) {
      for (const value of indexValues(custom[definition.key] as CustomValue | null)) {
        const holder = await this.models.MemberCustomValue.findOne({ where: { uniqueKey: definition.key, value } });
        if (holder && Number(holder.memberId) !== memberId) return definition;
      }
    }
    return null;
  }
}
