import { Op, col, type Sequelize, type WhereOptions } from 'sequelize';
import { withTransaction } from '../../platform/db/transaction.js';
import { AppError } from '../../platform/errors/app-error.js';
import { systemPrincipal } from '../access/system-principal.js';
import type { AuditActor, AuditService } from '../audit/service.js';
import type { DomainEvents } from '../events/outbox.js';
import type { MemberService } from '../members/service.js';
import type { PointsLedger } from './ledger.js';
import type { PointLotRecord, PointModels } from './models.js';
import type { PointsSettingsStore } from './settings.js';

export interface PointsExpiryDeps {
  sequelize: Sequelize;
  models: PointModels;
  ledger: PointsLedger;
  settings: PointsSettingsStore;
  members: MemberService;
  audit: AuditService;
  events: DomainEvents;
}

/** Due lots read per query; each member's are then expired in a transaction of its own. */
const DUE_PAGE = 500;
/** Members notified per transaction. */
const NOTIFY_PAGE = 200;
const DAY_MS = 86_400_000;

const ACTOR: AuditActor = { type: 'system', id: null, name: 'points.expire', roles: [] };

/** The expiry job reaches every member: it works for no store and no person. */
const PRINCIPAL = systemPrincipal(ACTOR.name!);

function groupBy<T>(items: readonly T[], key: (item: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/**
 * Points whose lots have passed their expiry leave the balance (one 'expire' row per
 * lot), and members whose points expire soon hear about it once ('points.expiring' in
 * the outbox). Both read the lots in pages, so a million lots never load at once.
 */
export class PointsExpiry {
  constructor(private readonly deps: PointsExpiryDeps) {}

  async expireDue(now: Date, progress?: (done: number) => Promise<void>) {
    const { PointLot } = this.deps.models;
    const totals = { lots: 0, points: 0, members: 0, skipped: 0 };
    let after: { expiresAt: Date; id: number } | null = null;
    for (;;) {
      // Keyset on (expires_at, id), the order of the expires_at index: a lot the page left
      // behind (an erased member's) is never read twice.
      const where: WhereOptions = {
        remaining: { [Op.gt]: 0 },
        expiresAt: { [Op.lte]: now },
        ...(after ? { [Op.or]: [{ expiresAt: { [Op.gt]: after.expiresAt } }, { expiresAt: after.expiresAt, id: { [Op.gt]: after.id } }] } : {}),
      };
      const page: PointLotRecord[] = await PointLot.findAll({ attributes: ['id', 'memberId', 'expiresAt'], where, order: [['expiresAt', 'ASC'], ['id', 'ASC']], limit: DUE_PAGE });
      if (page.length === 0) break;
      const last = page.at(-1)!;
      after = { expiresAt: last.expiresAt!, id: last.id };
      for (const [memberId, lots] of groupBy(page, (lot) => lot.memberId)) {
        const done = await this.expireMember(memberId, lots.map((lot) => lot.id), now);
        if (done === null) totals.skipped += lots.length;
        else if (done.lots > 0) {
          totals.lots += done.lots;
          totals.points += done.points;
          totals.members += 1;
        }
      }
      await progress?.(totals.lots + totals.skipped);
    }
    return totals;
  }

  /** Expires the given lots of one member that are still due; null when the member was erased. */
  private async expireMember(memberId: number, lotIds: number[], now: Date): Promise<{ lots: number; points: number } | null> {
    try {
      return await withTransaction(this.deps.sequelize, async (transaction) => {
        const member = await this.deps.members.lockForBalance(PRINCIPAL, memberId, transaction);
        // Read again under the member's lock: a refund or checkout may have moved them since.
        const lots = await this.deps.models.PointLot.findAll({
          where: { id: lotIds, memberId, remaining: { [Op.gt]: 0 }, expiresAt: { [Op.lte]: now } },
          order: [['id', 'ASC']],
          transaction,
        });
        const points = await this.deps.ledger.expire(member, lots, { storeId: null, operatorId: null, at: now }, transaction);
        if (points === 0) return { lots: 0, points: 0 };
        await member.save({ transaction });
        await this.deps.audit.record({
          action: 'points.expire',
          entityType: 'member',
          entityId: member.id,
          storeId: member.homeStoreId,
          summary: `会员 ${member.cardNo ?? member.id} 积分过期 ${points}（${lots.length} 笔），余额 ${member.pointsBalance}`,
          diff: { lots: lots.map((lot) => lot.id), points, balanceAfter: member.pointsBalance },
          actor: ACTOR,
        });
        return { lots: lots.length, points };
      });
    } catch (error) {
      // An erased member keeps no balance anyone can use; their lots wait untouched.
      if (error instanceof AppError && error.code === 'MEMBER_ERASED') return null;
      throw error;
    }
  }

  /**
   * One 'points.expiring' event per member whose lots expire within notifyDaysBefore
   * days and were not announced yet: the points and the earliest expiry. Each lot is
   * announced once (expiry_notified_at), in the event's own transaction.
   */
  async notifyExpiring(now: Date) {
    const { PointLot } = this.deps.models;
    const settings = await this.deps.settings.read();
    const totals = { members: 0, lots: 0, points: 0 };
    if (settings.expiry.notifyDaysBefore === 0) return totals;
    const soon: WhereOptions = {
      remaining: { [Op.gt]: 0 },
      expiresAt: { [Op.gt]: now, [Op.lte]: new Date(now.getTime() + settings.expiry.notifyDaysBefore * DAY_MS) },
      expiryNotifiedAt: null,
    };
    let after = 0;
    for (;;) {
      const rows = (await PointLot.findAll({
        attributes: [[col('member_id'), 'member']],
        where: { ...soon, memberId: { [Op.gt]: after } },
        group: [col('member_id')],
        order: [[col('member_id'), 'ASC']],
        limit: NOTIFY_PAGE,
        raw: true,
      })) as unknown as Array<{ member: number | string }>;
      if (rows.length === 0) break;
      const memberIds = rows.map((row) => Number(row.member));
      after = memberIds.at(-1)!;
      await withTransaction(this.deps.sequelize, async (transaction) => {
        const lots = await PointLot.findAll({ where: { ...soon, memberId: memberIds }, transaction, lock: transaction.LOCK.UPDATE });
        for (const [memberId, own] of groupBy(lots, (lot) => lot.memberId)) {
          const points = own.reduce((sum, lot) => sum + lot.remaining, 0);
          const expiresAt = earliest(own);
          await this.deps.events.emit(
            { type: 'points.expiring', entityType: 'member', entityId: memberId, memberId, payload: { memberId, points, expiresAt: expiresAt.toISOString() }, at: now },
            transaction,
          );
          totals.members += 1;
          totals.points += points;
        }
        totals.lots += lots.length;
        if (lots.length > 0) await PointLot.update({ expiryNotifiedAt: now }, { where: { id: lots.map((lot) => lot.id) }, transaction });
      });
    }
    return totals;
  }
}

function earliest(lots: readonly PointLotRecord[]): Date {
  return lots.reduce((min, lot) => (lot.expiresAt! < min ? lot.expiresAt! : min), lots[0].expiresAt!);
}
