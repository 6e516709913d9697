import { Op, literal, type Sequelize, type Transaction } from 'sequelize';
import { withTransaction } from '../../platform/db/transaction.js';
import { insufficientBalance } from '../loyalty/insufficient.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { Idempotency } from '../../platform/http/idempotency.js';
import type { Principal } from '../../platform/http/route.js';
import { startOfBusinessDay, startOfNextBusinessDay } from '../../platform/time/business-day.js';
import { zonedClock } from '../../platform/time/zoned-clock.js';
import { changedFields } from '../audit/changes.js';
import type { AuditService } from '../audit/service.js';
import type { MemberService } from '../members/service.js';
import type { PointsExpiry } from './expiry.js';
import type { PointsLedger } from './ledger.js';
import type { PointLedgerRecord, PointModels } from './models.js';
import { expiryFor, type PointsEvent, type PointsSettings, type PointsSettingsStore } from './settings.js';

export interface PointsServiceDeps {
  sequelize: Sequelize;
  models: PointModels;
  ledger: PointsLedger;
  settings: PointsSettingsStore;
  expiry: PointsExpiry;
  members: MemberService;
  audit: AuditService;
  /** Adjustments and event grants are at most once per Idempotency-Key (an API retrying a referral). */
  idempotency: Idempotency;
  businessTimezone: string;
}

const EVENT_LABELS: Record<PointsEvent, { zh: string; en: string }> = {
  sign_in: { zh: '签到', en: 'sign-in' },
  profile_completed: { zh: '完善资料', en: 'profile completed' },
  referral: { zh: '推荐新会员', en: 'referral' },
};

const DAY_MS = 86_400_000;

/** The settings document as `earn.pointsPerYuan`-style paths, for an audit diff. */
function flatten(value: unknown, prefix = ''): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { [prefix]: value };
  return Object.assign({}, ...Object.entries(value).map(([key, inner]) => flatten(inner, prefix ? `${prefix}.${key}` : key))) as Record<string, unknown>;
}

/** Who moved the points: a staff user, or nobody named (an API key, the system). */
function operatorOf(principal: Principal): number | null {
  return principal.kind === 'user' ? principal.userId : null;
}

/** Where: the caller's store when it has exactly one; head-office work names none. */
function storeOf(principal: Principal): number | null {
  return principal.storeScope?.length === 1 ? principal.storeScope[0] : null;
}

/**
 * Points as staff and API clients see them: settings, a member's ledger and lots, hand
 * adjustments, event grants, and the expiry job's two steps. Balance changes go through
 * the PointsLedger under the member's row lock, in one transaction with their audit record.
 */
export class PointsService {
  readonly ledger: PointsLedger;
  readonly settings: PointsSettingsStore;

  constructor(private readonly deps: PointsServiceDeps) {
    this.ledger = deps.ledger;
    this.settings = deps.settings;
  }

  readSettings(): Promise<PointsSettings> {
    return this.settings.read();
  }

  async updateSettings(principal: Principal, value: PointsSettings): Promise<PointsSettings> {
    return withTransaction(this.deps.sequelize, async (transaction) => {
      const before = flatten(await this.settings.read(transaction));
      const after = flatten(value);
      await this.settings.write(value, operatorOf(principal), transaction);
      const diff = changedFields(before, after, [...new Set([...Object.keys(before), ...Object.keys(after)])]);
      await this.deps.audit.record({
        action: 'points.settings.update',
        entityType: 'loyalty_settings',
        entityId: 'points',
        summary: diff.length ? `修改积分规则：${diff.map((d) => d.field).join('、')}` : '保存积分规则（无变化）',
        diff,
      });
      return value;
    });
  }

  /** A member's ledger, newest first, keyset-paged by id. */
  async ledgerPage(principal: Principal, memberId: number, query: { cursor?: number; limit: number }) {
    await this.deps.members.findInScope(principal, memberId);
    const rows = await this.deps.models.PointLedgerEntry.findAll({
      where: { memberId, ...(query.cursor ? { id: { [Op.lt]: query.cursor } } : {}) },
      order: [['id', 'DESC']],
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    return { items: page.map(entryView), nextCursor: rows.length > query.limit ? String(page.at(-1)!.id) : null };
  }

  /** A member's lots in spending order (those holding points, or all), and what expires soon. */
  async lots(principal: Principal, memberId: number, query: { all: boolean; limit: number }, now = new Date()) {
    const member = await this.deps.members.findInScope(principal, memberId);
    const { PointLot } = this.deps.models;
    const settings = await this.settings.read();
    const before = new Date(now.getTime() + settings.expiry.notifyDaysBefore * DAY_MS);
    const lots = await PointLot.findAll({
      where: { memberId, ...(query.all ? {} : { remaining: { [Op.gt]: 0 } }) },
      order: [[literal('expires_at IS NULL'), 'ASC'], ['expiresAt', 'ASC'], ['id', 'ASC']],
      limit: query.limit,
    });
    const soon = Number((await PointLot.sum('remaining', { where: { memberId, remaining: { [Op.gt]: 0 }, expiresAt: { [Op.lte]: before } } })) ?? 0);
    return {
      items: lots.map((lot) => ({
        id: lot.id,
        sourceType: lot.sourceType,
        sourceId: lot.sourceId,
        amount: lot.amount,
        remaining: lot.remaining,
        earnedAt: lot.earnedAt,
        expiresAt: lot.expiresAt,
      })),
      summary: { balance: member.pointsBalance, owed: Math.max(0, -member.pointsBalance), expiringSoon: { points: soon, before } },
    };
  }

  /**
   * A hand adjustment with a reason: points added as a lot under the expiry policy, or
   * taken from lots; taking never goes below zero. The audit record is the source.
   */
  async adjust(principal: Principal, memberId: number, input: { delta: number; reason: string }, idempotencyKey?: string) {
    const settings = await this.settings.read();
    const call = { principal, key: idempotencyKey, endpoint: 'POST /api/v1/members/:id/points/adjustments', request: { memberId, ...input } };
    return this.deps.idempotency.run(call, async (transaction) => {
      const member = await this.deps.members.lockForBalance(principal, memberId, transaction);
      const now = new Date();
      if (input.delta < 0 && member.pointsBalance < -input.delta) {
        throw insufficientBalance('points', -input.delta, member.pointsBalance);
      }
      const sign = input.delta > 0 ? `+${input.delta}` : String(input.delta);
      const record = await this.deps.audit.record({
        action: 'points.adjust',
        entityType: 'member',
        entityId: member.id,
        storeId: member.homeStoreId,
        summary: `调整会员 ${member.cardNo ?? member.id} 积分 ${sign}，余额 ${member.pointsBalance + input.delta}；原因：${input.reason}`,
        diff: { delta: input.delta, reason: input.reason, balanceBefore: member.pointsBalance, balanceAfter: member.pointsBalance + input.delta },
      });
      const move = { kind: 'adjust', sourceType: 'adjustment', sourceId: Number(record.id), storeId: storeOf(principal), operatorId: operatorOf(principal), reason: input.reason, at: now };
      if (input.delta > 0) await this.ledger.earn(member, input.delta, expiryFor(settings, now, this.deps.businessTimezone), move, transaction);
      else await this.ledger.spend(member, -input.delta, move, transaction);
      await member.save({ transaction });
      return { balance: member.pointsBalance, entries: (await this.entriesOf(member.id, 'adjustment', move.sourceId, transaction)).map(entryView) };
    });
  }

  /**
   * Points for a sign-in, a completed profile or a referral, at most dailyCap times per
   * member per business day. The member's row lock makes parallel calls take turns, so
   * the count each sees includes the grants before it.
   */
  async grantEvent(principal: Principal, memberId: number, input: { event: PointsEvent; reference?: string | null }, idempotencyKey?: string) {
    const settings = await this.settings.read();
    const rule = settings.events[input.event];
    const label = EVENT_LABELS[input.event];
    if (!rule.enabled) throw new AppError('POINTS_EVENT_DISABLED', { params: { event: label }, details: { event: input.event } });
    const call = { principal, key: idempotencyKey, endpoint: 'POST /api/v1/members/:id/points/events', request: { memberId, ...input } };
    return this.deps.idempotency.run(call, async (transaction) => {
      const member = await this.deps.members.lockForBalance(principal, memberId, transaction);
      const now = new Date();
      const day = zonedClock(this.deps.businessTimezone)(now);
      const today = `${day.year}-${day.month}-${day.day}`;
      const granted = await this.deps.models.PointLedgerEntry.count({
        where: {
          memberId,
          kind: 'event',
          sourceType: 'event',
          reason: input.event,
          createdAt: { [Op.gte]: startOfBusinessDay(today, this.deps.businessTimezone), [Op.lt]: startOfNextBusinessDay(today, this.deps.businessTimezone) },
        },
        transaction,
      });
      if (granted >= rule.dailyCap) throw new AppError('POINTS_EVENT_CAPPED', { params: { event: label, cap: rule.dailyCap }, details: { event: input.event, cap: rule.dailyCap } });
      const reference = input.reference ? `（${input.reference}）` : '';
      const record = await this.deps.audit.record({
        action: 'points.event',
        entityType: 'member',
        entityId: member.id,
        storeId: member.homeStoreId,
        summary: `会员 ${member.cardNo ?? member.id} ${EVENT_LABELS[input.event].zh}${reference}获得 ${rule.points} 积分，余额 ${member.pointsBalance + rule.points}`,
        diff: { event: input.event, reference: input.reference ?? null, points: rule.points, balanceAfter: member.pointsBalance + rule.points },
      });
      // The reason holds the event name alone: the daily cap counts by it.
      const move = { kind: 'event', sourceType: 'event', sourceId: Number(record.id), storeId: storeOf(principal), operatorId: operatorOf(principal), reason: input.event, at: now };
      await this.ledger.earn(member, rule.points, expiryFor(settings, now, this.deps.businessTimezone), move, transaction);
      await member.save({ transaction });
      return { event: input.event, points: rule.points, balance: member.pointsBalance, entries: (await this.entriesOf(member.id, 'event', move.sourceId, transaction)).map(entryView) };
    });
  }

  /** Expires every lot past its expiry at `now` (the job passes the clock; tests pass theirs). */
  expireDue(now: Date, progress?: (done: number) => Promise<void>) {
    return this.deps.expiry.expireDue(now, progress);
  }

  /** Announces lots expiring within notifyDaysBefore days of `now`, once each. */
  notifyExpiring(now: Date) {
    return this.deps.expiry.notifyExpiring(now);
  }

  private entriesOf(memberId: number, sourceType: string, sourceId: number, transaction: Transaction) {
    return this.deps.models.PointLedgerEntry.findAll({ where: { memberId, sourceType, sourceId }, order: [['id', 'ASC']], transaction });
  }
}

export function entryView(row: PointLedgerRecord) {
  return {
    id: row.id,
    kind: row.kind,
    sourceType: row.sourceType,
    sourceId: row.sourceId,
    lotId: row.lotId,
    delta: row.delta,
    balanceAfter: row.balanceAfter,
    storeId: row.storeId,
    operatorId: row.operatorId,
    reason: row.reason,
    createdAt: row.createdAt,
  };
}
