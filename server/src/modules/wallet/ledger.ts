import { fn, col, type Sequelize, type Transaction } from 'sequelize';
import { execute, insertRows, selectRows } from '../../platform/db/raw-sql.js';
import type { MemberRecord } from '../members/models.js';
import type { LedgerMove } from '../loyalty/ledger-move.js';
import type { TopupRecord, WalletModels } from './models.js';
import { insufficientWallet } from './money-text.js';
import type { SpendOrder } from './settings.js';

/** What one operation took from (or put back into) one top-up, in fen, both positive. */
export interface WalletPart {
  topupId: number;
  principal: number;
  bonus: number;
}

/**
 * How a spend of `amount` divides between the member's principal and bonus totals.
 * 'proportional' keeps the member's mix: bonus = min(B, round(amount * B / (P + B))).
 */
export function splitSpend(order: SpendOrder, principal: number, bonus: number, amount: number): { principal: number; bonus: number } {
  if (amount > principal + bonus) throw new Error(`cannot split ${amount} over ${principal} + ${bonus}`);
  let fromBonus: number;
  if (order === 'principal_first') fromBonus = Math.max(0, amount - principal);
  else if (order === 'bonus_first') fromBonus = Math.min(bonus, amount);
  else {
    const total = BigInt(principal + bonus);
    // round half up in integers: floor((2 * amount * B + total) / (2 * total))
    fromBonus = total === 0n ? 0 : Math.min(bonus, Number((2n * BigInt(amount) * BigInt(bonus) + total) / (2n * total)));
    // Rounding up can leave the principal short by a fen only when the spend takes
    // (nearly) everything; the bonus bucket covers that fen.
    fromBonus = Math.max(fromBonus, amount - principal);
  }
  return { principal: amount - fromBonus, bonus: fromBonus };
}

/** Takes `amount` from buckets in order, each at most what it holds. */
export function takeInOrder(buckets: readonly number[], amount: number): number[] {
  let left = amount;
  return buckets.map((held) => {
    const taken = Math.min(held, left);
    left -= taken;
    return taken;
  });
}

/**
 * Stored-value primitives for the checkout, refunds and top-ups. Every method takes a
 * member row the caller has already locked (MemberService.lockForBalance) and the caller's
 * transaction; it moves the member's totals in memory (walletPrincipal, walletBonus and
 * their sum storedValueBalance) and writes the top-ups' remainders and one ledger row per
 * top-up touched. The caller saves the member row once, so a checkout writes it once.
 */
export class WalletLedger {
  private readonly sequelize: Sequelize;

  constructor(private readonly models: WalletModels) {
    this.sequelize = models.WalletTopup.sequelize!;
  }

  /**
   * Spends `amount` fen, oldest top-up first in each bucket, the buckets split by `order`.
   * Throws INSUFFICIENT_BALANCE and writes nothing when the member holds less.
   */
  async spend(member: MemberRecord, amount: number, order: SpendOrder, move: LedgerMove, t: Transaction): Promise<WalletPart[]> {
    if (!Number.isSafeInteger(amount) || amount <= 0) throw new Error(`a stored-value spend must be a positive whole number of fen, got ${amount}`);
    const available = member.walletPrincipal + member.walletBonus;
    if (available < amount) throw insufficientWallet(amount, available);
    const split = splitSpend(order, member.walletPrincipal, member.walletBonus, amount);
    const topups = (
      await selectRows<{ id: number | string; store_id: number | string; principal_remaining: number | string; bonus_remaining: number | string }>(
        this.sequelize,
        'SELECT id, store_id, principal_remaining, bonus_remaining FROM wallet_topups WHERE member_id = $1 AND (principal_remaining > 0 OR bonus_remaining > 0) ORDER BY id',
        [member.id],
        t,
      )
    ).map((row) => ({ id: Number(row.id), storeId: Number(row.store_id), principalRemaining: Number(row.principal_remaining), bonusRemaining: Number(row.bonus_remaining) }));
    const fromPrincipal = takeInOrder(
      topups.map((topup) => topup.principalRemaining),
      split.principal,
    );
    const fromBonus = takeInOrder(
      topups.map((topup) => topup.bonusRemaining),
      split.bonus,
    );
    const covered = fromPrincipal.reduce((a, b) => a + b, 0) + fromBonus.reduce((a, b) => a + b, 0);
    // The member's totals are the sum of the top-ups' remainders; a gap is a bug, not a shortage.
    if (covered !== amount) throw new Error(`member ${member.id}: wallet totals and top-up remainders disagree`);
    const touched = topups
      .map((topup, i) => ({ ...topup, principal: fromPrincipal[i], bonus: fromBonus[i] }))
      .filter((topup) => topup.principal !== 0 || topup.bonus !== 0);
    await this.setRemaining(touched.map((topup) => ({ id: topup.id, principal: topup.principalRemaining - topup.principal, bonus: topup.bonusRemaining - topup.bonus })), t);
    await this.posts(member, touched.map((topup) => ({ topup, principalDelta: -topup.principal, bonusDelta: -topup.bonus, move })), t);
    return touched.map((topup) => ({ topupId: topup.id, principal: topup.principal, bonus: topup.bonus }));
  }

  /** The top-ups' new remainders (and updated_at, as a model save would), in one statement however many. */
  private async setRemaining(topups: ReadonlyArray<{ id: number; principal: number; bonus: number }>, t: Transaction): Promise<void> {
    if (topups.length === 0) return;
    const now = new Date();
    if (topups.length === 1) {
      const [topup] = topups;
      await execute(this.sequelize, 'UPDATE wallet_topups SET principal_remaining = $1, bonus_remaining = $2, updated_at = $3 WHERE id = $4', [topup.principal, topup.bonus, now, topup.id], t);
      return;
    }
    const n = topups.length;
    const ids = topups.map((topup) => topup.id);
    const cases = (offset: number) => topups.map((_, i) => `WHEN $${i + 1} THEN $${offset + i + 1}`).join(' ');
    await execute(
      this.sequelize,
      `UPDATE wallet_topups SET principal_remaining = CASE id ${cases(n)} END, bonus_remaining = CASE id ${cases(2 * n)} END, updated_at = $${3 * n + 1} WHERE id IN (${ids.map((_, i) => `$${i + 1}`).join(',')})`,
      [...ids, ...topups.map((topup) => topup.principal), ...topups.map((topup) => topup.bonus), now],
      t,
    );
  }

  /** Puts amounts back into the top-ups and buckets they came from (an order refund); never more than was taken. */
  async returnTo(member: MemberRecord, parts: WalletPart[], move: LedgerMove, t: Transaction): Promise<void> {
    const live = parts.filter((part) => part.principal !== 0 || part.bonus !== 0);
    for (const part of live) {
      if (![part.principal, part.bonus].every((v) => Number.isSafeInteger(v) && v >= 0)) throw new Error(`returned amounts must be whole fen >= 0: ${JSON.stringify(part)}`);
    }
    if (live.length === 0) return;
    const topups = await this.models.WalletTopup.findAll({
      where: { id: live.map((part) => part.topupId), memberId: member.id },
      order: [['id', 'ASC']],
      transaction: t,
    });
    const byId = new Map(topups.map((topup) => [topup.id, topup]));
    for (const part of [...live].sort((a, b) => a.topupId - b.topupId)) {
      const topup = byId.get(part.topupId);
      if (!topup) throw new Error(`top-up ${part.topupId} is not member ${member.id}'s`);
      const spentPrincipal = topup.principal - topup.refundedPrincipal - topup.principalRemaining;
      const spentBonus = topup.bonus - topup.voidedBonus - topup.bonusRemaining;
      if (part.principal > spentPrincipal || part.bonus > spentBonus) throw new Error(`top-up ${topup.id}: returning more than was spent from it`);
      // Bonus coming back to a top-up whose principal was all refunded is void at once: no
      // refund could void it later, and it came with money the member has been paid back.
      const voided = topup.refundedPrincipal === topup.principal ? part.bonus : 0;
      topup.principalRemaining += part.principal;
      topup.bonusRemaining += part.bonus - voided;
      topup.voidedBonus += voided;
      // A top-up refunded to nothing holds money again: it is no longer wholly refunded.
      if (topup.status === 'refunded' && topup.principalRemaining + topup.bonusRemaining > 0) topup.status = 'partially_refunded';
      await topup.save({ transaction: t });
      await this.post(member, topup, part.principal, part.bonus, move, t);
      if (voided > 0) await this.post(member, topup, 0, -voided, { ...move, kind: 'topup_refund', reason: '退回时充值已全额退款' }, t);
    }
  }

  /** What rows of a kind for these sources moved, per top-up, as positive numbers. */
  async partsOf(kind: string, sourceType: string, sourceIds: readonly number[], t?: Transaction): Promise<WalletPart[]> {
    if (sourceIds.length === 0) return [];
    const rows = (await this.models.WalletLedgerRow.findAll({
      attributes: ['topupId', [fn('SUM', col('principal_delta')), 'principal'], [fn('SUM', col('bonus_delta')), 'bonus']],
      where: { kind, sourceType, sourceId: [...sourceIds] },
      group: ['topup_id'],
      order: [['topupId', 'ASC']],
      raw: true,
      transaction: t,
    })) as unknown as Array<{ topupId: number | string; principal: number | string | null; bonus: number | string | null }>;
    return rows
      .map((row) => ({ topupId: Number(row.topupId), principal: Math.abs(Number(row.principal ?? 0)), bonus: Math.abs(Number(row.bonus ?? 0)) }))
      .filter((part) => part.principal !== 0 || part.bonus !== 0);
  }

  /**
   * One ledger row moving one top-up's buckets by the deltas (the top-up row itself is the
   * caller's to change): the member's totals move with it. Top-ups and top-up refunds use
   * it directly; spend and returnTo go through it.
   */
  async post(member: MemberRecord, topup: Pick<TopupRecord, 'id' | 'storeId'>, principalDelta: number, bonusDelta: number, move: LedgerMove, t: Transaction): Promise<void> {
    await this.posts(member, [{ topup, principalDelta, bonusDelta, move }], t);
  }

  /** Ledger rows in one INSERT, the member's totals moved row by row. */
  private async posts(
    member: MemberRecord,
    moves: ReadonlyArray<{ topup: Pick<TopupRecord, 'id' | 'storeId'>; principalDelta: number; bonusDelta: number; move: LedgerMove }>,
    t: Transaction,
  ): Promise<void> {
    const rows = moves.map(({ topup, principalDelta, bonusDelta, move }) => {
      member.walletPrincipal += principalDelta;
      member.walletBonus += bonusDelta;
      member.storedValueBalance = member.walletPrincipal + member.walletBonus;
      if (member.walletPrincipal < 0 || member.walletBonus < 0) throw new Error(`member ${member.id}: a wallet bucket would go below zero`);
      return {
        member_id: member.id,
        topup_id: topup.id,
        topup_store_id: topup.storeId,
        store_id: move.storeId ?? topup.storeId,
        kind: move.kind,
        source_type: move.sourceType,
        source_id: move.sourceId,
        principal_delta: principalDelta,
        bonus_delta: bonusDelta,
        principal_after: member.walletPrincipal,
        bonus_after: member.walletBonus,
        operator_id: move.operatorId,
        reason: move.reason?.slice(0, 255) ?? null,
        created_at: move.at ?? new Date(),
      };
    });
    await insertRows(this.sequelize, 'wallet_ledger', rows, t);
  }
}
