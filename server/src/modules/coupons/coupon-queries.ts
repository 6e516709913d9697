import { Op, literal, type Sequelize, type WhereOptions } from 'sequelize';
import { AppError } from '../../platform/errors/app-error.js';
import type { Principal } from '../../platform/http/route.js';
import type { PlainRecord } from '../access/field-policy/record-shape.js';
import { memberScopeSubquery } from '../members/list-query.js';
import type { MemberService } from '../members/service.js';
import { isWellFormedCode, normalizeCode } from './codes.js';
import type { CouponModels, CouponRecord, CouponStatus, TemplateRecord } from './models.js';
import type { CouponSearch, RedemptionSearch } from './schemas.js';
import { endOfDay, startOfDay } from './validity.js';
import { couponView, eventView, type CouponView } from './views.js';

export interface CouponQueryDeps {
  sequelize: Sequelize;
  models: CouponModels;
  members: MemberService;
  businessTimezone: string;
  /** Order numbers by id, from the orders module (built after this one, hence a function). */
  orderNumbers: (ids: readonly number[]) => Promise<Map<number, string>>;
}

/** Available coupons first, soonest to expire on top: the order a cashier offers them in. */
const STATUS_ORDER = "CASE status WHEN 'available' THEN 0 ELSE 1 END";

/**
 * Reading coupons: search, one coupon with its history, a member's coupons and the
 * redemption log. Every path is limited to what the caller may reach: coupons of members
 * within the caller's stores (by the member's home store, as members are scoped),
 * redemptions of the caller's stores; members show through the caller's field guard.
 */
export class CouponQueries {
  constructor(private readonly deps: CouponQueryDeps) {}

  async search(principal: Principal, query: CouponSearch): Promise<{ items: CouponView[]; nextCursor: string | null }> {
    const and: WhereOptions[] = [...this.memberScope(principal)];
    if (query.code !== undefined) {
      const code = normalizeCode(query.code);
      // A mistyped code cannot match: answered without a read.
      if (!isWellFormedCode(code)) return { items: [], nextCursor: null };
      and.push({ code });
    }
    if (query.memberId) and.push({ memberId: query.memberId });
    if (query.templateId) and.push({ templateId: query.templateId });
    if (query.status) and.push({ status: query.status });
    if (query.cursor) and.push({ id: { [Op.lt]: Number(query.cursor) } });
    const rows = await this.deps.models.Coupon.findAll({ where: { [Op.and]: and }, order: [['id', 'DESC']], limit: query.limit + 1 });
    const page = rows.slice(0, query.limit);
    return { items: await this.views(principal, page), nextCursor: rows.length > query.limit ? String(page.at(-1)!.id) : null };
  }

  async detail(principal: Principal, id: number) {
    const coupon = await this.findInScope(principal, id);
    const events = await this.deps.models.CouponEvent.findAll({ where: { couponId: coupon.id }, order: [['id', 'ASC']] });
    const [view] = await this.views(principal, [coupon]);
    return { ...view, events: events.map(eventView) };
  }

  /** A coupon whose member the caller may reach; any other reads exactly like a missing one. */
  async findInScope(principal: Principal, id: number): Promise<CouponRecord> {
    const coupon = await this.deps.models.Coupon.findOne({ where: { [Op.and]: [{ id }, ...this.memberScope(principal)] } });
    if (!coupon) throw new AppError('COUPON_RECORD_NOT_FOUND', { params: { id } });
    return coupon;
  }

  /** A member's coupons: available ones first by expiry, then the rest newest first; `storeId` keeps those usable there. */
  async ofMember(principal: Principal, memberId: number, query: { status?: CouponStatus; storeId?: number; limit: number }): Promise<{ items: CouponView[] }> {
    await this.deps.members.findInScope(principal, memberId);
    const rows = await this.deps.models.Coupon.findAll({
      where: { memberId, ...(query.status ? { status: query.status } : {}) },
      order: [[literal(STATUS_ORDER), 'ASC'], ['validUntil', 'ASC'], ['id', 'DESC']],
      limit: query.storeId === undefined ? query.limit : undefined,
    });
    const templates = await this.templatesOf(rows);
    const usable = query.storeId === undefined ? rows : rows.filter((row) => storeAllows(templates.get(row.templateId)!, query.storeId!));
    return { items: await this.views(principal, usable.slice(0, query.limit), templates) };
  }

  /** How many coupons a member can use now, for the 360 view. */
  async availableCount(memberId: number, now = new Date()): Promise<number> {
    return this.deps.models.Coupon.count({ where: { memberId, status: 'available', validUntil: { [Op.gte]: now } } });
  }

  async redemptions(principal: Principal, query: RedemptionSearch) {
    const { models, sequelize } = this.deps;
    const and: WhereOptions[] = [];
    if (principal.storeScope !== null) and.push({ storeId: principal.storeScope });
    if (query.storeId) and.push({ storeId: query.storeId });
    if (query.couponId) and.push({ couponId: query.couponId });
    if (query.orderId) and.push({ orderId: query.orderId });
    if (query.templateId) and.push({ couponId: { [Op.in]: literal(`(SELECT id FROM coupons WHERE template_id = ${sequelize.escape(query.templateId)})`) } });
    if (query.from) and.push({ createdAt: { [Op.gte]: startOfDay(query.from, this.deps.businessTimezone) } });
    if (query.to) and.push({ createdAt: { [Op.lte]: endOfDay(query.to, this.deps.businessTimezone) } });
    if (query.cursor) and.push({ id: { [Op.lt]: Number(query.cursor) } });
    const rows = await models.CouponRedemption.findAll({ where: { [Op.and]: and }, order: [['id', 'DESC']], limit: query.limit + 1 });
    const page = rows.slice(0, query.limit);
    const coupons = new Map((await models.Coupon.findAll({ where: { id: [...new Set(page.map((r) => r.couponId))] } })).map((c) => [c.id, c]));
    const templates = await this.templatesOf([...coupons.values()]);
    const members = await this.deps.members.summaries(principal, page.map((r) => r.memberId));
    const orderNos = await this.deps.orderNumbers([...new Set(page.map((r) => r.orderId))]);
    const items = page.map((row) => {
      const coupon = coupons.get(row.couponId)!;
      const template = templates.get(coupon.templateId)!;
      return {
        id: row.id,
        couponId: row.couponId,
        code: coupon.code,
        templateId: template.id,
        templateName: template.name,
        orderId: row.orderId,
        orderNo: orderNos.get(row.orderId) ?? null,
        memberId: row.memberId,
        member: (members.get(row.memberId) ?? null) as ({ id: number } & PlainRecord) | null,
        storeId: row.storeId,
        lineNo: row.lineNo,
        uses: row.uses,
        amount: row.amount,
        status: row.status,
        returnedRefundId: row.returnedRefundId ?? null,
        createdAt: row.createdAt,
        returnedAt: row.returnedAt ?? null,
      };
    });
    return { items, nextCursor: rows.length > query.limit ? String(page.at(-1)!.id) : null };
  }

  /** Coupon views with their templates and members (one read each, through the caller's guard). */
  async views(principal: Principal, coupons: readonly CouponRecord[], known?: Map<number, TemplateRecord>): Promise<CouponView[]> {
    const templates = known ?? (await this.templatesOf(coupons));
    const members = await this.deps.members.summaries(principal, coupons.map((c) => c.memberId));
    return coupons.map((coupon) => couponView(coupon, templates.get(coupon.templateId)!, members.get(coupon.memberId) ?? null));
  }

  private async templatesOf(coupons: readonly CouponRecord[]): Promise<Map<number, TemplateRecord>> {
    const ids = [...new Set(coupons.map((c) => c.templateId))];
    if (ids.length === 0) return new Map();
    return new Map((await this.deps.models.CouponTemplate.findAll({ where: { id: ids } })).map((t) => [t.id, t]));
  }

  /**
   * Coupons of members the caller may reach: the members module's scope (home store, own
   * members only) as a subquery, so a page of coupons never loads members it may not see.
   */
  private memberScope(principal: Principal): WhereOptions[] {
    const scoped = memberScopeSubquery(principal);
    return scoped === null ? [] : [{ memberId: { [Op.in]: literal(scoped) } }];
  }
}

function storeAllows(template: Pick<TemplateRecord, 'storeIds'>, storeId: number): boolean {
  return template.storeIds.length === 0 || template.storeIds.includes(storeId);
}
