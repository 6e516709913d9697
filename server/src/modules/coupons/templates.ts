import { Op, type Sequelize, type Transaction, type WhereOptions } from 'sequelize';
import { withTransaction } from '../../platform/db/transaction.js';
import { uniqueConflictOn } from '../../platform/db/unique-conflict.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { Principal } from '../../platform/http/route.js';
import { invalidFields } from '../../platform/http/validation.js';
import { changedFields } from '../audit/changes.js';
import type { AuditService } from '../audit/service.js';
import type { StoreService } from '../stores/service.js';
import type { CouponModels, TemplateKind, TemplateRecord, TemplateStatus } from './models.js';
import { KIND_LABELS, ruleText } from './rule-text.js';
import type { TemplateInput, TemplatePatch } from './schemas.js';
import { STATUS_LABELS, assertTransition, assertUnlocked, assertValidTemplate, type TemplateDraft } from './template-checks.js';
import { businessDay, endOfDay, startOfDay } from './validity.js';
import { templateView, type TemplateView } from './views.js';

export interface TemplateDeps {
  sequelize: Sequelize;
  models: CouponModels;
  stores: StoreService;
  audit: AuditService;
  businessTimezone: string;
}

export interface TemplateListQuery {
  status?: TemplateStatus;
  kind?: TemplateKind;
  keyword?: string;
  limit: number;
  cursor?: string;
}

/** The template columns an audit diff shows (all of them are rules or settings, none personal). */
const AUDITED = [
  'name', 'kind', 'amountOff', 'threshold', 'discountRate', 'maxOff', 'itemSku', 'itemName', 'punchUses', 'validityType', 'validFrom', 'validUntil',
  'validDays', 'delayDays', 'stock', 'perMemberLimit', 'perDayLimit', 'storeIds', 'channels', 'categories', 'skus', 'stackGroup', 'maxPerOrder',
  'withTierDiscount', 'withPoints', 'claimCode', 'claimPerMember', 'status', 'description',
] as const;
type Audited = (typeof AUDITED)[number];

/**
 * Coupon templates (券模板): the rules coupons are issued under. A template starts as a
 * draft or active; once coupons are out its rules are fixed (CHANGEABLE_WHEN_LOCKED) and
 * it ends rather than being deleted, since coupons and redemptions name it.
 */
export class TemplateService {
  constructor(private readonly deps: TemplateDeps) {}

  async list(query: TemplateListQuery): Promise<{ items: TemplateView[]; nextCursor: string | null }> {
    const and: WhereOptions[] = [];
    if (query.status) and.push({ status: query.status });
    if (query.kind) and.push({ kind: query.kind });
    if (query.keyword) {
      const like = `%${query.keyword.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      and.push({ [Op.or]: [{ name: { [Op.like]: like } }, { claimCode: query.keyword.toLowerCase() }] });
    }
    if (query.cursor) and.push({ id: { [Op.lt]: Number(query.cursor) } });
    const rows = await this.deps.models.CouponTemplate.findAll({ where: { [Op.and]: and }, order: [['id', 'DESC']], limit: query.limit + 1 });
    const page = rows.slice(0, query.limit);
    return { items: page.map((row) => this.view(row)), nextCursor: rows.length > query.limit ? String(page.at(-1)!.id) : null };
  }

  async get(id: number): Promise<TemplateView> {
    return this.view(await this.find(id));
  }

  /** The template row; issuing and the claim page read it through here. */
  async find(id: number, transaction?: Transaction): Promise<TemplateRecord> {
    const template = await this.deps.models.CouponTemplate.findByPk(id, { transaction });
    if (!template) throw new AppError('COUPON_TEMPLATE_NOT_FOUND', { params: { id } });
    return template;
  }

  async create(principal: Principal, input: TemplateInput): Promise<TemplateView> {
    const values = this.rowValues(input);
    const draft = { ...EMPTY_DRAFT, ...values } as TemplateDraft;
    assertValidTemplate(draft, 0);
    await this.assertStores(principal, input.storeIds ?? []);
    if (input.status === 'active') this.assertNotOver(input.name, draft);
    try {
      return await withTransaction(this.deps.sequelize, async (transaction) => {
        const template = await this.deps.models.CouponTemplate.create(
          { ...values, name: input.name, kind: input.kind, validityType: input.validityType, status: input.status, createdBy: principal.kind === 'user' ? principal.userId : null },
          { transaction },
        );
        await this.deps.audit.record({
          action: 'coupon.template.create',
          entityType: 'coupon_template',
          entityId: template.id,
          summary: `新建${KIND_LABELS[template.kind].zh}模板「${template.name}」（${ruleText(template).zh}，${STATUS_LABELS[template.status as TemplateStatus].zh}）`,
          diff: changedFields<Record<Audited, unknown>>(null, this.audited(template), [...AUDITED]),
        });
        return this.view(template);
      });
    } catch (error) {
      throw this.claimConflict(error, input.claimCode);
    }
  }

  async update(principal: Principal, id: number, patch: TemplatePatch): Promise<TemplateView> {
    if (patch.storeIds) await this.assertStores(principal, patch.storeIds);
    try {
      return await withTransaction(this.deps.sequelize, async (transaction) => {
        const template = await this.deps.models.CouponTemplate.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE });
        if (!template) throw new AppError('COUPON_TEMPLATE_NOT_FOUND', { params: { id } });
        const before = this.audited(template);
        const from = template.status;
        template.set(this.rowValues(patch));
        const diff = changedFields<Record<Audited, unknown>>(before, this.audited(template), [...AUDITED]);
        assertUnlocked(String(before.name), template.issuedCount, diff.map((d) => d.field));
        assertTransition(String(before.name), from as TemplateStatus, template.status as TemplateStatus);
        assertValidTemplate(this.draftOf(template), template.issuedCount);
        if (template.status === 'active' && from !== 'active') this.assertNotOver(template.name, this.draftOf(template));
        await template.save({ transaction });
        if (diff.length > 0) {
          const moved = template.status !== before.status ? `（${STATUS_LABELS[before.status as TemplateStatus].zh} → ${STATUS_LABELS[template.status as TemplateStatus].zh}）` : '';
          await this.deps.audit.record({
            action: 'coupon.template.update',
            entityType: 'coupon_template',
            entityId: template.id,
            summary: `修改券模板「${template.name}」${moved}：${diff.map((d) => d.field).join('、')}`,
            diff,
          });
        }
        return this.view(template);
      });
    } catch (error) {
      throw this.claimConflict(error, patch.claimCode);
    }
  }

  view(template: TemplateRecord): TemplateView {
    return templateView(template, this.deps.businessTimezone);
  }

  /** Body fields as row values: fixed dates become the start of the first and the end of the last business day. */
  private rowValues(input: Partial<TemplateInput> | TemplatePatch): Partial<TemplateRecord> {
    const tz = this.deps.businessTimezone;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(input)) {
      if (value === undefined) continue;
      if (key === 'validFrom') out[key] = value === null ? null : startOfDay(value as string, tz);
      else if (key === 'validUntil') out[key] = value === null ? null : endOfDay(value as string, tz);
      else out[key] = value;
    }
    return out as Partial<TemplateRecord>;
  }

  private draftOf(template: TemplateRecord): TemplateDraft {
    const draft = { ...EMPTY_DRAFT };
    for (const key of Object.keys(EMPTY_DRAFT) as Array<keyof TemplateDraft>) (draft as Record<string, unknown>)[key] = template[key];
    return draft;
  }

  private audited(template: TemplateRecord): Record<Audited, unknown> {
    const tz = this.deps.businessTimezone;
    const out = {} as Record<Audited, unknown>;
    for (const key of AUDITED) {
      const value = template.get(key);
      out[key] = value instanceof Date ? businessDay(value, tz) : value;
    }
    return out;
  }

  /** Activating a fixed template whose last day has passed would issue coupons nobody can use. */
  private assertNotOver(name: string, draft: TemplateDraft): void {
    if (draft.validityType === 'fixed' && draft.validUntil && draft.validUntil.getTime() < Date.now()) {
      throw new AppError('COUPON_TEMPLATE_EXPIRED', { params: { name, until: businessDay(draft.validUntil, this.deps.businessTimezone) } });
    }
  }

  /** Stores are read before any transaction: on MySQL a second pooled connection inside one could wait on it. */
  private async assertStores(principal: Principal, storeIds: readonly number[]): Promise<void> {
    for (const [index, storeId] of storeIds.entries()) {
      try {
        await this.deps.stores.get(principal, storeId);
      } catch (error) {
        if (error instanceof AppError && error.code === 'STORE_NOT_FOUND') {
          throw invalidFields([{ path: `storeIds.${index}`, code: 'not_found', zh: `门店 ${storeId} 不存在`, en: `Store ${storeId} does not exist` }]);
        }
        throw error;
      }
    }
  }

  private claimConflict(error: unknown, claimCode: string | null | undefined): unknown {
    if (claimCode && uniqueConflictOn(error, 'claim_code')) return new AppError('COUPON_CLAIM_CODE_TAKEN', { params: { code: claimCode }, details: { field: 'claimCode' } });
    return error;
  }
}

const EMPTY_DRAFT: TemplateDraft = {
  name: '',
  kind: 'voucher',
  amountOff: null,
  threshold: null,
  discountRate: null,
  maxOff: null,
  itemSku: null,
  itemName: null,
  punchUses: null,
  validityType: 'relative',
  validFrom: null,
  validUntil: null,
  validDays: null,
  delayDays: 0,
  stock: null,
};
