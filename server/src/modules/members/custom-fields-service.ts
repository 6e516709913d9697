import { UniqueConstraintError, type Sequelize } from 'sequelize';
import { withTransaction } from '../../platform/db/transaction.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { Principal } from '../../platform/http/route.js';
import type { AuditService } from '../audit/service.js';
import type { FieldRegistry } from '../access/field-policy/index.js';
import { fieldGuardFor } from '../access/guards.js';
import type { CustomFieldStore } from './custom-field-store.js';
import type { CustomIndex } from './custom-index.js';
import { assertNoFieldErrors, checkDefinitionChange, CUSTOM_FIELD_TYPES, FIELD_TYPES, type CustomFieldDefinition } from './form/index.js';
import type { MemberModels } from './models.js';

/** The definition as stored: everything but the key (a column) and `retired` (a column). */
function stored(definition: CustomFieldDefinition): string {
  const { key: _key, retired: _retired, ...rest } = definition;
  return JSON.stringify(rest);
}

const AUDITED = ['label', 'type', 'required', 'unique', 'defaultValue', 'rules', 'options', 'helpText', 'group', 'order', 'onRegistration', 'searchable'] as const;

function changes(before: CustomFieldDefinition | null, after: CustomFieldDefinition) {
  return AUDITED.filter((k) => JSON.stringify(before?.[k] ?? null) !== JSON.stringify(after[k] ?? null)).map((k) => ({
    field: k,
    before: before?.[k] ?? null,
    after: after[k] ?? null,
  }));
}

/**
 * The admin's side of the form engine (表单设计): define, change, retire, restore and order
 * custom member fields. Every change is audited in its transaction; switching search or
 * uniqueness on rebuilds the field's index rows in the same transaction, so a unique
 * field whose members already share a value is refused as a whole.
 */
export class CustomFieldService {
  constructor(
    private readonly deps: {
      sequelize: Sequelize;
      models: MemberModels;
      store: CustomFieldStore;
      index: CustomIndex;
      registry: FieldRegistry;
      audit: AuditService;
    },
  ) {}

  /** What the member form shows this caller: built-in and custom fields with their levels, and the field types. */
  async describe(principal: Principal) {
    const definitions = await this.deps.store.all();
    const guard = fieldGuardFor(this.deps.registry, principal, 'member');
    const builtin = this.deps.registry
      .fields('member')
      .filter((field) => !field.custom)
      .flatMap((field) => {
        const policy = guard.policy(field.key);
        if (policy.level === 'hidden') return [];
        return [{ key: field.key, label: field.label, sensitivity: field.sensitivity, level: policy.level, mask: policy.mask, creatable: policy.level === 'edit' || policy.creatable }];
      });
    const custom = definitions.flatMap((definition) => {
      const policy = guard.policy(`custom.${definition.key}`);
      if (policy.level === 'hidden') return [];
      return [{ ...definition, retired: definition.retired ?? false, level: policy.level, creatable: policy.level === 'edit' || policy.creatable }];
    });
    const types = CUSTOM_FIELD_TYPES.map((type) => ({ type, ...FIELD_TYPES[type], rules: [...FIELD_TYPES[type].rules] }));
    return { builtin, custom, types };
  }

  async create(definition: CustomFieldDefinition): Promise<CustomFieldDefinition> {
    if (await this.deps.models.MemberField.findOne({ where: { fieldKey: definition.key } })) {
      throw new AppError('MEMBER_FIELD_KEY_TAKEN', { params: { key: definition.key } });
    }
    try {
      await withTransaction(this.deps.sequelize, async (transaction) => {
        await this.deps.models.MemberField.create({ fieldKey: definition.key, definition: stored(definition), retired: false }, { transaction });
        await this.deps.audit.record({
          action: 'member_field.create',
          entityType: 'member_field',
          entityId: definition.key,
          summary: `新增会员自定义字段 ${definition.label.zh}（${definition.key}）`,
          diff: changes(null, definition),
        });
      });
    } catch (error) {
      if (error instanceof UniqueConstraintError) throw new AppError('MEMBER_FIELD_KEY_TAKEN', { params: { key: definition.key } });
      throw error;
    }
    await this.deps.store.refresh(true);
    return { ...definition, retired: false };
  }

  async update(key: string, next: CustomFieldDefinition): Promise<CustomFieldDefinition> {
    const previous = await this.require(key);
    const change = checkDefinitionChange(previous, { ...next, retired: previous.retired });
    assertNoFieldErrors(change.problems);
    const definition = { ...next, key, retired: previous.retired ?? false };
    const reindex = previous.searchable !== definition.searchable || previous.unique !== definition.unique;
    await this.write(definition, reindex, {
      action: 'member_field.update',
      summary: `修改会员自定义字段 ${definition.label.zh}（${key}）`,
      diff: changes(previous, definition),
    });
    return definition;
  }

  async setRetired(key: string, retired: boolean): Promise<CustomFieldDefinition> {
    const previous = await this.require(key);
    if ((previous.retired ?? false) === retired) return previous;
    const definition = { ...previous, retired };
    await this.write(definition, true, {
      action: retired ? 'member_field.retire' : 'member_field.restore',
      summary: `${retired ? '停用' : '启用'}会员自定义字段 ${definition.label.zh}（${key}），已有数据保留`,
      diff: [{ field: 'retired', before: !retired, after: retired }],
    });
    return definition;
  }

  async reorder(items: Array<{ key: string; group: string | null; order: number }>): Promise<void> {
    const definitions = await this.deps.store.all();
    const unknown = items.filter((item) => !definitions.some((d) => d.key === item.key));
    if (unknown.length > 0) throw new AppError('MEMBER_FIELD_NOT_FOUND', { params: { key: unknown.map((i) => i.key).join(', ') } });
    await withTransaction(this.deps.sequelize, async (transaction) => {
      for (const item of items) {
        const definition = { ...definitions.find((d) => d.key === item.key)!, group: item.group, order: item.order };
        await this.deps.models.MemberField.update({ definition: stored(definition) }, { where: { fieldKey: item.key }, transaction });
      }
      await this.deps.audit.record({
        action: 'member_field.reorder',
        entityType: 'member_field',
        summary: `调整会员表单字段顺序（${items.length} 个字段）`,
        diff: items,
      });
    });
    await this.deps.store.refresh(true);
  }

  private async require(key: string): Promise<CustomFieldDefinition> {
    await this.deps.store.refresh(true);
    const definition = await this.deps.store.get(key);
    if (!definition) throw new AppError('MEMBER_FIELD_NOT_FOUND', { params: { key } });
    return definition;
  }

  private async write(definition: CustomFieldDefinition, reindex: boolean, audit: { action: string; summary: string; diff: unknown }) {
    try {
      await withTransaction(this.deps.sequelize, async (transaction) => {
        await this.deps.models.MemberField.update(
          { definition: stored(definition), retired: definition.retired ?? false },
          { where: { fieldKey: definition.key }, transaction },
        );
        if (reindex) await this.deps.index.rebuildField(definition, transaction);
        await this.deps.audit.record({ ...audit, entityType: 'member_field', entityId: definition.key });
      });
    } catch (error) {
      if (error instanceof UniqueConstraintError) throw new AppError('MEMBER_FIELD_VALUES_NOT_UNIQUE', { params: { field: definition.label.zh } });
      throw error;
    }
    await this.deps.store.refresh(true);
  }
}
