import { UniqueConstraintError, type Sequelize, type Transaction } from 'sequelize';
import { withTransaction } from '../../platform/db/transaction.js';
import type { AuthModels } from './models.js';

export interface ThrottleRule {
  threshold: number;
  lockMinutes: number;
}

/**
 * Failed-login counters in the database, so every node sees the same count. A key is
 * `user:<name>` or `ip:<address>`; failures count within a window as long as the lock.
 */
export class LoginThrottle {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly models: AuthModels,
  ) {}

  /** Seconds until the key unlocks, or 0 when it is not locked. */
  async lockedFor(key: string, now = new Date()): Promise<number> {
    const row = await this.models.AuthThrottle.findByPk(key);
    if (!row?.lockedUntil || row.lockedUntil <= now) return 0;
    return Math.ceil((row.lockedUntil.getTime() - now.getTime()) / 1000);
  }

  /** Counts one failure; returns the seconds of lock it caused, or 0. */
  async recordFailure(key: string, rule: ThrottleRule, now = new Date()): Promise<number> {
    return withTransaction(this.sequelize, async (transaction) => {
      const row = await this.lockRow(key, now, transaction);
      const windowMs = rule.lockMinutes * 60_000;
      const windowExpired = now.getTime() - row.windowStartedAt.getTime() > windowMs;
      const lockExpired = row.lockedUntil !== null && row.lockedUntil <= now;
      if (windowExpired || lockExpired) {
        row.failures = 0;
        row.windowStartedAt = now;
        row.lockedUntil = null;
      }
      row.failures += 1;
      if (row.failures >= rule.threshold) row.lockedUntil = new Date(now.getTime() + windowMs);
      row.updatedAt = now;
      await row.save({ transaction });
      return row.lockedUntil ? Math.ceil(windowMs / 1000) : 0;
    });
  }

  async clear(key: string, transaction?: Transaction): Promise<void> {
    await this.models.AuthThrottle.destroy({ where: { throttleKey: key }, transaction });
  }

  private async lockRow(key: string, now: Date, transaction: Transaction) {
    const { AuthThrottle } = this.models;
    const existing = await AuthThrottle.findByPk(key, { transaction, lock: transaction.LOCK.UPDATE });
    if (existing) return existing;
    try {
      return await AuthThrottle.create(
        { throttleKey: key, failures: 0, windowStartedAt: now, lockedUntil: null, updatedAt: now },
        { transaction },
      );
    } catch (error) {
      if (!(error instanceof UniqueConstraintError)) throw error;
      // Another request created it first; its row is now ours to lock.
      const row = await AuthThrottle.findByPk(key, { transaction, lock: transaction.LOCK.UPDATE });
      if (!row) throw error;
      return row;
    }
  }
}
