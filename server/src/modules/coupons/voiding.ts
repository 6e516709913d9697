import { Op, type Sequelize, type Transaction } from 'sequelize';
import { execute, insertRows } from '../../platform/db/raw-sql.js';
import { withTransaction } from '../../platform/db/transaction.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { Principal } from '../../platform/http/route.js';
import type { AuditActor, AuditService } from '../audit/service.js';
import type { DomainEvents } from '../events/outbox.js';
import type { MemberRecord } from '../members/models.js';
import type { MemberService } from '../members/service.js';
import type { CouponQueries } from './coupon-queries.js';
import type { CouponModels, CouponRecord, CouponSource, CouponStatus } from './models.js';

export interface VoidingDeps {
  sequelize: Sequelize;
  models: CouponModels;
  members: MemberService;
  queries: CouponQueries;
  events: DomainEvents;
  audit: AuditService;
}

const COUPON_STATUS_LABELS: Record<CouponStatus, { zh: string; en: string }> = {
  available: { zh: '可用', en: 'available' },
  used: { zh: '已使用', en: 'used' },
  expired: { zh: '已过期', en: 'expired' },
  voided: { zh: '已作废', en: 'voided' },
};

/**
 * Voiding (作废): an available coupon is taken back with a reason; a used, expired or
 * voided one stays as it is (COUPON_VOID_REFUSED). A punch card with uses left can be
 * voided: what is left goes, what was used stays recorded. Stock is not given back: the
 * coupon was issued.
 */
export class VoidingService {
  constructor(private readonly deps: VoidingDeps) {}

  async void(principal: Principal, couponId: number, reason: string) {
    const found = await this.deps.queries.findInScope(principal, couponId);
    await withTransaction(this.deps.sequelize, async (transaction) => {
      // The member first, as a checkout locks it, so a void and a redemption take turns.
      const member = await this.deps.members.lockForReversal(found.memberId, transaction);
      const coupon = (await this.deps.models.Coupon.findByPk(couponId, { transaction }))!;
      const done = await this.voidInTransaction(member, [coupon], reason, { operatorId: principal.kind === 'user' ? principal.userId : null }, transaction);
      if (done.length === 0) {
        throw new AppError('COUPON_VOID_REFUSED', { params: { code: coupon.code, status: COUPON_STATUS_LABELS[coupon.status as CouponStatus] }, details: { status: coupon.status } });
      }
    });
    return this.deps.queries.detail(principal, couponId);
  }

  /**
   * Voids a source's coupons that are still available (a refunded top-up's), in the
   * caller's transaction, which holds the member's lock; used ones stay used. Returns the
   * coupons it voided.
   */
  async voidSourceInTransaction(
    member: MemberRecord,
    source: { source: CouponSource; sourceRef: string },
    reason: string,
    by: { operatorId: number | null; actor?: AuditActor },
    transaction: Transaction,
  ): Promise<CouponRecord[]> {
    const coupons = await this.deps.models.Coupon.findAll({
      where: { memberId: member.id, source: source.source, sourceRef: source.sourceRef, status: 'available' },
      transaction,
    });
    return this.voidInTransaction(member, coupons, reason, by, transaction);
  }

  /** Voids those of `coupons` still available (guarded per coupon): one event each, one audit record. */
  private async voidInTransaction(
    member: MemberRecord,
    coupons: readonly CouponRecord[],
    reason: string,
    by: { operatorId: number | null; actor?: AuditActor },
    transaction: Transaction,
  ): Promise<CouponRecord[]> {
    const { sequelize } = this.deps;
    const now = new Date();
    const voided: CouponRecord[] = [];
    for (const coupon of coupons) {
      const changed = await execute(
        sequelize,
        "UPDATE coupons SET status = 'voided', void_reason = $1, updated_at = $2 WHERE id = $3 AND status = 'available'",
        [reason, now, coupon.id],
        transaction,
      );
      if (changed === 1) voided.push(coupon);
    }
    if (voided.length === 0) return [];
    await insertRows(
      sequelize,
      'coupon_events',
      voided.map((coupon) => ({ coupon_id: coupon.id, type: 'voided', order_id: null, refund_id: null, operator_id: by.operatorId, reason, at: now })),
      transaction,
    );
    const fresh = await this.deps.models.Coupon.findAll({ where: { id: { [Op.in]: voided.map((c) => c.id) } }, transaction });
    await this.deps.audit.record(
      {
        action: 'coupon.void',
        entityType: 'member',
        entityId: member.id,
        storeId: member.homeStoreId,
        summary: `作废会员 ${member.cardNo ?? member.id} 的优惠券 ${voided.map((c) => c.code.slice(0, 4) + '…').join('、')}（${voided.length} 张）；原因：${reason}`,
        diff: { couponIds: voided.map((c) => c.id), reason },
        ...(by.actor ? { actor: by.actor } : {}),
      },
      { transaction },
    );
    await this.deps.events.emit(
      { type: 'coupon.voided', entityType: 'member', entityId: member.id, memberId: member.id, payload: { couponIds: voided.map((c) => c.id), reason }, at: now },
      transaction,
    );
    return fresh;
  }
}
