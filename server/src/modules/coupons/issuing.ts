import type { Sequelize, Transaction } from 'sequelize';
import { execute, insertRows, selectRows, type SqlValue } from '../../platform/db/raw-sql.js';
import { uniqueConflictOn } from '../../platform/db/unique-conflict.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { Idempotency } from '../../platform/http/idempotency.js';
import type { Principal } from '../../platform/http/route.js';
import type { AuditActor, AuditService } from '../audit/service.js';
import type { DomainEvents } from '../events/outbox.js';
import type { MemberRecord } from '../members/models.js';
import type { MemberService } from '../members/service.js';
import type { StoreService } from '../stores/service.js';
import { generateCodes } from './codes.js';
import type { CouponModels, CouponRecord, CouponSource, TemplateRecord } from './models.js';
import { STATUS_LABELS } from './template-checks.js';
import type { TemplateService } from './templates.js';
import { businessDay, couponWindow } from './validity.js';
import { couponView, type CouponView } from './views.js';

export interface IssuingDeps {
  sequelize: Sequelize;
  models: CouponModels;
  templates: TemplateService;
  members: MemberService;
  stores: StoreService;
  idempotency: Idempotency;
  events: DomainEvents;
  audit: AuditService;
  businessTimezone: string;
}

export interface IssueOptions {
  count: number;
  source: CouponSource;
  /**
   * What the coupons are for (a top-up id, "birthday:2027", a batch id). A second issue with
   * the same template, member, source and sourceRef returns the first one's coupons and
   * writes nothing, so a retried job or hook never issues twice. Null: no such guard.
   */
  sourceRef?: string | null;
  operatorId: number | null;
  /** The issuing store (a top-up's, the member's home store). */
  storeId: number | null;
  reason?: string | null;
  /** The audit actor when there is no signed-in caller (a job, the claim page). */
  actor?: AuditActor;
  now?: Date;
}

export interface IssueInput {
  memberId: number;
  count: number;
  reason?: string | null;
  storeId?: number;
}

/** The coupons that count against a per-member limit: every status but voided (a voided coupon was taken back). */
export const HELD_STATUSES = ['available', 'used', 'expired'] as const;

/** Who gets a new coupon, its code, where it comes from, and who issued it where. */
export interface NewCoupon {
  memberId: number;
  code: string;
  source: CouponSource;
  sourceRef: string | null;
  sourceSeq: number;
  issuedBy: number | null;
  storeId: number | null;
}

/** A new coupon's row in `coupons`: available, with the template's uses (a punch card's count, else one) and the window. */
export function couponRow(template: TemplateRecord, window: { validFrom: Date; validUntil: Date }, coupon: NewCoupon, now: Date): Record<string, SqlValue> {
  const uses = template.kind === 'punch' ? (template.punchUses ?? 1) : 1;
  return {
    template_id: template.id,
    member_id: coupon.memberId,
    code: coupon.code,
    status: 'available',
    uses_total: uses,
    uses_left: uses,
    valid_from: window.validFrom,
    valid_until: window.validUntil,
    source: coupon.source,
    source_ref: coupon.sourceRef,
    source_seq: coupon.sourceSeq,
    issued_by: coupon.issuedBy,
    store_id: coupon.storeId,
    void_reason: null,
    created_at: now,
    updated_at: now,
  };
}

const SOURCE_LABELS: Record<CouponSource, string> = {
  manual: '手动发券',
  batch: '批量发券',
  topup: '充值赠券',
  claim: '自助领券',
  tier: '等级权益',
  automation: '自动化营销',
};

/**
 * Issuing coupons (发券). Limits hold under any concurrency without table locks:
 * - per member: the member row is locked (by the caller, as every balance change does)
 *   before the member's coupons are counted;
 * - stock: one guarded UPDATE of the template's issued_count, which also refuses a
 *   template that stopped being active meanwhile;
 * - per day: a guarded increment of the day's row in coupon_daily_counts.
 * Lock order is member, then template, then the day's count, in every path; batch issues
 * must keep it too or two of them can deadlock.
 */
export class IssuingService {
  constructor(private readonly deps: IssuingDeps) {}

  /** Issues coupons of a template to one member within the caller's reach (console and API). */
  async issue(principal: Principal, templateId: number, input: IssueInput, idempotencyKey: string | undefined): Promise<{ value: { items: CouponView[] }; replayed: boolean }> {
    const { deps } = this;
    // Everything read before the transaction: on MySQL a second pooled connection inside it could wait on it.
    const template = await deps.templates.find(templateId);
    const found = await deps.members.findInScope(principal, input.memberId);
    const storeId = input.storeId ?? found.homeStoreId;
    if (input.storeId !== undefined) await deps.stores.get(principal, input.storeId);
    const summary = (await deps.members.summaries(principal, [found.id])).get(found.id) ?? null;
    const call = { principal, key: idempotencyKey, endpoint: 'POST /api/v1/coupon-templates/:id/issue', request: { templateId, ...input } };
    return deps.idempotency.run(call, async (transaction) => {
      const member = await deps.members.lockForBalance(principal, input.memberId, transaction);
      const coupons = await this.issueInTransaction(
        template,
        member,
        { count: input.count, source: 'manual', operatorId: principal.kind === 'user' ? principal.userId : null, storeId, reason: input.reason ?? null },
        transaction,
      );
      return { items: coupons.map((coupon) => couponView(coupon, template, summary)) };
    });
  }

  /**
   * Issues `count` coupons in the caller's transaction, which must hold the member row's
   * lock (MemberService.lockForBalance or lockForReversal). Throws an AppError and writes
   * nothing when a rule refuses: the template is not active or past its dates, the member
   * is frozen, or a limit is reached. Top-up plans, tier benefits and batch issues call it.
   */
  async issueInTransaction(template: TemplateRecord, member: MemberRecord, options: IssueOptions, transaction: Transaction): Promise<CouponRecord[]> {
    const { models } = this.deps;
    const now = options.now ?? new Date();
    const sourceRef = options.sourceRef ?? null;
    if (sourceRef !== null) {
      // A locking read sees what another transaction committed under this member's lock.
      const earlier = await models.Coupon.findAll({
        where: { templateId: template.id, memberId: member.id, source: options.source, sourceRef },
        order: [['sourceSeq', 'ASC']],
        transaction,
        lock: transaction.LOCK.UPDATE,
      });
      if (earlier.length > 0) return earlier;
    }
    if (member.status === 'frozen') throw new AppError('MEMBER_FROZEN', { params: { id: member.id } });
    if (member.status === 'erased') throw new AppError('MEMBER_NOT_FOUND', { params: { id: member.id } });
    if (template.status !== 'active') throw this.notActive(template);
    const window = couponWindow(template, now, this.deps.businessTimezone);
    if (window.validUntil < now) {
      throw new AppError('COUPON_TEMPLATE_EXPIRED', { params: { name: template.name, until: businessDay(window.validUntil, this.deps.businessTimezone) } });
    }
    await this.assertMemberLimits(template, member.id, options, transaction);
    await this.reserveStock(template, options.count, transaction);
    await this.countToday(template, options.count, now, transaction);
    const coupons = await this.insertCoupons(template, member, options, window, now, transaction);
    await this.record(template, member, coupons, options, now, transaction);
    return coupons;
  }

  private async assertMemberLimits(template: TemplateRecord, memberId: number, options: IssueOptions, transaction: Transaction): Promise<void> {
    // Every status but voided counts: a voided coupon was taken back.
    const limits: Array<{ limit: number; claimsOnly: boolean }> = [];
    if (template.perMemberLimit !== null) limits.push({ limit: template.perMemberLimit, claimsOnly: false });
    if (options.source === 'claim' && template.claimPerMember !== null) limits.push({ limit: template.claimPerMember, claimsOnly: true });
    // A locking read: on MySQL a plain one would read the transaction's snapshot, which may
    // predate the member lock and miss coupons another issue committed while this one waited.
    const lock = this.deps.sequelize.getDialect() === 'mysql' ? ' FOR UPDATE' : '';
    for (const { limit, claimsOnly } of limits) {
      const [row] = await selectRows<{ n: number | string }>(
        this.deps.sequelize,
        `SELECT COUNT(*) AS n FROM coupons WHERE template_id = $1 AND member_id = $2 AND status IN (${HELD_STATUSES.map((status) => `'${status}'`).join(',')})${claimsOnly ? " AND source = 'claim'" : ''}${lock}`,
        [template.id, memberId],
        transaction,
      );
      const held = Number(row.n);
      if (held + options.count > limit) throw new AppError('COUPON_MEMBER_LIMIT', { params: { name: template.name, limit, held }, details: { limit, held } });
    }
  }

  /** The guarded increment; it also locks the template row until commit, so issues of one template queue here. */
  private async reserveStock(template: TemplateRecord, count: number, transaction: Transaction): Promise<void> {
    const taken = await execute(
      this.deps.sequelize,
      "UPDATE coupon_templates SET issued_count = issued_count + $1 WHERE id = $2 AND status = 'active' AND (stock IS NULL OR issued_count + $1 <= stock)",
      [count, template.id],
      transaction,
    );
    if (taken === 1) return;
    const fresh = await this.deps.models.CouponTemplate.findByPk(template.id, { transaction, lock: transaction.LOCK.UPDATE });
    if (!fresh || fresh.status !== 'active') throw this.notActive(fresh ?? template);
    const left = Math.max((fresh.stock ?? 0) - fresh.issuedCount, 0);
    throw new AppError('COUPON_OUT_OF_STOCK', { params: { name: fresh.name, left, count }, details: { left } });
  }

  /**
   * Counts the business day's issues and holds them to the per-day limit. Counted even
   * without a limit, so a limit set later in the day starts from the true number.
   */
  private async countToday(template: TemplateRecord, count: number, now: Date, transaction: Transaction): Promise<void> {
    const { sequelize } = this.deps;
    const day = businessDay(now, this.deps.businessTimezone);
    const ignore = sequelize.getDialect() === 'mysql' ? 'INSERT IGNORE' : 'INSERT OR IGNORE';
    await execute(sequelize, `${ignore} INTO coupon_daily_counts (template_id, day, issued) VALUES ($1, $2, 0)`, [template.id, day], transaction);
    const limit = template.perDayLimit;
    const counted = await execute(
      sequelize,
      `UPDATE coupon_daily_counts SET issued = issued + $1 WHERE template_id = $2 AND day = $3${limit === null ? '' : ' AND issued + $1 <= $4'}`,
      limit === null ? [count, template.id, day] : [count, template.id, day, limit],
      transaction,
    );
    if (counted === 1) return;
    // Give the stock back: the caller's transaction may go on without these coupons.
    await execute(sequelize, 'UPDATE coupon_templates SET issued_count = issued_count - $1 WHERE id = $2', [count, template.id], transaction);
    throw new AppError('COUPON_DAILY_LIMIT', { params: { name: template.name, limit: limit ?? 0 }, details: { limit } });
  }

  private async insertCoupons(
    template: TemplateRecord,
    member: MemberRecord,
    options: IssueOptions,
    window: { validFrom: Date; validUntil: Date },
    now: Date,
    transaction: Transaction,
  ): Promise<CouponRecord[]> {
    // A code already taken (odds of about one in 2^54 per code) gets new codes, not an error.
    for (let attempt = 1; ; attempt += 1) {
      const codes = generateCodes(options.count);
      const rows = codes.map((code, seq) =>
        couponRow(
          template,
          window,
          { memberId: member.id, code, source: options.source, sourceRef: options.sourceRef ?? null, sourceSeq: seq, issuedBy: options.operatorId, storeId: options.storeId },
          now,
        ),
      );
      try {
        await insertRows(this.deps.sequelize, 'coupons', rows, transaction);
        return await this.deps.models.Coupon.findAll({ where: { code: codes }, order: [['sourceSeq', 'ASC']], transaction });
      } catch (error) {
        if (attempt < 3 && uniqueConflictOn(error, 'code') && !uniqueConflictOn(error, 'source_ref', 'coupons_template_member_source')) continue;
        throw error;
      }
    }
  }

  /** An `issued` event per coupon, one audit record and one domain event for the call. */
  private async record(template: TemplateRecord, member: MemberRecord, coupons: CouponRecord[], options: IssueOptions, now: Date, transaction: Transaction) {
    const { sequelize, audit, events } = this.deps;
    await insertRows(
      sequelize,
      'coupon_events',
      coupons.map((coupon) => ({ coupon_id: coupon.id, type: 'issued', order_id: null, refund_id: null, operator_id: options.operatorId, reason: options.reason ?? null, at: now })),
      transaction,
    );
    const source = SOURCE_LABELS[options.source];
    await audit.record(
      {
        action: 'coupon.issue',
        entityType: 'member',
        entityId: member.id,
        storeId: options.storeId ?? member.homeStoreId,
        summary: `向会员 ${member.cardNo ?? member.id} 发放「${template.name}」${coupons.length} 张（${source}${options.sourceRef ? ` ${options.sourceRef}` : ''}）${options.reason ? `；原因：${options.reason}` : ''}`,
        diff: { templateId: template.id, couponIds: coupons.map((coupon) => coupon.id), source: options.source, sourceRef: options.sourceRef ?? null },
        ...(options.actor ? { actor: options.actor } : {}),
      },
      { transaction },
    );
    await events.emit(
      {
        type: 'coupon.issued',
        entityType: 'coupon_template',
        entityId: template.id,
        memberId: member.id,
        payload: { templateId: template.id, couponIds: coupons.map((coupon) => coupon.id), count: coupons.length, source: options.source, sourceRef: options.sourceRef ?? null, storeId: options.storeId },
        at: now,
      },
      transaction,
    );
  }

  private notActive(template: TemplateRecord): AppError {
    return new AppError('COUPON_TEMPLATE_NOT_ACTIVE', { params: { name: template.name, status: STATUS_LABELS[template.status as keyof typeof STATUS_LABELS] } });
  }
}
