import type { Sequelize, Transaction } from 'sequelize';
import { withTransaction } from '../../platform/db/transaction.js';
import { selectRows, type SqlValue } from '../../platform/db/raw-sql.js';
import { AppError } from '../../platform/errors/app-error.js';
import { currentRequestContext } from '../../platform/http/request-context.js';
import type { Principal } from '../../platform/http/route.js';
import { changedFields } from '../audit/changes.js';
import type { AuditService } from '../audit/service.js';
import type { TemplateLike, TierCoupons } from './benefits.js';
import { levelTerms, type TierCatalogStore } from './catalog.js';
import type { TierMetrics } from './metrics.js';
import type { TierModels } from './models.js';
import { walkPlacements, type RuleMove } from './placement-walk.js';
import type { LevelCounts, PlacementTotals, ProposedLevel } from './placement.js';
import type { TierBulkChanges } from './bulk-changes.js';
import type { TierChange } from './changes.js';
import { entryWindow, reachedState, type TierCatalog, type TierLevel } from './rules.js';
import type { TierConfigBody } from './schemas.js';
import type { TierSettings, TierSettingsStore } from './settings.js';


export interface TierConfigDeps {
  sequelize: Sequelize;
  models: TierModels;
  catalog: TierCatalogStore;
  settings: TierSettingsStore;
  metrics: TierMetrics;
  bulk: TierBulkChanges;
  audit: AuditService;
  timeZone: string;
  /** The coupons module's side (templates a level names as gifts); null when it is not there. */
  coupons: () => TierCoupons | null;
}

export interface SimulationResult {
  levels: LevelCounts[];
  totals: PlacementTotals;
  notes: { zh: string; en: string };
}

/** Moves written per statement batch. */
const WRITE_PAGE = 1_000;

interface RuleError {
  path: string;
  code: string;
  zh: string;
  en: string;
}

/** TIER_RULES_INVALID with each broken rule on its field, as the settings page places errors. */
function refuse(errors: readonly RuleError[]): void {
  if (errors.length === 0) return;
  const locale = currentRequestContext()?.locale === 'en' ? 'en' : 'zh';
  throw new AppError('TIER_RULES_INVALID', {
    params: { reason: { zh: errors.map((e) => e.zh).join('；'), en: errors.map((e) => e.en).join('; ') } },
    details: { fields: errors.map((e) => ({ path: e.path, code: e.code, message: e[locale] })) },
  });
}

const NOTES = {
  zh: '规则变更不会让任何会员立即降级：未达到新门槛的会员保留当前等级，到保级考核日按新规则评定；达到更高等级门槛的会员立即升级；被删除等级的会员按新规则重新定级。手动等级在到期前保留（除非达到更高等级）。',
  en: 'A rule change moves no one down at once: members below their level\'s new threshold keep it until their review date, where the new rules apply; members who meet a higher level move up now; members of a removed level are placed by the new rules. Manual tiers stay until they expire (unless a higher level is earned).',
};

/** One member's move under a published rule change, as a history row tells it. */
function ruleChange(move: RuleMove, catalog: TierCatalog, context: { now: Date; operatorId: number | null; window: { from: Date | null; to: Date }; states: ReadonlyArray<TierChange['state']> }): TierChange {
  const to = catalog.levels[move.placement.to];
  return {
    member: { id: move.memberId, cardNo: null, homeStoreId: 0 },
    from: move.from,
    to,
    direction: move.placement.direction ?? 'up',
    reason: 'rule_change',
    state: context.states[move.placement.to],
    basis: catalog.settings.basis,
    metric: move.metric,
    threshold: to.entryThreshold,
    window: context.window,
    operatorId: context.operatorId,
    note: move.placement.from === null ? `原等级「${move.from.name}」已删除` : null,
    at: context.now,
  };
}

/** The levels and rules as the settings page edits them; `id` null for a new level. */
function proposedOf(body: TierConfigBody): ProposedLevel[] {
  return body.tiers.map((tier, i) => ({ id: tier.id ?? null, level: i + 1, ...levelTerms(tier) }));
}

/** The published set as `settings.*` and `tiers.<id>` paths, for an audit diff. */
function flatten(catalog: { levels: readonly ProposedLevel[]; settings: TierSettings }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(catalog.settings)) out[`settings.${key}`] = value;
  for (const level of catalog.levels) {
    const { id, ...rest } = level;
    out[`tiers.${id ?? `new:${level.name}`}`] = rest;
  }
  return out;
}

/**
 * Tier configuration: reading it, simulating a change on every member, and publishing
 * it. Publishing is one transaction: the rules and levels are written, then every member
 * is placed page by page by the same walk the simulation runs, and the moves are written
 * (history rows with reason rule_change). What it returns as applied is what it counted.
 */
export class TierConfigService {
  constructor(private readonly deps: TierConfigDeps) {}

  async view(principal: Principal) {
    const catalog = await this.deps.catalog.load();
    return { tiers: await this.withCounts(principal, catalog), settings: catalog.settings };
  }

  async simulate(body: TierConfigBody, now = new Date()): Promise<SimulationResult> {
    const proposed = proposedOf(body);
    await this.checkTemplates(proposed);
    const old = await this.deps.catalog.load();
    this.checkIds(proposed, old);
    const tally = await walkPlacements(this.deps.sequelize, this.deps.metrics, { proposed, oldLevels: old.levels, settings: body.settings, now, timeZone: this.deps.timeZone });
    return { ...tally.result(), notes: NOTES };
  }

  /**
   * Lock order, as every checkout's: members first (the walk locks each page), the level
   * rows after. A checkout holding a member while it upgrades needs the level row it
   * names; writing the levels before the members would have the two wait on each other.
   */
  async publish(principal: Principal, body: TierConfigBody, now = new Date()) {
    const { sequelize, audit } = this.deps;
    const draft = proposedOf(body);
    // Read before the transaction: on MySQL a second pooled connection inside it could wait on it.
    await this.checkTemplates(draft);
    const operatorId = principal.kind === 'user' ? principal.userId : null;
    const result = await withTransaction(sequelize, async (transaction) => {
      const old = await this.deps.catalog.load(transaction);
      this.checkIds(draft, old);
      // The settings row first: a second publish waits here for this one.
      await this.deps.settings.write(body.settings, operatorId, transaction);
      const moves: RuleMove[] = [];
      const tally = await walkPlacements(
        sequelize,
        this.deps.metrics,
        { proposed: draft, oldLevels: old.levels, settings: body.settings, now, timeZone: this.deps.timeZone },
        { transaction, lock: true, onMoves: async (page) => void moves.push(...page) },
      );
      const proposed = await this.writeLevels(draft, old, now, transaction);
      tally.named(proposed.map((level) => level.id));
      const next: TierCatalog = { levels: proposed as TierLevel[], settings: body.settings };
      const window = entryWindow(body.settings, now, this.deps.timeZone);
      // Every member reaching a level now gets the same clock: reckoned once per level (time zone arithmetic is slow).
      const states = next.levels.map((level) => reachedState(next, level, now, this.deps.timeZone));
      for (let i = 0; i < moves.length; i += WRITE_PAGE) {
        const changes = moves.slice(i, i + WRITE_PAGE).map((move) => ruleChange(move, next, { now, operatorId, window, states }));
        await this.deps.bulk.write(changes, transaction);
      }
      const applied = tally.result();
      const before = flatten(old);
      const after = flatten({ levels: proposed, settings: body.settings });
      const diff = changedFields(before, after, [...new Set([...Object.keys(before), ...Object.keys(after)])]);
      const t = applied.totals;
      await audit.record(
        {
          action: 'tier.rules.publish',
          entityType: 'loyalty_settings',
          entityId: 'tiers',
          summary: `发布会员等级规则（${proposed.map((l) => l.name).join(' < ')}）：升级 ${t.up} 人，降级 ${t.down} 人，未变 ${t.unchanged} 人`,
          diff: { changes: diff, applied: t },
        },
        { transaction },
      );
      transaction.afterCommit(() => this.deps.catalog.forget());
      return { applied: { ...applied, notes: NOTES } };
    });
    return { ...(await this.view(principal)), applied: result.applied };
  }

  /** Ids of levels that exist: TIER_RULES_INVALID naming each that does not. */
  private checkIds(proposed: readonly ProposedLevel[], old: TierCatalog): void {
    const known = new Set(old.levels.map((l) => l.id));
    const errors: RuleError[] = [];
    proposed.forEach((level, i) => {
      if (level.id !== null && !known.has(level.id)) errors.push({ path: `tiers.${i}.id`, code: 'not_found', zh: `等级 ${level.id} 不存在或已删除`, en: `Level ${level.id} does not exist or was removed` });
    });
    refuse(errors);
  }

  /** Coupon templates a level names as gifts must exist and not have ended. */
  private async checkTemplates(proposed: readonly ProposedLevel[]): Promise<void> {
    const coupons = this.deps.coupons();
    const wanted = [...new Set(proposed.flatMap((l) => [l.birthdayTemplateId, l.monthlyTemplateId]).filter((id): id is number => id !== null))];
    if (wanted.length === 0 || !coupons) return;
    const found = new Map<number, TemplateLike | null>();
    for (const id of wanted) {
      found.set(
        id,
        await coupons.find(id).catch((error: unknown) => {
          if (error instanceof AppError && error.code === 'COUPON_TEMPLATE_NOT_FOUND') return null;
          throw error;
        }),
      );
    }
    const errors: RuleError[] = [];
    proposed.forEach((level, i) => {
      for (const key of ['birthdayTemplateId', 'monthlyTemplateId'] as const) {
        const id = level[key];
        const template = id === null ? undefined : found.get(id);
        if (template === null) errors.push({ path: `tiers.${i}.${key}`, code: 'not_found', zh: `券模板 ${id} 不存在`, en: `Coupon template ${id} does not exist` });
        else if (template?.status === 'ended') errors.push({ path: `tiers.${i}.${key}`, code: 'ended', zh: `券模板「${template.name}」已结束，不能作为等级礼券`, en: `Coupon template "${template.name}" has ended and cannot be a tier gift` });
      }
    });
    refuse(errors);
  }

  /** Updates kept levels, creates new ones, retires removed ones; answers the set with real ids. */
  private async writeLevels(draft: readonly ProposedLevel[], old: TierCatalog, now: Date, transaction: Transaction): Promise<ProposedLevel[]> {
    const { Tier } = this.deps.models;
    const keep = new Set(draft.flatMap((l) => (l.id === null ? [] : [l.id])));
    const removed = old.levels.filter((l) => !keep.has(l.id));
    if (removed.length > 0) await Tier.update({ status: 'retired', updatedAt: now }, { where: { id: removed.map((l) => l.id) }, transaction });
    const out: ProposedLevel[] = [];
    for (const level of draft) {
      const { id, ...fields } = level;
      if (id === null) {
        const created = await Tier.create({ ...fields, status: 'active', createdAt: now, updatedAt: now }, { transaction });
        out.push({ ...level, id: created.id });
      } else {
        await Tier.update({ ...fields, updatedAt: now }, { where: { id }, transaction });
        out.push(level);
      }
    }
    return out;
  }

  /**
   * Members per level now, among those the caller may reach (a store manager counts their
   * stores'); never-placed members and stale ids count at the base.
   */
  private async withCounts(principal: Principal, catalog: TierCatalog, transaction?: Transaction) {
    const bind: SqlValue[] = [];
    let scope = '';
    if (principal.storeScope !== null) scope += principal.storeScope.length ? ` AND home_store_id IN (${principal.storeScope.map((id) => `$${bind.push(id)}`).join(',')})` : ' AND 1 = 0';
    if (principal.ownMembersOnly) scope += ` AND manager_id = $${bind.push(principal.userId)}`;
    const rows = await selectRows<{ tier_id: number | string | null; n: number | string }>(
      this.deps.sequelize,
      `SELECT tier_id, COUNT(*) AS n FROM members WHERE status <> 'erased'${scope} GROUP BY tier_id`,
      bind,
      transaction,
    );
    const counts = new Map<number, number>();
    const base = catalog.levels[0]?.id;
    for (const row of rows) {
      const id = row.tier_id !== null && catalog.levels.some((l) => l.id === Number(row.tier_id)) ? Number(row.tier_id) : base;
      if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + Number(row.n));
    }
    return catalog.levels.map((level) => ({ ...level, memberCount: counts.get(level.id) ?? 0 }));
  }
}
