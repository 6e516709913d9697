import type { Sequelize, Transaction } from 'sequelize';
import { columnsOf, execute, insertRows, type SqlValue } from '../../platform/db/raw-sql.js';
import type { DomainEvents } from '../events/outbox.js';
import { changedEvent, historyRow, memberTierRow, type TierChange } from './changes.js';

/** `$from,$from+1,...` for an IN list of `count` values. */
export const placeholders = (from: number, count: number) => Array.from({ length: count }, (_, i) => `$${from + i}`).join(',');

/**
 * Writes many members' tier changes at once, in the caller's transaction, each table in a
 * few statements: the members' tier rows replaced, the mirror on members.tier_id, one
 * history row and one `tier.changed` event each. For the changes a rule change and the
 * nightly review make to many members; the caller locked the members and writes one audit
 * record for the lot (TierChanges.apply is the one-member path, with its own record).
 */
export class TierBulkChanges {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly events: DomainEvents,
  ) {}

  async write(changes: readonly TierChange[], transaction: Transaction): Promise<void> {
    if (changes.length === 0) return;
    const { sequelize } = this;
    const ids = changes.map((c) => c.member.id);
    await execute(sequelize, `DELETE FROM member_tiers WHERE member_id IN (${placeholders(1, ids.length)})`, ids, transaction);
    await insertRows(
      sequelize,
      'member_tiers',
      changes.map((c) => columnsOf(memberTierRow(c))),
      transaction,
    );
    const byTarget = new Map<number, number[]>();
    for (const c of changes) {
      const list = byTarget.get(c.to.id);
      if (list) list.push(c.member.id);
      else byTarget.set(c.to.id, [c.member.id]);
    }
    for (const [tierId, memberIds] of byTarget) {
      await execute(sequelize, `UPDATE members SET tier_id = $1 WHERE id IN (${placeholders(2, memberIds.length)})`, [tierId, ...memberIds], transaction);
    }
    await insertRows(
      sequelize,
      'tier_history',
      changes.map((c) => columnsOf(historyRow(c) satisfies Record<string, SqlValue>)),
      transaction,
    );
    await this.events.emitMany(changes.map(changedEvent), transaction);
  }
}
