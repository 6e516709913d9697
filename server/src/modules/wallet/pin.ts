import type { Sequelize, Transaction } from 'sequelize';
import { currentTransaction, withTransaction } from '../../platform/db/transaction.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { Principal } from '../../platform/http/route.js';
import { businessTimeFormatter } from '../../platform/time/zoned-clock.js';
import type { AuditService } from '../audit/service.js';
import { hashPassword, verifyPassword } from '../auth/password.js';
import type { MemberRecord } from '../members/models.js';
import type { MemberService } from '../members/service.js';
import type { WalletSettingsService } from './settings.js';

export const PIN_PATTERN = /^\d{6}$/;

export interface WalletPinDeps {
  sequelize: Sequelize;
  members: MemberService;
  settings: WalletSettingsService;
  audit: AuditService;
  businessTimezone: string;
}

/**
 * The member's payment PIN (支付密码) for stored value spent through the API: a POS or
 * mini-program spends a card the cashier never sees, so the member proves it is theirs.
 * Staff at the counter need no PIN. Only an argon2 hash is kept; wrong tries are counted
 * on the member row and lock the PIN for a while after `pin.maxAttempts`.
 */
export class WalletPins {
  private readonly localTime: (date: Date) => string;

  constructor(private readonly deps: WalletPinDeps) {
    this.localTime = businessTimeFormatter(deps.businessTimezone);
  }

  /** Sets or changes the PIN; clears wrong tries and any lock. The audit record never holds the PIN. */
  async set(principal: Principal, memberId: number, pin: string): Promise<void> {
    if (!PIN_PATTERN.test(pin)) throw new Error('a payment PIN is 6 digits');
    // Hashed before the row is locked: argon2 takes tens of milliseconds.
    const hash = await hashPassword(pin);
    await withTransaction(this.deps.sequelize, async (transaction) => {
      const member = await this.deps.members.lockForBalance(principal, memberId, transaction);
      const verb = member.walletPinHash ? '修改' : '设置';
      await member.update({ walletPinHash: hash, walletPinFailures: 0, walletPinLockedUntil: null }, { transaction });
      await this.deps.audit.record({
        action: 'wallet.pin.set',
        entityType: 'member',
        entityId: member.id,
        storeId: member.homeStoreId,
        summary: `${verb}会员 ${member.cardNo ?? member.id} 的储值支付密码`,
      });
    });
  }

  async clear(principal: Principal, memberId: number): Promise<void> {
    await withTransaction(this.deps.sequelize, async (transaction) => {
      const member = await this.deps.members.lockForBalance(principal, memberId, transaction);
      if (!member.walletPinHash) return;
      await member.update({ walletPinHash: null, walletPinFailures: 0, walletPinLockedUntil: null }, { transaction });
      await this.deps.audit.record({
        action: 'wallet.pin.clear',
        entityType: 'member',
        entityId: member.id,
        storeId: member.homeStoreId,
        summary: `清除会员 ${member.cardNo ?? member.id} 的储值支付密码`,
      });
    });
  }

  /**
   * Checks `pin` against a member row locked in `t`. A member without a PIN passes. A
   * wrong PIN counts in `t` and throws PAYMENT_PIN_WRONG {left}, the last allowed one locks
   * the PIN for `pin.lockMinutes` and throws PAYMENT_PIN_LOCKED {until}; a right one clears
   * the count. The count only survives if `t` commits: a checkout that rolls back would
   * forget it, so the checkout calls verifyPaymentPin (its own transaction) instead.
   */
  async verifyPin(member: MemberRecord, pin: string | undefined, t: Transaction, now = new Date()): Promise<void> {
    if (!member.walletPinHash) return;
    const lockedUntil = member.walletPinLockedUntil;
    if (lockedUntil && lockedUntil.getTime() > now.getTime()) throw this.locked(lockedUntil);
    if (pin === undefined || pin === '') throw new AppError('PAYMENT_PIN_REQUIRED');
    const fields = ['walletPinFailures', 'walletPinLockedUntil'] as const;
    if (PIN_PATTERN.test(pin) && (await verifyPassword(member.walletPinHash, pin))) {
      if (member.walletPinFailures !== 0 || lockedUntil) {
        member.walletPinFailures = 0;
        member.walletPinLockedUntil = null;
        await member.save({ fields: [...fields], transaction: t });
      }
      return;
    }
    const { pin: limits } = await this.deps.settings.read(t);
    const failures = member.walletPinFailures + 1;
    if (failures >= limits.maxAttempts) {
      const until = new Date(now.getTime() + limits.lockMinutes * 60_000);
      member.walletPinFailures = 0;
      member.walletPinLockedUntil = until;
      await member.save({ fields: [...fields], transaction: t });
      await this.deps.audit.record({
        action: 'wallet.pin.locked',
        result: 'failure',
        entityType: 'member',
        entityId: member.id,
        storeId: member.homeStoreId,
        summary: `会员 ${member.cardNo ?? member.id} 的储值支付密码连续 ${failures} 次错误，锁定至 ${this.localTime(until)}`,
      });
      throw this.locked(until);
    }
    member.walletPinFailures = failures;
    member.walletPinLockedUntil = null;
    await member.save({ fields: [...fields], transaction: t });
    const left = limits.maxAttempts - failures;
    throw new AppError('PAYMENT_PIN_WRONG', { params: { left }, details: { left } });
  }

  /**
   * The checkout's PIN check for an API caller, in a short transaction of its own that
   * locks the member row and commits the wrong-try count even though the request then
   * fails. Call it BEFORE opening the checkout's transaction (inside one it would join it
   * and the count would roll back with the checkout; it refuses to). Staff callers and
   * members without a PIN pass.
   */
  async verifyPaymentPin(principal: Principal, memberId: number, pin: string | undefined): Promise<void> {
    if (principal.kind !== 'api_key') return;
    if (currentTransaction()) throw new Error('verifyPaymentPin must run before the checkout opens its transaction');
    let refusal: AppError | null = null;
    await withTransaction(this.deps.sequelize, async (transaction) => {
      const member = await this.deps.members.lockForBalance(principal, memberId, transaction);
      try {
        await this.verifyPin(member, pin, transaction);
      } catch (error) {
        if (!(error instanceof AppError) || !error.code.startsWith('PAYMENT_PIN_')) throw error;
        refusal = error;
      }
    });
    if (refusal) throw refusal;
  }

  private locked(until: Date): AppError {
    return new AppError('PAYMENT_PIN_LOCKED', { params: { until: this.localTime(until) }, details: { until: until.toISOString() } });
  }
}
