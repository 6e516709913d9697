import type { Sequelize } from 'sequelize';
import { readTime, selectRows, type SqlValue } from '../../platform/db/raw-sql.js';
import { withTransaction } from '../../platform/db/transaction.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { DomainEvents } from '../events/outbox.js';
import type { AuditService } from '../audit/service.js';
import type { MemberService } from '../members/service.js';
import type { TierBulkChanges } from './bulk-changes.js';
import { directionOf, memberEvent, type TierChange, type TierChanges } from './changes.js';
import type { TierMetrics } from './metrics.js';
import type { TierModels } from './models.js';
import { addDays, downgradeTarget, earnedLevel, entryWindow, lastDayBefore, levelOf, metricText, nextReview, periodStart, reachedState, type TierCatalog } from './rules.js';
import { REVIEW_ACTOR } from './system.js';

export interface TierReviewDeps {
  sequelize: Sequelize;
  models: TierModels;
  metrics: TierMetrics;
  changes: TierChanges;
  bulk: TierBulkChanges;
  members: MemberService;
  audit: AuditService;
  events: DomainEvents;
  timeZone: string;
}

/** Members per page: one metric query per review date, one transaction, one audit record. */
const PAGE = 200;

export interface ReviewTotals {
  manualExpired: number;
  warned: number;
  renewed: number;
  downgraded: number;
  /** Missed the threshold, still within the grace days. */
  inGrace: number;
}

interface DueRow {
  memberId: number;
  tierId: number;
  reviewAt: Date;
}

interface PageRow {
  member_id: number | string;
  tier_id: number | string;
  review_at: unknown;
  at: unknown;
}

const BASIS_WORDS = { spend: '消费', points: '积分', growth: '成长值' } as const;

/**
 * The nightly review at `now` (the job's clock; tests pass theirs), in this order:
 * 1. manual tiers past their last day are placed by the metric again ('manual_expired');
 * 2. members short of their retention threshold within `warnDays` of the review date
 *    hear about it once per period (`tier.downgrade_warning`, warned_at);
 * 3. members at their review date: the metric over the period (the grace days included)
 *    meets the retention threshold -> renewed for another period (stored on member_tiers,
 *    no history row: the level did not change); else, once the grace days are over,
 *    moved down (one level or to the base) with a history row carrying the numbers.
 * Manual tiers are never reviewed. Steps 2 and 3 go a page of members at a time (a year
 * after tiers start, every member placed that day is due on one night).
 */
export class TierReview {
  constructor(private readonly deps: TierReviewDeps) {}

  async run(catalog: TierCatalog, now: Date, progress?: () => Promise<void>): Promise<ReviewTotals> {
    const totals: ReviewTotals = { manualExpired: 0, warned: 0, renewed: 0, downgraded: 0, inGrace: 0 };
    if (catalog.levels.length === 0) return totals;
    const { warnDays, graceDays } = catalog.settings;
    await this.pages('manual_until', 'mt.manual = $1 AND mt.manual_until <= $2', [true, now], async (rows) => {
      for (const row of rows) if (await this.expireManual(row.memberId, catalog, now)) totals.manualExpired += 1;
      await progress?.();
    });
    if (warnDays > 0) {
      await this.pages('review_at', 'mt.manual = $1 AND mt.warned_at IS NULL AND mt.review_at <= $2 AND mt.review_at > $3', [false, addDays(now, warnDays), addDays(now, -graceDays)], async (rows) => {
        totals.warned += await this.warn(rows, catalog, now);
        await progress?.();
      });
    }
    await this.pages('review_at', 'mt.manual = $1 AND mt.review_at <= $2', [false, now], async (rows) => {
      await this.review(rows, catalog, now, totals);
      await progress?.();
    });
    return totals;
  }

  /**
   * Pages placed members (erased ones aside) matching `where`, keyset on (`on`, member_id):
   * the order of the index on `on`, so each page reads only its own rows however many
   * members fall due on one night.
   */
  private async pages(on: 'review_at' | 'manual_until', where: string, values: SqlValue[], handle: (rows: DueRow[]) => Promise<void>): Promise<void> {
    let after: { at: Date; id: number } | null = null;
    for (;;) {
      const bind = [...values];
      const keyset: string = after ? ` AND (mt.${on} > $${bind.push(after.at)} OR (mt.${on} = $${bind.push(after.at)} AND mt.member_id > $${bind.push(after.id)}))` : '';
      const page: PageRow[] = await selectRows<PageRow>(
        this.deps.sequelize,
        `SELECT mt.member_id, mt.tier_id, mt.review_at, mt.${on} AS at FROM member_tiers mt JOIN members m ON m.id = mt.member_id WHERE ${where}${keyset} AND m.status <> 'erased' ORDER BY mt.${on}, mt.member_id LIMIT ${PAGE}`,
        bind,
        undefined,
      );
      if (page.length === 0) return;
      await handle(page.map((row) => ({ memberId: Number(row.member_id), tierId: Number(row.tier_id), reviewAt: readTime(row.review_at)! })));
      if (page.length < PAGE) return;
      const last: PageRow = page.at(-1)!;
      after = { at: readTime(last.at)!, id: Number(last.member_id) };
    }
  }

  /** Each member's metric over the retention period ending at their review date, up to `now`. */
  private async periodMetrics(rows: readonly DueRow[], catalog: TierCatalog, now: Date): Promise<Map<number, number>> {
    const metrics = new Map<number, number>();
    for (const [at, group] of groupBy(rows, (row) => row.reviewAt.getTime())) {
      const from = periodStart(new Date(at), catalog.settings.retentionMonths, this.deps.timeZone);
      for (const [id, value] of await this.deps.metrics.forMembers(group.map((r) => r.memberId), catalog.settings, { from, to: now })) metrics.set(id, value);
    }
    return metrics;
  }

  private async expireManual(memberId: number, catalog: TierCatalog, now: Date): Promise<boolean> {
    const { levels, settings } = catalog;
    const tz = this.deps.timeZone;
    try {
      return await withTransaction(this.deps.sequelize, async (transaction) => {
        const member = await this.deps.members.lockForReversal(memberId, transaction);
        const row = await this.deps.models.MemberTier.findByPk(memberId, { transaction, lock: transaction.LOCK.UPDATE });
        // Read again under the lock: someone may have changed it by hand meanwhile.
        if (member.status === 'erased' || !row || !row.manual || !row.manualUntil || row.manualUntil > now) return false;
        const window = entryWindow(settings, now, tz);
        const metric = await this.deps.metrics.forMember(memberId, settings, window, transaction);
        const from = levelOf(levels, row.tierId);
        const to = earnedLevel(levels, metric);
        await this.deps.changes.apply(
          {
            member,
            from,
            to,
            direction: directionOf(from, to),
            reason: 'manual_expired',
            state: reachedState(catalog, to, now, tz),
            basis: settings.basis,
            metric,
            threshold: to.entryThreshold,
            window,
            note: `手动等级「${from.name}」已于 ${lastDayBefore(row.manualUntil, tz)} 到期，按${BASIS_WORDS[settings.basis]}重新评定`,
            at: now,
            actor: REVIEW_ACTOR,
          },
          transaction,
        );
        return true;
      });
    } catch (error) {
      if (error instanceof AppError && error.code === 'MEMBER_NOT_FOUND') return false;
      throw error;
    }
  }

  /** One warning per period to each member short of the threshold; answers how many were warned. */
  private async warn(rows: readonly DueRow[], catalog: TierCatalog, now: Date): Promise<number> {
    const { levels, settings } = catalog;
    const tz = this.deps.timeZone;
    const metrics = await this.periodMetrics(rows, catalog, now);
    const short = rows.filter((row) => {
      const level = levels.find((l) => l.id === row.tierId);
      return level && level.retentionThreshold !== null && metrics.get(row.memberId)! < level.retentionThreshold;
    });
    if (short.length === 0) return 0;
    return withTransaction(this.deps.sequelize, async (transaction) => {
      // Only rows still as read and not yet warned: a second run (or node) warns no one twice.
      const fresh = await this.deps.models.MemberTier.findAll({ where: { memberId: short.map((r) => r.memberId), warnedAt: null, manual: false }, transaction, lock: transaction.LOCK.UPDATE });
      const due = short.filter((row) => fresh.some((f) => f.memberId === row.memberId && f.tierId === row.tierId && f.reviewAt?.getTime() === row.reviewAt.getTime()));
      if (due.length === 0) return 0;
      await this.deps.models.MemberTier.update({ warnedAt: now }, { where: { memberId: due.map((r) => r.memberId) }, transaction });
      const warnings = due.map((row) => {
        const level = levels.find((l) => l.id === row.tierId)!;
        const threshold = level.retentionThreshold!;
        const metric = metrics.get(row.memberId)!;
        const target = downgradeTarget(levels, level, settings.downgrade);
        const payload = {
          memberId: row.memberId,
          tierId: level.id,
          tier: level.name,
          reviewAt: row.reviewAt.toISOString(),
          reviewDate: lastDayBefore(row.reviewAt, tz),
          downgradeBy: lastDayBefore(addDays(row.reviewAt, settings.graceDays), tz),
          basis: settings.basis,
          metric,
          threshold,
          missing: threshold - metric,
          missingText: metricText(settings.basis, threshold - metric),
          downgradeToTierId: target.id,
          downgradeTo: target.name,
        };
        return memberEvent('tier.downgrade_warning', row.memberId, payload, now);
      });
      await this.deps.events.emitMany(warnings, transaction);
      await this.deps.audit.record(
        { action: 'tier.warn', entityType: 'member_tiers', summary: `等级降级提醒 ${due.length} 人`, diff: { members: due.map((r) => ({ memberId: r.memberId, tierId: r.tierId, metric: metrics.get(r.memberId) })) }, actor: REVIEW_ACTOR },
        { transaction },
      );
      return due.length;
    });
  }

  /** One page of members at their review date: renewed, left in grace, or moved down. */
  private async review(rows: readonly DueRow[], catalog: TierCatalog, now: Date, totals: ReviewTotals): Promise<void> {
    const { levels, settings } = catalog;
    const tz = this.deps.timeZone;
    const metrics = await this.periodMetrics(rows, catalog, now);
    // Time zone arithmetic is slow and a page mostly shares a few review dates: reckoned once each.
    const clocks = memo((reviewAt: number) => {
      let next = nextReview(new Date(reviewAt), settings.retentionMonths, tz);
      while (next <= now) next = nextReview(next, settings.retentionMonths, tz);
      return { periodFrom: periodStart(new Date(reviewAt), settings.retentionMonths, tz), reviewDate: lastDayBefore(new Date(reviewAt), tz), next, nextDate: lastDayBefore(next, tz) };
    });
    const reached = memo((levelId: number) => reachedState(catalog, levels.find((l) => l.id === levelId)!, now, tz));
    await withTransaction(this.deps.sequelize, async (transaction) => {
      const ids = rows.map((r) => r.memberId);
      // Members first, as every checkout locks them, then their tier rows, read again under the lock.
      await this.deps.members.lockForBulk(ids, transaction);
      const fresh = new Map((await this.deps.models.MemberTier.findAll({ where: { memberId: ids }, transaction, lock: transaction.LOCK.UPDATE })).map((r) => [r.memberId, r]));
      const renewals: Array<{ memberId: number; next: Date }> = [];
      const lifelong: number[] = [];
      const downs: TierChange[] = [];
      const renewed: Array<Record<string, unknown>> = [];
      for (const row of rows) {
        const current = fresh.get(row.memberId);
        if (!current || current.manual || current.tierId !== row.tierId || current.reviewAt?.getTime() !== row.reviewAt.getTime()) continue;
        const level = levels.find((l) => l.id === row.tierId);
        if (!level || level.retentionThreshold === null || level.id === levels[0].id) {
          // Kept for life now (or a level a publish retired and moved its members from): nothing to review.
          lifelong.push(row.memberId);
          continue;
        }
        const threshold = level.retentionThreshold;
        const metric = metrics.get(row.memberId)!;
        const clock = clocks(row.reviewAt.getTime());
        if (metric >= threshold) {
          renewals.push({ memberId: row.memberId, next: clock.next });
          renewed.push({ memberId: row.memberId, tier: level.name, metric, threshold, nextReviewDate: clock.nextDate });
        } else if (now < addDays(row.reviewAt, settings.graceDays)) {
          totals.inGrace += 1;
        } else {
          const to = downgradeTarget(levels, level, settings.downgrade);
          downs.push({
            member: { id: row.memberId, cardNo: null, homeStoreId: 0 },
            from: level,
            to,
            direction: 'down',
            reason: 'retention',
            state: reached(to.id),
            basis: settings.basis,
            metric,
            threshold,
            window: { from: clock.periodFrom, to: now },
            note: `保级考核（${clock.reviewDate}${settings.graceDays > 0 ? `，宽限 ${settings.graceDays} 天` : ''}）未达标：${metricText(settings.basis, metric).zh} < ${metricText(settings.basis, threshold).zh}`,
            at: now,
          });
        }
      }
      for (const [next, group] of groupBy(renewals, (r) => r.next.getTime())) {
        await this.deps.models.MemberTier.update({ reviewAt: new Date(next), renewedAt: now, warnedAt: null, updatedAt: now }, { where: { memberId: group.map((r) => r.memberId) }, transaction });
      }
      if (lifelong.length > 0) await this.deps.models.MemberTier.update({ reviewAt: null, warnedAt: null, updatedAt: now }, { where: { memberId: lifelong }, transaction });
      await this.deps.bulk.write(downs, transaction);
      totals.renewed += renewed.length;
      totals.downgraded += downs.length;
      if (renewed.length + downs.length === 0) return;
      await this.deps.audit.record(
        {
          action: 'tier.review',
          entityType: 'member_tiers',
          summary: `会员等级保级考核：续期 ${renewed.length} 人，降级 ${downs.length} 人${downs.length ? `（${summarize(downs)}）` : ''}`,
          diff: {
            renewed,
            downgraded: downs.map((c) => ({ memberId: c.member.id, from: c.from.name, to: c.to.name, metric: c.metric, threshold: c.threshold })),
          },
          actor: REVIEW_ACTOR,
        },
        { transaction },
      );
    });
  }
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

function memo<K, V>(compute: (key: K) => V): (key: K) => V {
  const cache = new Map<K, V>();
  return (key) => {
    if (!cache.has(key)) cache.set(key, compute(key));
    return cache.get(key)!;
  };
}

/** "金卡→银卡 12 人，钻石→金卡 3 人". */
function summarize(changes: readonly TierChange[]): string {
  const counts = new Map<string, number>();
  for (const c of changes) counts.set(`${c.from.name}→${c.to.name}`, (counts.get(`${c.from.name}→${c.to.name}`) ?? 0) + 1);
  return [...counts].map(([move, n]) => `${move} ${n} 人`).join('，');
}
