import { Op, type Sequelize } from 'sequelize';
import { execute, insertRows } from '../../platform/db/raw-sql.js';
import { withTransaction } from '../../platform/db/transaction.js';
import type { AuditActor, AuditService } from '../audit/service.js';
import type { DomainEvents } from '../events/outbox.js';
import type { CouponModels } from './models.js';

export interface CouponExpiryDeps {
  sequelize: Sequelize;
  models: CouponModels;
  audit: AuditService;
  events: DomainEvents;
}

/** Coupons expired per transaction: short enough that a checkout never waits long on one. */
const CHUNK = 500;
const DAY_MS = 86_400_000;

const ACTOR: AuditActor = { type: 'system', id: null, name: 'coupons.expire', roles: [] };

/**
 * The daily expiry (过期): available coupons past their last day become expired, one
 * event row each, in chunks. A checkout that takes a coupon at the same moment guards on
 * `status = 'available'` too, so exactly one of them wins.
 */
export class CouponExpiry {
  constructor(private readonly deps: CouponExpiryDeps) {}

  async expireDue(now: Date, progress?: (done: number) => Promise<void>): Promise<{ expired: number }> {
    const { models, sequelize } = this.deps;
    let expired = 0;
    let after = 0;
    for (;;) {
      // Keyset on id over the (status, valid_until) index: a chunk never reads its rows twice.
      const due = await models.Coupon.findAll({
        attributes: ['id'],
        where: { status: 'available', validUntil: { [Op.lt]: now }, id: { [Op.gt]: after } },
        order: [['id', 'ASC']],
        limit: CHUNK,
      });
      if (due.length === 0) break;
      after = due.at(-1)!.id;
      expired += await withTransaction(sequelize, async (transaction) => {
        const ids = due.map((coupon) => coupon.id);
        const locked = await models.Coupon.findAll({
          attributes: ['id'],
          where: { id: ids, status: 'available', validUntil: { [Op.lt]: now } },
          transaction,
          lock: transaction.LOCK.UPDATE,
        });
        if (locked.length === 0) return 0;
        const lockedIds = locked.map((coupon) => coupon.id);
        await execute(sequelize, `UPDATE coupons SET status = 'expired', updated_at = $1 WHERE id IN (${lockedIds.join(',')}) AND status = 'available'`, [now], transaction);
        await insertRows(
          sequelize,
          'coupon_events',
          lockedIds.map((id) => ({ coupon_id: id, type: 'expired', order_id: null, refund_id: null, operator_id: null, reason: null, at: now })),
          transaction,
        );
        await this.deps.audit.record(
          { action: 'coupon.expire', entityType: 'coupon', summary: `${lockedIds.length} 张优惠券到期失效`, diff: { couponIds: lockedIds }, actor: ACTOR },
          { transaction },
        );
        return lockedIds.length;
      });
      await progress?.(expired);
    }
    return { expired };
  }

  /**
   * One `coupon.expiring` event per member whose available coupons end within `days`
   * days, on the day they come into that window: the job runs daily, so each coupon is
   * announced once without a column to remember it.
   */
  async notifyExpiring(now: Date, days: number): Promise<{ members: number; coupons: number }> {
    if (days <= 0) return { members: 0, coupons: 0 };
    const from = new Date(now.getTime() + (days - 1) * DAY_MS);
    const until = new Date(now.getTime() + days * DAY_MS);
    const coupons = await this.deps.models.Coupon.findAll({
      attributes: ['id', 'memberId', 'validUntil'],
      where: { status: 'available', validUntil: { [Op.gte]: from, [Op.lt]: until } },
      order: [['memberId', 'ASC']],
    });
    const byMember = new Map<number, number[]>();
    for (const coupon of coupons) byMember.set(coupon.memberId, [...(byMember.get(coupon.memberId) ?? []), coupon.id]);
    for (const [memberId, ids] of byMember) {
      await withTransaction(this.deps.sequelize, (transaction) =>
        this.deps.events.emit({ type: 'coupon.expiring', entityType: 'member', entityId: memberId, memberId, payload: { memberId, couponIds: ids, withinDays: days }, at: now }, transaction),
      );
    }
    return { members: byMember.size, coupons: coupons.length };
  }
}
