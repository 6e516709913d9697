import type { Sequelize, Transaction } from 'sequelize';
import { AppError } from '../../platform/errors/app-error.js';
import type { Idempotency } from '../../platform/http/idempotency.js';
import type { Principal } from '../../platform/http/route.js';
import { nextInSequence } from '../../platform/ids/sequence.js';
import { zonedClock } from '../../platform/time/zoned-clock.js';
import type { AuditService } from '../audit/service.js';
import type { DomainEvents } from '../events/outbox.js';
import type { LedgerMove } from '../loyalty/ledger-move.js';
import type { MemberRecord } from '../members/models.js';
import type { MemberService } from '../members/service.js';
import type { PointsLedger } from '../points/ledger.js';
import type { StoreService } from '../stores/service.js';
import type { WalletLedger } from './ledger.js';
import type { TopupPayMethod, TopupRecord, WalletModels } from './models.js';
import { yuanText } from './money-text.js';
import type { PlanCoupons } from './plans.js';
import type { WalletSettingsService } from './settings.js';

export const TOPUP_SEQUENCE = 'wallet.topup';

export interface TopupInput {
  amount: number;
  bonus?: number;
  planId?: number;
  payMethod: TopupPayMethod;
  storeId?: number;
  reason?: string | null;
}

export interface TopupRefundInput {
  amount?: number;
  reason: string;
}

export interface TopupDeps {
  sequelize: Sequelize;
  models: WalletModels;
  ledger: WalletLedger;
  settings: WalletSettingsService;
  members: MemberService;
  stores: StoreService;
  points: PointsLedger;
  /** When points a plan gives expire, per the points settings (null: never). */
  pointsExpiry: (earnedAt: Date, transaction: Transaction) => Promise<Date | null>;
  idempotency: Idempotency;
  events: DomainEvents;
  audit: AuditService;
  businessTimezone: string;
}

/** a * b / c rounded half up, in integers. */
function mulDivRound(a: number, b: number, c: number): number {
  return Number((2n * BigInt(a) * BigInt(b) + BigInt(c)) / (2n * BigInt(c)));
}

export function topupView(topup: TopupRecord) {
  return {
    id: topup.id,
    topupNo: topup.topupNo,
    memberId: topup.memberId,
    storeId: topup.storeId,
    planId: topup.planId,
    payMethod: topup.payMethod,
    principal: topup.principal,
    bonus: topup.bonus,
    points: topup.points,
    principalRemaining: topup.principalRemaining,
    bonusRemaining: topup.bonusRemaining,
    refundedPrincipal: topup.refundedPrincipal,
    voidedBonus: topup.voidedBonus,
    status: topup.status,
    operatorId: topup.operatorId,
    createdAt: topup.createdAt.toISOString(),
  };
}

const operatorOf = (principal: Principal) => (principal.kind === 'user' ? principal.userId : null);

/**
 * Top-ups (充值) and top-up refunds (退储值). A top-up is a lot of principal (paid) and
 * bonus (given); a refund returns only that top-up's unspent principal and voids its
 * unused bonus in proportion, and takes back the plan's points likewise.
 */
export class TopupService {
  private readonly clock: ReturnType<typeof zonedClock>;
  private coupons: PlanCoupons | null = null;

  constructor(private readonly deps: TopupDeps) {
    this.clock = zonedClock(deps.businessTimezone);
  }

  useCoupons(coupons: PlanCoupons): void {
    this.coupons = coupons;
  }

  async topUp(principal: Principal, memberId: number, input: TopupInput, idempotencyKey: string | undefined) {
    const { deps } = this;
    // Scope first, outside the write: another store's member and store answer as missing ones.
    const found = await deps.members.findInScope(principal, memberId);
    const storeId = input.storeId ?? found.homeStoreId;
    await deps.stores.get(principal, storeId);
    // Taken before the transaction (the sequence row would otherwise stay locked for the
    // whole top-up); a top-up that then fails leaves a gap in the numbers.
    const topupNo = this.topupNumber(await nextInSequence(deps.sequelize, TOPUP_SEQUENCE));
    const call = { principal, key: idempotencyKey, endpoint: 'POST /api/v1/members/:id/wallet/topups', request: { memberId, ...input } };
    return deps.idempotency.run(call, async (t) => {
      const member = await deps.members.lockForBalance(principal, memberId, t);
      // Money into a frozen card is a fraud pattern: unfreeze first.
      if (member.status === 'frozen') throw new AppError('MEMBER_FROZEN', { params: { id: member.id } });
      // Checked inside run(), which answers a replayed key before this: a retry gets its saved
      // response even if the limits changed in between.
      const settings = await deps.settings.read(t);
      // The limits bound what a cashier may type; a plan's amount was set by an admin.
      if (input.planId === undefined && (input.amount < settings.minTopup || input.amount > settings.maxTopup)) {
        throw new AppError('TOPUP_AMOUNT_OUT_OF_RANGE', {
          params: { min: yuanText(settings.minTopup), max: yuanText(settings.maxTopup) },
          details: { min: settings.minTopup, max: settings.maxTopup },
        });
      }
      const terms = await this.terms(input, settings.customBonusMaxPercent, t);
      const now = new Date();
      const topup = await deps.models.WalletTopup.create(
        {
          topupNo,
          memberId: member.id,
          storeId,
          planId: input.planId ?? null,
          payMethod: input.payMethod,
          principal: input.amount,
          bonus: terms.bonus,
          points: terms.points,
          principalRemaining: input.amount,
          bonusRemaining: terms.bonus,
          operatorId: operatorOf(principal),
          createdAt: now,
          updatedAt: now,
        },
        { transaction: t },
      );
      const move: LedgerMove = { kind: 'topup', sourceType: 'topup', sourceId: topup.id, storeId, operatorId: operatorOf(principal), reason: input.reason ?? null, at: now };
      await deps.ledger.post(member, topup, input.amount, terms.bonus, move, t);
      if (terms.points > 0) {
        const expiresAt = await deps.pointsExpiry(now, t);
        await deps.points.earn(member, terms.points, expiresAt, { ...move, kind: 'topup_bonus' }, t);
      }
      const coupons = terms.coupons ? await this.planCoupons().issueForTopup(principal, member, { ...terms.coupons, topupId: topup.id, storeId, reason: `充值 ${topupNo}` }, t) : 0;
      await member.save({ transaction: t });
      const gifts = [terms.bonus > 0 ? `赠送 ${yuanText(terms.bonus)}` : '', terms.points > 0 ? `${terms.points} 积分` : '', coupons > 0 ? `${coupons} 张券` : ''].filter(Boolean).join('、');
      await deps.audit.record({
        action: 'wallet.topup',
        entityType: 'wallet_topup',
        entityId: topup.id,
        storeId,
        summary: `会员 ${member.cardNo ?? member.id} 充值 ${yuanText(input.amount)}${gifts ? `，${gifts}` : ''}（${topup.topupNo}）`,
        diff: { memberId: member.id, principal: input.amount, bonus: terms.bonus, points: terms.points, coupons, planId: topup.planId, payMethod: topup.payMethod },
      });
      await deps.events.emit(
        { type: 'wallet.topped_up', entityType: 'wallet_topup', entityId: topup.id, memberId: member.id, payload: { topupNo, storeId, principal: input.amount, bonus: terms.bonus, points: terms.points, coupons, planId: topup.planId }, at: now },
        t,
      );
      return { ...topupView(topup), wallet: { principal: member.walletPrincipal, bonus: member.walletBonus }, pointsBalance: member.pointsBalance, couponsIssued: coupons };
    });
  }

  /** Returns the unspent principal of one top-up (all of it by default). `replayed`: a saved response for a repeated Idempotency-Key. */
  async refund(principal: Principal, topupId: number, input: TopupRefundInput, idempotencyKey: string | undefined) {
    const { deps } = this;
    const call = { principal, key: idempotencyKey, endpoint: 'POST /api/v1/wallet/topups/:id/refunds', request: { topupId, ...input } };
    return deps.idempotency.run(call, async (t) => {
      const { member, topup } = await this.lockTopup(principal, topupId, t);
      const left = topup.principalRemaining;
      if (left === 0) throw new AppError('TOPUP_NOTHING_LEFT', { params: { topupNo: topup.topupNo } });
      const amount = input.amount ?? left;
      if (amount > left) throw new AppError('TOPUP_REFUND_EXCEEDS', { params: { left: yuanText(left) }, details: { left } });
      // The bonus goes with the principal it came with; what was already spent stays spent.
      const voided = amount === left ? topup.bonusRemaining : Math.min(topup.bonusRemaining, mulDivRound(topup.bonusRemaining, amount, left));
      // Cumulative rounding: partial refunds add up to exactly what one refund of their sum would take.
      const pointsBack = topup.points === 0 ? 0 : mulDivRound(topup.points, topup.refundedPrincipal + amount, topup.principal) - mulDivRound(topup.points, topup.refundedPrincipal, topup.principal);
      topup.principalRemaining -= amount;
      topup.bonusRemaining -= voided;
      topup.refundedPrincipal += amount;
      topup.voidedBonus += voided;
      topup.status = topup.principalRemaining === 0 && topup.bonusRemaining === 0 ? 'refunded' : 'partially_refunded';
      await topup.save({ transaction: t });
      const now = new Date();
      const move: LedgerMove = { kind: 'topup_refund', sourceType: 'topup_refund', sourceId: topup.id, storeId: topup.storeId, operatorId: operatorOf(principal), reason: input.reason, at: now };
      await deps.ledger.post(member, topup, -amount, -voided, move, t);
      if (pointsBack > 0) {
        const [earned] = await deps.points.partsOf('topup_bonus', 'topup', [topup.id], t);
        await deps.points.takeBack(member, pointsBack, { ...move, kind: 'topup_reversal', preferLotId: earned?.lotId ?? null }, t);
      }
      // Coupons do not split: any refund ends the deal they came with, so the unused ones go.
      const couponsVoided = topup.planId === null ? 0 : await this.planCoupons().voidForTopup(principal, member, { topupId: topup.id, reason: `退还充值 ${topup.topupNo}：${input.reason}` }, t);
      await member.save({ transaction: t });
      await deps.audit.record({
        action: 'wallet.topup_refund',
        entityType: 'wallet_topup',
        entityId: topup.id,
        storeId: topup.storeId,
        summary: `退还充值 ${topup.topupNo} 的本金 ${yuanText(amount)}${voided > 0 ? `，作废赠送 ${yuanText(voided)}` : ''}${pointsBack > 0 ? `，扣回 ${pointsBack} 积分` : ''}${couponsVoided > 0 ? `，作废 ${couponsVoided} 张赠券` : ''}；原因：${input.reason}`,
        diff: { memberId: member.id, refundedPrincipal: amount, voidedBonus: voided, pointsTakenBack: pointsBack, couponsVoided, status: topup.status },
      });
      await deps.events.emit(
        { type: 'wallet.topup_refunded', entityType: 'wallet_topup', entityId: topup.id, memberId: member.id, payload: { topupNo: topup.topupNo, storeId: topup.storeId, refundedPrincipal: amount, voidedBonus: voided, pointsTakenBack: pointsBack, couponsVoided }, at: now },
        t,
      );
      return { topup: topupView(topup), refundedPrincipal: amount, voidedBonus: voided, pointsTakenBack: pointsBack, couponsVoided };
    });
  }

  private planCoupons(): PlanCoupons {
    if (!this.coupons) throw new Error('plan coupons need the coupons module (TopupService.useCoupons)');
    return this.coupons;
  }

  /** The bonus, points and coupons a top-up carries: the plan's, or a custom bonus within the cap. */
  private async terms(input: TopupInput, capPercent: number, t: Transaction): Promise<{ bonus: number; points: number; coupons?: { templateId: number; count: number } }> {
    if (input.planId === undefined) {
      const bonus = input.bonus ?? 0;
      const max = Math.floor((input.amount * capPercent) / 100);
      if (bonus > max) throw new AppError('TOPUP_BONUS_ABOVE_CAP', { params: { percent: capPercent, max: yuanText(max) }, details: { percent: capPercent, max } });
      return { bonus, points: 0 };
    }
    const plan = await this.deps.models.WalletPlan.findByPk(input.planId, { transaction: t });
    if (!plan || plan.status !== 'active') throw new AppError('TOPUP_PLAN_NOT_FOUND', { params: { id: input.planId } });
    if (input.amount !== plan.amount) throw new AppError('TOPUP_PLAN_MISMATCH', { params: { name: plan.name, amount: yuanText(plan.amount) }, details: { amount: plan.amount } });
    if (input.bonus !== undefined && input.bonus !== plan.bonus) {
      throw new AppError('TOPUP_PLAN_BONUS_MISMATCH', { params: { name: plan.name, bonus: yuanText(plan.bonus) }, details: { bonus: plan.bonus } });
    }
    const coupons = plan.couponTemplateId !== null && plan.couponCount > 0 ? { templateId: plan.couponTemplateId, count: plan.couponCount } : undefined;
    return { bonus: plan.bonus, points: plan.points, coupons };
  }

  /** The top-up and its member, the member row locked first like every balance change. */
  private async lockTopup(principal: Principal, topupId: number, t: Transaction): Promise<{ member: MemberRecord; topup: TopupRecord }> {
    const { WalletTopup } = this.deps.models;
    const found = await WalletTopup.findByPk(topupId, { transaction: t });
    if (!found) throw new AppError('TOPUP_NOT_FOUND', { params: { id: topupId } });
    let member: MemberRecord;
    try {
      member = await this.deps.members.lockForBalance(principal, found.memberId, t);
    } catch (error) {
      // Another store's member's top-up reads like one that does not exist.
      if (error instanceof AppError && error.code === 'MEMBER_NOT_FOUND') throw new AppError('TOPUP_NOT_FOUND', { params: { id: topupId } });
      throw error;
    }
    const topup = await WalletTopup.findByPk(topupId, { transaction: t, lock: t.LOCK.UPDATE });
    return { member, topup: topup! };
  }

  /** `T` + the business date + six digits: `T20261125000042`. */
  private topupNumber(seq: number): string {
    const today = this.clock(new Date());
    return `T${today.year}${today.month}${today.day}${String(seq).padStart(6, '0')}`;
  }
}
