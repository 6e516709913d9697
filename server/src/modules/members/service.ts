import { Op, type Sequelize, type Transaction, type WhereOptions } from 'sequelize';
import { withTransaction } from '../../platform/db/transaction.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { Principal } from '../../platform/http/route.js';
import { invalidFields, type FieldError } from '../../platform/http/validation.js';
import { uniqueConflictOn } from '../../platform/db/unique-conflict.js';
import { formatCardNumber } from '../../platform/ids/card-number.js';
import { nextInSequence } from '../../platform/ids/sequence.js';
import { startOfBusinessDay, startOfNextBusinessDay } from '../../platform/time/business-day.js';
import type { AuditService } from '../audit/service.js';
import { createFieldGuard, resolveFieldPolicies, type AuditDiff, type FieldGuard, type FieldRegistry } from '../access/field-policy/index.js';
import type { PlainRecord } from '../access/field-policy/record-shape.js';
import { fieldGuardFor } from '../access/guards.js';
import { contactChanges, type MemberContact } from './contact.js';
import { compileMemberQuery, encodeCursor, memberScopeWhere, type MemberListQuery } from './list-query.js';
import { memberColumns, memberView, newMemberRow, showMember, type ShownMember } from './member-view.js';
import type { MemberModels, MemberRecord, MemberStatus } from './models.js';
import type { CustomIndex } from './custom-index.js';
import type { CustomValues } from './custom-values.js';
import { assertNoFieldErrors, fieldSearchValue } from './form/index.js';
import type { MemberReferences } from './references.js';
import { SensitiveReads } from './sensitive-reads.js';

export interface MemberServiceDeps {
  sequelize: Sequelize;
  models: MemberModels;
  audit: AuditService;
  registry: FieldRegistry;
  contact: MemberContact;
  references: MemberReferences;
  custom: CustomValues;
  index: CustomIndex;
  /** Keys the audit diffs' hashes of masked values. */
  diffKey: Buffer;
  cardPrefix: string;
  businessTimezone: string;
}

export type MemberListInput = Omit<MemberListQuery, 'registeredFrom' | 'registeredTo' | 'custom'> & {
  registeredFrom?: string;
  registeredTo?: string;
  [custom: `custom.${string}`]: string;
};

export type MemberInput = PlainRecord & { phone?: string; homeStoreId?: number; cardNo?: string; custom?: PlainRecord };

export const CARD_SEQUENCE = 'member.card';

/** Custom values are stored only when they hold something; a cleared value is absent. */
function withoutEmpty(values: PlainRecord): PlainRecord {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== null && value !== undefined));
}

/** The sections of the 360 view other modules fill. */
export interface OverviewSections {
  recentOrders: unknown[];
  coupons: unknown[];
  tags: unknown[];
  /** The member's tier and its explanation; null without the tiers permission. */
  tier: unknown;
  tierHistory: unknown[];
}

/** Turns a tier filter into its condition (the tiers module knows which members sit at the base level). */
export type TierCondition = (tierId: number) => Promise<WhereOptions>;
/** A member as other records show it (an order's member): card number, name and status through the reader's guard. */
export function summaryOf(guard: FieldGuard, member: Pick<MemberRecord, 'id' | 'cardNo' | 'name' | 'status'>): PlainRecord {
  return guard.project({ id: member.id, cardNo: member.cardNo, name: member.name, status: member.status });
}

export type OverviewPart = (principal: Principal, memberId: number) => Promise<Partial<OverviewSections>>;

export class MemberService {
  private readonly reads: SensitiveReads;
  private readonly overviewParts: OverviewPart[] = [];
  private tierCondition: TierCondition | null = null;

  constructor(private readonly deps: MemberServiceDeps) {
    this.reads = new SensitiveReads(deps.audit);
  }

  /** The caller's guard over members, once the custom fields other nodes may have changed are known. */
  async guard(principal: Principal): Promise<FieldGuard> {
    await this.deps.custom.definitions();
    return fieldGuardFor(this.deps.registry, principal, 'member');
  }

  async list(principal: Principal, query: MemberListInput) {
    const guard = await this.guard(principal);
    const compiled = await this.compile(principal, guard, query);
    const rows = await this.deps.models.Member.findAll({ ...compiled, limit: query.limit + 1 });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    const items = page.map((row) => showMember(guard, row, this.deps.contact));
    await this.reads.record(guard, page, 'list');
    return {
      items,
      nextCursor: rows.length > query.limit && last ? encodeCursor(query.sort, query.order, last.get(query.sort), last.id) : null,
    };
  }

  /** How many members a list query matches, for an export's plan; the guard has checked the query. */
  async count(principal: Principal, query: MemberListInput): Promise<number> {
    const guard = await this.guard(principal);
    const { where } = await this.compile(principal, guard, { ...query, cursor: undefined });
    return this.deps.models.Member.count({ where });
  }

  /** Every member a list query matches, in its order, page by page, as the caller may see them. */
  async *scan(principal: Principal, query: MemberListInput, pageSize = 1000): AsyncGenerator<ShownMember> {
    const guard = await this.guard(principal);
    let cursor: string | undefined;
    for (;;) {
      const compiled = await this.compile(principal, guard, { ...query, cursor });
      const rows = await this.deps.models.Member.findAll({ ...compiled, limit: pageSize });
      for (const row of rows) yield showMember(guard, row, this.deps.contact);
      if (rows.length < pageSize) return;
      const last = rows.at(-1)!;
      cursor = encodeCursor(query.sort, query.order, last.get(query.sort), last.id);
    }
  }

  /**
   * Ids and statuses of every member a list query matches, a page at a time, compiled as
   * the list compiles it (scope, field guard): for work done to each member (a coupon
   * batch) where nothing of them is shown.
   */
  async *matchingIds(principal: Principal, query: MemberListInput, pageSize = 1000): AsyncGenerator<Array<{ id: number; status: MemberStatus }>> {
    const guard = await this.guard(principal);
    const { where } = await this.compile(principal, guard, { ...query, cursor: undefined });
    // Paged by id, not the list's sort: members imported together share one registration
    // time, and a keyset on a run of equal values rescans the run on every page.
    let after = 0;
    for (;;) {
      const rows = await this.deps.models.Member.findAll({ where: { [Op.and]: [where, { id: { [Op.gt]: after } }] }, attributes: ['id', 'status'], order: [['id', 'ASC']], limit: pageSize });
      if (rows.length > 0) yield rows.map((row) => ({ id: row.id, status: row.status }));
      if (rows.length < pageSize) return;
      after = rows.at(-1)!.id;
    }
  }

  /**
   * Members named by id, whole phone number (blind index) or card number, for bulk work on
   * a list someone supplied. Each found row says whether it is within the caller's reach;
   * looking up by phone or card number needs the field guard's consent, as a search does.
   */
  async findForBulk(principal: Principal, refs: { ids?: readonly number[]; phones?: readonly string[]; cardNos?: readonly string[] }) {
    const guard = await this.guard(principal);
    // Each number is one exact lookup, as a cashier typing it whole would make.
    guard.assertFilterable((refs.phones ?? []).map((value) => ({ field: 'phone', op: 'eq', value })));
    guard.assertFilterable((refs.cardNos ?? []).map((value) => ({ field: 'cardNo', op: 'eq', value })));
    const phoneIndexes = (refs.phones ?? []).map((phone) => this.deps.contact.phoneIndex(phone));
    const or: WhereOptions[] = [];
    if (refs.ids?.length) or.push({ id: [...refs.ids] });
    if (phoneIndexes.length > 0) or.push({ phoneBidx: phoneIndexes });
    if (refs.cardNos?.length) or.push({ cardNo: [...refs.cardNos] });
    if (or.length === 0) return [];
    const rows = await this.deps.models.Member.findAll({ where: { [Op.or]: or }, attributes: ['id', 'status', 'cardNo', 'phoneBidx'] });
    const reachable = new Set(
      rows.length === 0
        ? []
        : (await this.deps.models.Member.findAll({ where: { [Op.and]: [{ id: rows.map((row) => row.id) }, ...memberScopeWhere(principal)] }, attributes: ['id'] })).map((row) => row.id),
    );
    return rows.map((row) => ({ id: row.id, status: row.status, cardNo: row.cardNo, phoneBidx: row.phoneBidx, inScope: reachable.has(row.id) }));
  }

  /** The blind index a phone number is looked up by (to match `findForBulk` rows to the numbers asked). */
  phoneIndex(phone: string): string {
    return this.deps.contact.phoneIndex(phone);
  }

  private async compile(principal: Principal, guard: FieldGuard, query: MemberListInput) {
    const timezone = this.deps.businessTimezone;
    return compileMemberQuery(
      {
        ...query,
        registeredFrom: query.registeredFrom ? startOfBusinessDay(query.registeredFrom, timezone) : undefined,
        registeredTo: query.registeredTo ? startOfNextBusinessDay(query.registeredTo, timezone) : undefined,
        custom: await this.customFilters(guard, query),
        tierWhere: query.tierId !== undefined && this.tierCondition ? await this.tierCondition(query.tierId) : undefined,
      },
      principal,
      guard,
      this.deps.contact,
      this.deps.sequelize,
    );
  }

  async get(principal: Principal, id: number): Promise<ShownMember> {
    const guard = await this.guard(principal);
    const member = await this.findInScope(principal, id);
    await this.reads.record(guard, [member], 'detail');
    return showMember(guard, member, this.deps.contact);
  }

  /** The POS lookup: one member by the whole phone number or card number, within the caller's stores. */
  async lookup(principal: Principal, query: { phone?: string; cardNo?: string }): Promise<ShownMember> {
    const guard = await this.guard(principal);
    const where = query.phone !== undefined ? { phoneBidx: this.deps.contact.phoneIndex(query.phone) } : { cardNo: query.cardNo! };
    guard.assertFilterable([query.phone !== undefined ? { field: 'phone', op: 'eq', value: query.phone } : { field: 'cardNo', op: 'eq', value: query.cardNo }]);
    const member = await this.deps.models.Member.findOne({
      where: { [Op.and]: [...memberScopeWhere(principal), where, { status: { [Op.ne]: 'erased' } }] },
    });
    if (!member) throw new AppError('MEMBER_NOT_FOUND_BY_LOOKUP');
    await this.reads.record(guard, [member], 'lookup');
    return showMember(guard, member, this.deps.contact);
  }

  async create(principal: Principal, input: MemberInput): Promise<ShownMember> {
    const guard = await this.guard(principal);
    // Unknown custom keys are a 422 like any other bad input; known ones the caller may not write, a 403.
    const custom = withoutEmpty(await this.deps.custom.check(input.custom, 'create'));
    guard.assertWritable(input, { operation: 'create' });
    const homeStoreId = input.homeStoreId ?? this.defaultStore(principal);
    await this.deps.references.check(principal, { ...input, homeStoreId }, custom);
    const definitions = await this.deps.custom.definitions();
    try {
      const member = await withTransaction(this.deps.sequelize, async (transaction) => {
        const cardNo = input.cardNo ?? formatCardNumber(this.deps.cardPrefix, await nextInSequence(this.deps.sequelize, CARD_SEQUENCE));
        const row = await this.deps.models.Member.create(newMemberRow(input, custom, this.deps.contact, { cardNo, homeStoreId, registeredAt: new Date() }) as never, { transaction });
        await this.deps.index.write(row.id, custom, definitions, transaction);
        await this.recordChange('member.create', row, null, memberView(row, this.deps.contact), `新建会员 ${cardNo}`);
        return row;
      });
      return showMember(guard, member, this.deps.contact);
    } catch (error) {
      throw await this.conflict(principal, error, input, null, custom);
    }
  }

  async update(principal: Principal, id: number, patch: MemberInput): Promise<ShownMember> {
    const guard = await this.guard(principal);
    // Custom values and references are checked before the transaction opens: their reads
    // go through other services, and a second pooled connection inside a transaction can
    // starve the pool under load. The row is read again, locked, inside.
    const current = await this.findInScope(principal, id);
    const previous = JSON.parse(current.custom ?? '{}') as PlainRecord;
    const custom = patch.custom === undefined ? undefined : await this.deps.custom.check(patch.custom, 'update', previous);
    guard.assertWritable(patch, { operation: 'update' });
    await this.deps.references.check(principal, patch, custom ?? {}, id);
    const definitions = await this.deps.custom.definitions();
    let merged: PlainRecord = {};
    try {
      const member = await withTransaction(this.deps.sequelize, async (transaction) => {
        const row = await this.lockInScope(principal, id, transaction);
        const before = memberView(row, this.deps.contact);
        merged = withoutEmpty({ ...(before.custom as PlainRecord), ...custom });
        row.set({
          ...(memberColumns(patch) as object),
          ...this.deps.contact.seal(contactChanges(patch, before)),
          ...(custom !== undefined ? { custom: JSON.stringify(merged) } : {}),
        } as never);
        if (row.changed() === false) return row;
        await row.save({ transaction });
        if (custom !== undefined) await this.deps.index.write(row.id, merged, definitions, transaction);
        await this.recordChange('member.update', row, before, memberView(row, this.deps.contact), `修改会员 ${row.cardNo}`);
        return row;
      });
      return showMember(guard, member, this.deps.contact);
    } catch (error) {
      throw await this.conflict(principal, error, patch, id, merged);
    }
  }

  async freeze(principal: Principal, id: number, reason: string): Promise<ShownMember> {
    return this.setStatus(principal, id, 'frozen', reason);
  }

  async unfreeze(principal: Principal, id: number, reason?: string): Promise<ShownMember> {
    return this.setStatus(principal, id, 'normal', reason);
  }

  /**
   * Unmasked values of fields the caller sees masked, for a stated reason, written to the
   * audit log in the same transaction as the read. A field the caller may not see at all
   * stays hidden: reveal lifts a mask, never a hiding.
   */
  async reveal(principal: Principal, id: number, fields: string[], reason: string) {
    const guard = await this.guard(principal);
    const unknown = fields.filter((key) => !this.deps.registry.field('member', key));
    if (unknown.length > 0) throw new AppError('FIELD_NOT_REVEALABLE', { params: { fields: unknown.join(', ') }, details: { fields: unknown } });
    const hidden = fields.filter((key) => guard.policy(key).level === 'hidden');
    if (hidden.length > 0) throw new AppError('FIELD_NOT_REVEALABLE', { params: { fields: hidden.join(', ') }, details: { fields: hidden } });
    return withTransaction(this.deps.sequelize, async (transaction) => {
      const member = await this.findInScope(principal, id, transaction);
      const view = memberView(member, this.deps.contact);
      const values: PlainRecord = {};
      for (const key of fields) {
        values[key] = key.startsWith('custom.') ? (view.custom as PlainRecord)[key.slice(7)] ?? null : (view[key] ?? null);
      }
      const labels = fields.map((key) => this.deps.registry.field('member', key)!.label.zh).join('、');
      await this.deps.audit.record({
        action: 'member.reveal',
        entityType: 'member',
        entityId: member.id,
        storeId: member.homeStoreId,
        summary: `查看会员 ${member.cardNo ?? member.id} 的明文：${labels}；原因：${reason}`,
        diff: { fields, reason },
      });
      return { id: member.id, values };
    });
  }

  /**
   * `custom.<key>=<value>` query parameters as filters: the guard decides whether the
   * caller may filter by the field (unknown or unsearchable fields are a 400, hidden ones
   * a 403), the form engine normalizes the value as the field stores it.
   */
  private async customFilters(guard: FieldGuard, query: PlainRecord) {
    const definitions = await this.deps.custom.definitions();
    const filters: NonNullable<MemberListQuery['custom']> = [];
    const errors: FieldError[] = [];
    for (const [name, raw] of Object.entries(query)) {
      if (!name.startsWith('custom.')) continue;
      const key = name.slice('custom.'.length);
      guard.assertFilterable([{ field: name, op: 'eq', value: raw }]);
      const definition = definitions.find((d) => d.key === key)!;
      // A query string carries text: a switch's true/false arrive as words.
      const value = definition.type === 'switch' && (raw === 'true' || raw === 'false') ? raw === 'true' : raw;
      const found = fieldSearchValue(definition, value);
      if (found.value === null) errors.push(...found.errors);
      else filters.push({ key, type: definition.type, value: found.value });
    }
    assertNoFieldErrors(errors, 'query');
    return filters;
  }

  /**
   * Lets a module that depends on members add its part of the 360 view (orders add the
   * recent orders) without members depending on it. A part answers only what the caller
   * may read, or nothing.
   */
  addOverviewPart(part: OverviewPart): void {
    this.overviewParts.push(part);
  }

  /** The tiers module says how a tier filter reads (members never placed sit at the base level). */
  useTierCondition(condition: TierCondition): void {
    this.tierCondition = condition;
  }

  /**
   * The member 360 view: profile and balances through the caller's field guard, and the
   * member's audit trail with each diff projected the same way. Other modules add their
   * sections (recent orders now; coupons, tags, tier history later) through addOverviewPart.
   */
  async overview(principal: Principal, id: number) {
    const guard = await this.guard(principal);
    const member = await this.findInScope(principal, id);
    await this.reads.record(guard, [member], 'detail');
    const records = await this.deps.audit.list({ entityType: 'member', entityId: String(id), limit: 50 });
    const parts = Object.assign({}, ...(await Promise.all(this.overviewParts.map((part) => part(principal, member.id))))) as Partial<OverviewSections>;
    return {
      member: showMember(guard, member, this.deps.contact),
      recentOrders: parts.recentOrders ?? [],
      coupons: parts.coupons ?? [],
      tags: parts.tags ?? [],
      tier: parts.tier ?? null,
      tierHistory: parts.tierHistory ?? [],
      activity: records.map((record) => {
        const diff = record.diff ? (JSON.parse(record.diff) as unknown) : null;
        return {
          id: Number(record.id),
          occurredAt: record.occurredAt.toISOString(),
          action: record.action,
          actorName: record.actorName,
          summary: record.summary,
          diff: Array.isArray(diff) ? guard.projectDiff(diff as AuditDiff) : diff,
        };
      }),
    };
  }

  /**
   * Card number and name of members other records point at (an order's member), through
   * the caller's field guard; a member outside the caller's reach shows only its id.
   */
  async summaries(principal: Principal, ids: readonly number[]): Promise<Map<number, PlainRecord>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const guard = await this.guard(principal);
    const rows = await this.deps.models.Member.findAll({
      where: { [Op.and]: [{ id: unique }, ...memberScopeWhere(principal)] },
      attributes: ['id', 'cardNo', 'name', 'status'],
    });
    const shown = new Map<number, PlainRecord>(unique.map((id) => [id, { id }]));
    for (const row of rows) shown.set(row.id, summaryOf(guard, row));
    return shown;
  }

  /** A member within the caller's reach; another store's member reads exactly like a missing one. */
  async findInScope(principal: Principal, id: number, transaction?: Transaction): Promise<MemberRecord> {
    const member = await this.deps.models.Member.findOne({ where: { [Op.and]: [{ id }, ...memberScopeWhere(principal)] }, transaction });
    if (!member) throw new AppError('MEMBER_NOT_FOUND', { params: { id } });
    return member;
  }

  /**
   * The member row locked for a balance change (points, stored value, an order): within
   * the caller's reach, not erased. Everything that moves a balance locks this row first,
   * so two cashiers charging one card take turns and the cached balances stay true.
   */
  async lockForBalance(principal: Principal, id: number, transaction: Transaction): Promise<MemberRecord> {
    return this.lockInScope(principal, id, transaction);
  }

  /**
   * The member row locked to reverse something the caller may already reach (a refund of
   * an order in the caller's store): no member scope, since the member may have moved
   * stores since, and erased members too, whose ledgers stay.
   */
  async lockForReversal(id: number, transaction: Transaction): Promise<MemberRecord> {
    const member = await this.deps.models.Member.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE });
    if (!member) throw new AppError('MEMBER_NOT_FOUND', { params: { id } });
    return member;
  }

  /**
   * Many member rows locked at once, in id order (so two bulk writers never deadlock), for
   * bulk work on members the caller already resolved within its reach (a coupon batch
   * counting each member's coupons against a limit, as a single issue does under its lock).
   */
  async lockForBulk(ids: readonly number[], transaction: Transaction): Promise<void> {
    if (ids.length === 0) return;
    await this.deps.models.Member.findAll({ where: { id: [...ids] }, attributes: ['id'], order: [['id', 'ASC']], transaction, lock: transaction.LOCK.UPDATE });
  }

  private async lockInScope(principal: Principal, id: number, transaction: Transaction): Promise<MemberRecord> {
    const member = await this.deps.models.Member.findOne({
      where: { [Op.and]: [{ id }, ...memberScopeWhere(principal)] },
      transaction,
      lock: transaction.LOCK.UPDATE,
    });
    if (!member) throw new AppError('MEMBER_NOT_FOUND', { params: { id } });
    if (member.status === 'erased') throw new AppError('MEMBER_ERASED', { params: { id } });
    return member;
  }

  private async setStatus(principal: Principal, id: number, status: 'normal' | 'frozen', reason?: string): Promise<ShownMember> {
    const guard = await this.guard(principal);
    const member = await withTransaction(this.deps.sequelize, async (transaction) => {
      const row = await this.lockInScope(principal, id, transaction);
      if (row.status === status) throw new AppError(status === 'frozen' ? 'MEMBER_ALREADY_FROZEN' : 'MEMBER_NOT_FROZEN', { params: { id } });
      const before = memberView(row, this.deps.contact);
      await row.update(status === 'frozen' ? { status, frozenReason: reason!, frozenAt: new Date() } : { status, frozenReason: null, frozenAt: null }, { transaction });
      const verb = status === 'frozen' ? '冻结' : '解冻';
      await this.recordChange(status === 'frozen' ? 'member.freeze' : 'member.unfreeze', row, before, memberView(row, this.deps.contact), `${verb}会员 ${row.cardNo}${reason ? `；原因：${reason}` : ''}`);
      return row;
    });
    return showMember(guard, member, this.deps.contact);
  }

  /** The audit record of a change: the diff in the audit view (sensitive values masked and hashed). */
  private async recordChange(action: string, member: MemberRecord, before: PlainRecord | null, after: PlainRecord, summary: string) {
    const diff = this.auditGuard().diff(before, after, this.deps.diffKey);
    await this.deps.audit.record({ action, entityType: 'member', entityId: member.id, storeId: member.homeStoreId, summary, diff });
  }

  /** The audit view does not depend on who writes; any guard of the registry computes it. */
  private auditGuard(): FieldGuard {
    return createFieldGuard(this.deps.registry, resolveFieldPolicies(this.deps.registry, []), 'member');
  }

  private defaultStore(principal: Principal): number {
    if (principal.storeScope !== null && principal.storeScope.length === 1) return principal.storeScope[0];
    throw invalidFields([{ path: 'homeStoreId', code: 'required', zh: '请选择会员所属门店', en: 'Choose the member\'s home store' }]);
  }

  /**
   * A unique index refused the write. A duplicate phone answers with the existing
   * member's card number when the caller may reach that member (the counter can then
   * find the customer at once), else without it: no other store's data leaks.
   */
  private async conflict(principal: Principal, error: unknown, input: MemberInput, memberId: number | null, custom: PlainRecord): Promise<unknown> {
    if (uniqueConflictOn(error, 'unique_key', 'member_custom_values')) {
      const field = await this.deps.index.takenField(memberId, custom, await this.deps.custom.definitions());
      return new AppError('MEMBER_CUSTOM_VALUE_TAKEN', { params: { field: field?.label.zh ?? '' }, details: { field: field ? `custom.${field.key}` : null } });
    }
    if (uniqueConflictOn(error, 'phone_bidx') && input.phone) {
      const existing = await this.deps.models.Member.findOne({
        where: { [Op.and]: [{ phoneBidx: this.deps.contact.phoneIndex(input.phone) }, ...memberScopeWhere(principal)] },
      });
      return existing
        ? new AppError('MEMBER_PHONE_TAKEN', { params: { cardNo: existing.cardNo ?? '' }, details: { field: 'phone', cardNo: existing.cardNo, memberId: existing.id } })
        : new AppError('MEMBER_PHONE_TAKEN_ELSEWHERE', { details: { field: 'phone' } });
    }
    if (uniqueConflictOn(error, 'card_no')) return new AppError('MEMBER_CARD_TAKEN', { params: { cardNo: String(input.cardNo ?? '') }, details: { field: 'cardNo' } });
    return error;
  }
}
