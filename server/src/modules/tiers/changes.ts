import type { Sequelize, Transaction } from 'sequelize';
import { execute } from '../../platform/db/raw-sql.js';
import type { AuditActor, AuditService } from '../audit/service.js';
import type { DomainEvent, DomainEvents } from '../events/outbox.js';
import type { TierDirection, TierModels, TierReason } from './models.js';
import { metricText, type TierLevel } from './rules.js';
import type { TierBasis } from './settings.js';

export const REASON_LABELS: Record<TierReason, { zh: string; en: string }> = {
  order: { zh: '消费升级', en: 'earned by an order' },
  retention: { zh: '保级考核', en: 'retention review' },
  manual: { zh: '手动调整', en: 'changed by hand' },
  manual_expired: { zh: '手动等级到期', en: 'manual tier expired' },
  rule_change: { zh: '等级规则变更', en: 'tier rules changed' },
  refund: { zh: '退款', en: 'order refunded' },
};

/** The member a change is about, as the audit log names it. */
export interface ChangedMember {
  id: number;
  cardNo: string | null;
  homeStoreId: number;
}

/** The member's tier clock after the change. */
export interface TierState {
  since: Date;
  reviewAt: Date | null;
  manual: boolean;
  manualUntil: Date | null;
  manualReason: string | null;
}

export interface TierChange {
  member: ChangedMember;
  /** The level the member was at (the base when never placed). */
  from: TierLevel;
  to: TierLevel;
  direction: TierDirection;
  reason: TierReason;
  state: TierState;
  basis: TierBasis | null;
  metric: number | null;
  threshold: number | null;
  window: { from: Date | null; to: Date } | null;
  orderId?: number | null;
  operatorId?: number | null;
  note?: string | null;
  at: Date;
  /** The job's identity; a request's principal by default. */
  actor?: AuditActor;
  /** The audit action: `tier.change`, or `tier.adjust` for a change by hand. */
  action?: string;
}

export function directionOf(from: TierLevel, to: TierLevel): TierDirection {
  return to.level > from.level ? 'up' : to.level < from.level ? 'down' : 'manual';
}

/**
 * Writes one member's tier change in the caller's transaction: the member_tiers row, the
 * mirror on members.tier_id, the history row with the numbers behind it, the audit
 * record and the `tier.changed` event. Every path that moves a member goes through here
 * (an order, the review job, a manual change, its expiry, a refund); a rule change writes
 * the same rows in bulk (publish.ts).
 */
export class TierChanges {
  constructor(
    private readonly deps: { sequelize: Sequelize; models: TierModels; audit: AuditService; events: DomainEvents },
  ) {}

  async apply(change: TierChange, transaction: Transaction): Promise<void> {
    const { models, sequelize } = this.deps;
    const { member, from, to, state } = change;
    await models.MemberTier.upsert(memberTierRow(change), { transaction });
    await execute(sequelize, 'UPDATE members SET tier_id = $1 WHERE id = $2', [to.id, member.id], transaction);
    await models.TierHistory.create(historyRow(change), { transaction });
    await this.deps.audit.record(
      {
        action: change.action ?? 'tier.change',
        entityType: 'member',
        entityId: member.id,
        storeId: member.homeStoreId,
        summary: changeSummary(change),
        diff: {
          from: { id: from.id, name: from.name },
          to: { id: to.id, name: to.name },
          reason: change.reason,
          metric: change.metric,
          threshold: change.threshold,
          manualUntil: state.manualUntil,
          note: change.note ?? null,
        },
        actor: change.actor,
      },
      { transaction },
    );
    await this.deps.events.emit(changedEvent(change), transaction);
  }
}

/** The member's member_tiers row after a change: a fresh clock, no renewal or warning yet. */
export function memberTierRow(change: TierChange) {
  return { memberId: change.member.id, tierId: change.to.id, ...change.state, renewedAt: null, warnedAt: null, updatedAt: change.at };
}

/** A change's tier_history row: where from and to, why, and the numbers behind it. */
export function historyRow(change: TierChange) {
  return {
    memberId: change.member.id,
    fromTierId: change.from.id,
    toTierId: change.to.id,
    direction: change.direction,
    reason: change.reason,
    orderId: change.orderId ?? null,
    basis: change.basis,
    metric: change.metric,
    threshold: change.threshold,
    windowFrom: change.window?.from ?? null,
    windowTo: change.window?.to ?? null,
    operatorId: change.operatorId ?? null,
    note: change.note ?? null,
    at: change.at,
  };
}

/** An outbox event about one member, as the tier changes and warnings write them. */
export function memberEvent(type: string, memberId: number, payload: Record<string, unknown>, at: Date): DomainEvent {
  return { type, entityType: 'member', entityId: memberId, memberId, payload, at };
}

export function changedEvent(change: TierChange): DomainEvent {
  return memberEvent('tier.changed', change.member.id, changedPayload(change), change.at);
}

export function changedPayload(change: TierChange): Record<string, unknown> {
  return {
    memberId: change.member.id,
    fromTierId: change.from.id,
    fromTier: change.from.name,
    toTierId: change.to.id,
    toTier: change.to.name,
    direction: change.direction,
    reason: change.reason,
    orderId: change.orderId ?? null,
    metric: change.metric,
    threshold: change.threshold,
  };
}

/** 会员 H000123 等级 银卡 → 金卡（消费升级：¥5,200.00，门槛 ¥5,000.00） */
export function changeSummary(change: TierChange): string {
  const numbers =
    change.basis && change.metric !== null
      ? `：${metricText(change.basis, change.metric).zh}${change.threshold !== null ? `，门槛 ${metricText(change.basis, change.threshold).zh}` : ''}`
      : '';
  const note = change.note ? `；${change.note}` : '';
  return `会员 ${change.member.cardNo ?? change.member.id} 等级 ${change.from.name} → ${change.to.name}（${REASON_LABELS[change.reason].zh}${numbers}）${note}`;
}
