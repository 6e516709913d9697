import type { Transaction } from 'sequelize';
import type { MemberService } from '../members/service.js';
import type { PlacedOrder, RefundedOrder } from '../orders/pricing.js';
import type { TierCatalogStore } from './catalog.js';
import type { TierChanges } from './changes.js';
import type { TierMetrics } from './metrics.js';
import type { TierModels } from './models.js';
import { earnedLevel, entryWindow, levelOf, reachedState } from './rules.js';

export interface TierUpgradesDeps {
  models: TierModels;
  catalog: TierCatalogStore;
  metrics: TierMetrics;
  changes: TierChanges;
  members: MemberService;
  timeZone: string;
}

/**
 * Upgrades in the order's own transaction: the member row is locked and saved, the order
 * and its points are written, so the metric read here includes this order. An order that
 * fails rolls the upgrade back with it. A refund of the order that alone earned the
 * current level moves the member back down (never below where that order found them).
 */
export class TierUpgrades {
  constructor(private readonly deps: TierUpgradesDeps) {}

  async afterOrder(order: PlacedOrder, transaction: Transaction): Promise<void> {
    const member = order.member!;
    const catalog = await this.deps.catalog.get(transaction);
    const { levels, settings } = catalog;
    if (levels.length === 0) return;
    const current = levelOf(levels, member.tierId);
    // At the top nothing can be earned: the common case costs no query.
    if (current.id === levels.at(-1)!.id) return;
    const now = new Date();
    const window = entryWindow(settings, now, this.deps.timeZone);
    const metric = await this.deps.metrics.forMember(member.id, settings, window, transaction);
    const earned = earnedLevel(levels, metric);
    if (earned.level <= current.level) return;
    await this.deps.changes.apply(
      {
        member,
        from: current,
        to: earned,
        direction: 'up',
        reason: 'order',
        state: reachedState(catalog, earned, now, this.deps.timeZone),
        basis: settings.basis,
        metric,
        threshold: earned.entryThreshold,
        window,
        orderId: order.id,
        operatorId: order.operatorId,
        note: `订单 ${order.orderNo}`,
        at: now,
      },
      transaction,
    );
    // The checkout saved the row already; keep its copy true without marking it changed.
    member.setDataValue('tierId', earned.id);
  }

  async afterRefund(refund: RefundedOrder, transaction: Transaction): Promise<void> {
    const { models, catalog: store } = this.deps;
    const memberId = refund.memberId!;
    const last = await models.TierHistory.findOne({ where: { memberId }, order: [['id', 'DESC']], transaction });
    if (!last || last.reason !== 'order' || last.orderId !== refund.orderId || last.direction !== 'up') return;
    const row = await models.MemberTier.findByPk(memberId, { transaction });
    if (!row || row.manual || row.tierId !== last.toTierId) return;
    const catalog = await store.get(transaction);
    const { levels, settings } = catalog;
    const current = levels.find((l) => l.id === row.tierId);
    if (!current) return;
    const now = new Date();
    const window = entryWindow(settings, now, this.deps.timeZone);
    const metric = await this.deps.metrics.forMember(memberId, settings, window, transaction);
    if (metric >= current.entryThreshold) return;
    const floor = levelOf(levels, last.fromTierId);
    const earned = earnedLevel(levels, metric);
    const target = earned.level > floor.level ? earned : floor;
    if (target.level >= current.level) return;
    const member = await this.deps.members.lockForReversal(memberId, transaction);
    await this.deps.changes.apply(
      {
        member,
        from: current,
        to: target,
        direction: 'down',
        reason: 'refund',
        state: reachedState(catalog, target, now, this.deps.timeZone),
        basis: settings.basis,
        metric,
        threshold: current.entryThreshold,
        window,
        orderId: refund.orderId,
        operatorId: refund.operatorId,
        note: `退款 ${refund.refundNo}`,
        at: now,
      },
      transaction,
    );
  }
}
