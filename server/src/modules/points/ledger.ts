import { Op, col, fn, literal, type Sequelize, type Transaction } from 'sequelize';
import { execute, insertRow, insertRows, selectRows } from '../../platform/db/raw-sql.js';
import { insufficientBalance } from '../loyalty/insufficient.js';
import type { LedgerMove } from '../loyalty/ledger-move.js';
import type { MemberRecord } from '../members/models.js';
import type { PointLotRecord, PointModels } from './models.js';

/** Why a points balance moved; every ledger row has one. */
export const POINTS_KINDS = ['earn', 'redeem', 'redeem_return', 'earn_reversal', 'expire', 'adjust', 'event', 'topup_bonus', 'topup_reversal'] as const;
/** The record behind a move; `sourceId` is its id (an adjustment's and an event's: their audit record). */
export const POINTS_SOURCES = ['order', 'refund', 'topup', 'topup_refund', 'adjustment', 'event', 'expiry'] as const;

/** The member row as the ledger needs it: the caller has locked it and saves it after. */
export type LedgerMember = Pick<MemberRecord, 'id' | 'pointsBalance'>;

export interface LotPart {
  lotId: number;
  points: number;
}

/** What one step of spending takes from one lot, and what the lot keeps. */
interface LotTake extends LotPart {
  remaining: number;
}

/** Lots read per query while spending: enough for almost every member at once, bounded for the rest. */
const LOT_PAGE = 200;

function assertPoints(points: number, what: string): void {
  if (!Number.isSafeInteger(points) || points <= 0) throw new Error(`${what} needs a positive whole number of points, got ${points}`);
}

/**
 * The points primitives every balance change goes through (checkout, refunds, top-ups,
 * adjustments, events, expiry). Each takes the member row the caller locked and its
 * transaction, moves `member.pointsBalance` in memory, writes lots and ledger rows, and
 * leaves saving the member to the caller, so a checkout writes the member row once.
 *
 * Invariants: the balance is the sum of the member's ledger deltas; while it is not
 * negative it is also the sum of the lots' remaining points; while it is negative (points
 * owed after a refund took back points already spent) every lot is empty.
 */
export class PointsLedger {
  private readonly sequelize: Sequelize;

  constructor(private readonly models: PointModels) {
    this.sequelize = models.PointLot.sequelize!;
  }

  /** Adds a lot; points owed are paid from it first. Returns the lot's id. */
  async earn(member: LedgerMember, points: number, expiresAt: Date | null, move: LedgerMove, transaction: Transaction): Promise<number> {
    assertPoints(points, 'earn');
    const at = move.at ?? new Date();
    const owed = Math.max(0, -member.pointsBalance);
    const lotId = await insertRow(
      this.sequelize,
      'point_lots',
      {
        member_id: member.id,
        source_type: move.sourceType,
        source_id: move.sourceId,
        amount: points,
        remaining: Math.max(0, points - owed),
        earned_at: at,
        expires_at: expiresAt,
        created_at: at,
      },
      transaction,
    );
    await this.entries(member, move, [{ lotId, delta: points }], transaction);
    return lotId;
  }

  /**
   * Takes points from the lots that expire soonest (never-expiring ones last). Refuses,
   * writing nothing, when the balance cannot cover them.
   */
  async spend(member: LedgerMember, points: number, move: LedgerMove, transaction: Transaction): Promise<LotPart[]> {
    assertPoints(points, 'spend');
    if (member.pointsBalance < points) {
      throw insufficientBalance('points', points, member.pointsBalance);
    }
    const parts = await this.drain(member, points, move, transaction);
    const taken = parts.reduce((sum, part) => sum + part.points, 0);
    if (taken < points) throw new Error(`member ${member.id}: lots hold ${taken} points, less than the balance says`);
    return parts;
  }

  /**
   * Puts redeemed points back into the lots they came from. Points owed are paid first;
   * a lot already past its expiry takes its share and loses it again at once.
   */
  async returnTo(member: LedgerMember, parts: readonly LotPart[], move: LedgerMove, transaction: Transaction): Promise<void> {
    const at = move.at ?? new Date();
    for (const part of parts) {
      if (part.points === 0) continue;
      assertPoints(part.points, 'returnTo');
      const lot = await this.models.PointLot.findOne({ where: { id: part.lotId, memberId: member.id }, transaction });
      if (!lot) throw new Error(`member ${member.id} has no points lot ${part.lotId}`);
      const toLot = part.points - Math.min(part.points, Math.max(0, -member.pointsBalance));
      if (lot.remaining + toLot > lot.amount) throw new Error(`lot ${lot.id} would hold ${lot.remaining + toLot} points, more than the ${lot.amount} it was earned with`);
      if (toLot > 0) await lot.update({ remaining: lot.remaining + toLot }, { transaction });
      await this.entries(member, move, [{ lotId: lot.id, delta: part.points }], transaction);
      if (toLot > 0 && lot.expiresAt && lot.expiresAt.getTime() <= at.getTime()) {
        // Only the returned points: what else the lot holds is the expiry job's, with its own row.
        await this.take(member, lot, toLot, { ...move, kind: 'expire', sourceType: 'expiry', sourceId: null, reason: '退回时已过期' }, transaction);
      }
    }
  }

  /**
   * Takes back earned points: from the lot that earning created, then the soonest
   * expiring; what no lot holds any more is owed (the balance goes negative, and later
   * earnings pay it first).
   */
  async takeBack(member: LedgerMember, points: number, move: LedgerMove & { preferLotId?: number | null }, transaction: Transaction): Promise<void> {
    assertPoints(points, 'takeBack');
    let left = points;
    if (move.preferLotId) {
      const lot = await this.models.PointLot.findOne({ where: { id: move.preferLotId, memberId: member.id }, transaction });
      if (lot && lot.remaining > 0) left -= await this.take(member, lot, left, move, transaction);
    }
    if (left > 0) left -= (await this.drain(member, left, move, transaction)).reduce((sum, part) => sum + part.points, 0);
    if (left > 0) await this.entries(member, move, [{ lotId: null, delta: -left }], transaction);
  }

  /** Empties lots that expired: one 'expire' row per lot with points left. */
  async expire(member: LedgerMember, lots: readonly PointLotRecord[], move: Omit<LedgerMove, 'kind' | 'sourceType' | 'sourceId'>, transaction: Transaction): Promise<number> {
    let expired = 0;
    for (const lot of lots) {
      if (lot.remaining <= 0) continue;
      expired += lot.remaining;
      await this.take(member, lot, lot.remaining, { ...move, kind: 'expire', sourceType: 'expiry', sourceId: null }, transaction);
    }
    return expired;
  }

  /** What the ledger rows of `kind` from these sources moved, per lot, as positive points. */
  async partsOf(kind: string, sourceType: string, sourceIds: readonly number[], transaction?: Transaction): Promise<LotPart[]> {
    if (sourceIds.length === 0) return [];
    const rows = (await this.models.PointLedgerEntry.findAll({
      attributes: [[col('lot_id'), 'lot'], [fn('SUM', col('delta')), 'total']],
      where: { kind, sourceType, sourceId: [...sourceIds], lotId: { [Op.ne]: null } },
      group: [col('lot_id')],
      order: [[col('lot_id'), 'ASC']],
      raw: true,
      transaction,
    })) as unknown as Array<{ lot: number | string; total: number | string }>;
    return rows.map((row) => ({ lotId: Number(row.lot), points: Math.abs(Number(row.total)) })).filter((part) => part.points > 0);
  }

  /** The member's lots holding points, in the order spending takes them. */
  lotsWithPoints(memberId: number, transaction?: Transaction, limit = LOT_PAGE): Promise<PointLotRecord[]> {
    return this.models.PointLot.findAll({
      where: { memberId, remaining: { [Op.gt]: 0 } },
      // Never-expiring lots last on both databases (MySQL sorts NULL first, SQLite too).
      order: [[literal('expires_at IS NULL'), 'ASC'], ['expiresAt', 'ASC'], ['id', 'ASC']],
      limit,
      transaction,
    });
  }

  /**
   * Takes up to `points` from lots in spending order; returns what it took. Per page of
   * lots: one read (ids and remainders only), one UPDATE of the lots it took from and one
   * INSERT of their ledger rows.
   */
  private async drain(member: LedgerMember, points: number, move: LedgerMove, transaction: Transaction): Promise<LotPart[]> {
    const parts: LotPart[] = [];
    let left = points;
    while (left > 0) {
      // An emptied lot drops out of the next page, so paging needs no cursor.
      const lots = await selectRows<{ id: number | string; remaining: number | string }>(
        this.sequelize,
        `SELECT id, remaining FROM point_lots WHERE member_id = $1 AND remaining > 0 ORDER BY expires_at IS NULL, expires_at, id LIMIT ${LOT_PAGE}`,
        [member.id],
        transaction,
      );
      if (lots.length === 0) break;
      const takes: LotTake[] = [];
      for (const lot of lots) {
        const held = Number(lot.remaining);
        const taken = Math.min(left, held);
        takes.push({ lotId: Number(lot.id), points: taken, remaining: held - taken });
        left -= taken;
        if (left === 0) break;
      }
      await this.setRemaining(takes, transaction);
      await this.entries(member, move, takes.map((take) => ({ lotId: take.lotId, delta: -take.points })), transaction);
      parts.push(...takes.map(({ lotId, points: taken }) => ({ lotId, points: taken })));
    }
    return parts;
  }

  /** The lots' new remainders, in one statement however many lots. */
  private async setRemaining(takes: readonly LotTake[], transaction: Transaction): Promise<void> {
    if (takes.length === 1) {
      await execute(this.sequelize, 'UPDATE point_lots SET remaining = $1 WHERE id = $2', [takes[0].remaining, takes[0].lotId], transaction);
      return;
    }
    const values = takes.flatMap((take) => [take.lotId, take.remaining]);
    const cases = takes.map((_, i) => `WHEN $${2 * i + 1} THEN $${2 * i + 2}`).join(' ');
    const ids = takes.map((_, i) => `$${values.length + i + 1}`).join(',');
    await execute(this.sequelize, `UPDATE point_lots SET remaining = CASE id ${cases} END WHERE id IN (${ids})`, [...values, ...takes.map((take) => take.lotId)], transaction);
  }

  private async take(member: LedgerMember, lot: PointLotRecord, points: number, move: LedgerMove, transaction: Transaction): Promise<number> {
    const taken = Math.min(points, lot.remaining);
    await lot.update({ remaining: lot.remaining - taken }, { transaction });
    await this.entries(member, move, [{ lotId: lot.id, delta: -taken }], transaction);
    return taken;
  }

  /** One ledger row per move of one lot (or none: points owed), in one INSERT; the balance moves with each. */
  private async entries(member: LedgerMember, move: LedgerMove, moves: ReadonlyArray<{ lotId: number | null; delta: number }>, transaction: Transaction): Promise<void> {
    const at = move.at ?? new Date();
    const reason = move.reason ? move.reason.slice(0, 255) : null;
    const rows = moves.map(({ lotId, delta }) => ({
      member_id: member.id,
      lot_id: lotId,
      kind: move.kind,
      source_type: move.sourceType,
      source_id: move.sourceId,
      delta,
      balance_after: (member.pointsBalance += delta),
      store_id: move.storeId,
      operator_id: move.operatorId,
      reason,
      created_at: at,
    }));
    await insertRows(this.sequelize, 'point_ledger', rows, transaction);
  }
}
