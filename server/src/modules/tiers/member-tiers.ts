import { Op, type Sequelize } from 'sequelize';
import { withTransaction } from '../../platform/db/transaction.js';
import { AppError } from '../../platform/errors/app-error.js';
import { currentRequestContext } from '../../platform/http/request-context.js';
import type { Principal } from '../../platform/http/route.js';
import { invalidFields } from '../../platform/http/validation.js';
import type { MemberService } from '../members/service.js';
import type { StaffService } from '../staff/service.js';
import type { TierCatalogStore } from './catalog.js';
import type { TierChanges } from './changes.js';
import { explainTexts, joinTexts } from './explain-text.js';
import type { TierMetrics } from './metrics.js';
import type { TierBasis } from './settings.js';
import type { TierHistoryRecord, TierModels, TierRecord } from './models.js';
import { addDays, downgradeTarget, endOfBusinessDay, entryWindow, lastDayBefore, levelOf, periodStart, type TierLevel } from './rules.js';
import type { ManualTierBody } from './schemas.js';

export interface MemberTiersDeps {
  sequelize: Sequelize;
  models: TierModels;
  catalog: TierCatalogStore;
  metrics: TierMetrics;
  changes: TierChanges;
  members: MemberService;
  staff: StaffService;
  timeZone: string;
}

const ref = (tier: Pick<TierLevel, 'id' | 'level' | 'name' | 'color'>) => ({ id: tier.id, level: tier.level, name: tier.name, color: tier.color });

/**
 * One member's tier as staff see it: where they stand and why (the explanation), the
 * history of changes, and the manual change. Every read and write is within the caller's
 * stores; a member out of reach reads as missing.
 */
export class MemberTiers {
  constructor(private readonly deps: MemberTiersDeps) {}

  async explain(principal: Principal, memberId: number, now = new Date()) {
    const { catalog: store, metrics, timeZone: tz } = this.deps;
    const member = await this.deps.members.findInScope(principal, memberId);
    const { levels, settings } = await store.get();
    const row = await this.deps.models.MemberTier.findByPk(memberId);
    const current = levelOf(levels, member.tierId);
    const index = levels.findIndex((l) => l.id === current.id);
    const window = entryWindow(settings, now, tz);
    const metric = await metrics.forMember(memberId, settings, window);
    const upper = levels[index + 1];
    const next = upper ? { tier: ref(upper), threshold: upper.entryThreshold, missing: Math.max(0, upper.entryThreshold - metric) } : null;
    const manual = row?.manual ? { until: row.manualUntil ? lastDayBefore(row.manualUntil, tz) : null, reason: row.manualReason } : null;
    const reviewAt = row && !row.manual && row.tierId === current.id ? row.reviewAt : null;
    let retention = null;
    let keep: Parameters<typeof explainTexts>[0]['keep'] = null;
    if (!manual && index > 0 && current.retentionThreshold === null) keep = { forLife: true };
    if (!manual && reviewAt && current.retentionThreshold !== null) {
      const periodFrom = periodStart(reviewAt, settings.retentionMonths, tz);
      const kept = await metrics.forMember(memberId, settings, { from: periodFrom, to: now });
      const inGrace = now >= reviewAt;
      const by = lastDayBefore(inGrace ? addDays(reviewAt, settings.graceDays) : reviewAt, tz);
      const missing = Math.max(0, current.retentionThreshold - kept);
      retention = { threshold: current.retentionThreshold, metric: kept, missing, by, periodFrom };
      const down = downgradeTarget(levels, current, settings.downgrade);
      keep = { forLife: false, missing, by, reviewDate: lastDayBefore(reviewAt, tz), inGrace, downTo: down.id === current.id ? null : down.name };
    }
    const texts = explainTexts({ tier: current.name, basis: settings.basis, window: settings.window, metric, manual, next: next && { name: next.tier.name, missing: next.missing }, keep });
    return {
      memberId,
      tier: { ...ref(current), discountRate: current.discountRate, pointsMultiplierPct: current.pointsMultiplierPct, perks: current.perks },
      since: row && row.tierId === current.id ? row.since : null,
      reviewAt,
      reviewDate: reviewAt ? lastDayBefore(reviewAt, tz) : null,
      graceUntil: reviewAt && settings.graceDays > 0 ? addDays(reviewAt, settings.graceDays) : null,
      manual: Boolean(manual),
      manualUntil: row?.manual ? row.manualUntil : null,
      manualReason: row?.manual ? row.manualReason : null,
      basis: settings.basis,
      metric,
      windowFrom: window.from,
      windowTo: window.to,
      retention,
      next,
      explanation: joinTexts(texts, currentRequestContext()?.locale === 'en' ? 'en' : 'zh-CN'),
      texts,
    };
  }

  /** A member's tier changes, newest first, keyset-paged by id, with the names of levels and operators. */
  async history(principal: Principal, memberId: number, query: { cursor?: number; limit: number }) {
    await this.deps.members.findInScope(principal, memberId);
    const rows = await this.deps.models.TierHistory.findAll({
      where: { memberId, ...(query.cursor ? { id: { [Op.lt]: query.cursor } } : {}) },
      order: [['id', 'DESC']],
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const [tiers, operators] = await Promise.all([this.deps.catalog.allById(), this.deps.staff.displayNames(page.map((r) => r.operatorId ?? 0))]);
    return { items: page.map((row) => historyView(row, tiers, operators)), nextCursor: rows.length > query.limit ? String(page.at(-1)!.id) : null };
  }

  /**
   * Sets a member's tier by hand, with a reason and an optional last day. A manual tier is
   * not reviewed and not moved down by rule changes until it expires; a member who earns a
   * higher level still moves up (and the manual mark ends).
   */
  async adjust(principal: Principal, memberId: number, body: ManualTierBody, now = new Date()) {
    const { catalog, timeZone: tz } = this.deps;
    const { levels, settings } = await catalog.load();
    const target = levels.find((l) => l.id === body.tierId);
    if (!target) throw new AppError('TIER_NOT_FOUND', { params: { id: body.tierId } });
    const until = body.until ? endOfBusinessDay(body.until, tz) : null;
    if (until && until <= now) throw invalidFields([{ path: 'until', code: 'too_small', zh: '到期日不能早于今天', en: 'The last day cannot be before today' }]);
    await withTransaction(this.deps.sequelize, async (transaction) => {
      const member = await this.deps.members.lockForBalance(principal, memberId, transaction);
      const row = await this.deps.models.MemberTier.findByPk(memberId, { transaction, lock: transaction.LOCK.UPDATE });
      const from = levelOf(levels, member.tierId);
      const window = entryWindow(settings, now, tz);
      const metric = await this.deps.metrics.forMember(memberId, settings, window, transaction);
      const untilText = until ? `，至 ${body.until}` : '，长期';
      await this.deps.changes.apply(
        {
          member,
          from,
          to: target,
          direction: 'manual',
          reason: 'manual',
          state: { since: row && row.tierId === target.id ? row.since : now, reviewAt: null, manual: true, manualUntil: until, manualReason: body.reason },
          basis: settings.basis,
          metric,
          threshold: null,
          window,
          operatorId: principal.kind === 'user' ? principal.userId : null,
          note: `${body.reason}${untilText}`,
          at: now,
          action: 'tier.adjust',
        },
        transaction,
      );
    });
    return this.explain(principal, memberId);
  }
}

function historyView(row: TierHistoryRecord, tiers: Map<number, TierRecord>, operators: Map<number, string>) {
  const tierRef = (id: number | null) => {
    const tier = id === null ? undefined : tiers.get(id);
    return tier ? ref(tier) : null;
  };
  return {
    id: row.id,
    memberId: row.memberId,
    from: tierRef(row.fromTierId),
    to: tierRef(row.toTierId),
    direction: row.direction,
    reason: row.reason,
    orderId: row.orderId,
    basis: row.basis as TierBasis | null,
    metric: row.metric,
    threshold: row.threshold,
    windowFrom: row.windowFrom,
    windowTo: row.windowTo,
    operatorId: row.operatorId,
    operatorName: row.operatorId ? (operators.get(row.operatorId) ?? null) : null,
    note: row.note,
    at: row.at,
  };
}
