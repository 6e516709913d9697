import { setTimeout as sleep } from 'node:timers/promises';
import type { Sequelize } from 'sequelize';
import type { Logger } from '../logger/index.js';
import { describeDbError, type Readiness } from '../health.js';

/**
 * Start-up keeps trying the database instead of dying: after a power cut the app often
 * boots before MySQL does. Each failure is logged with its reason and shown on /readyz.
 */
export async function waitForDatabase(
  sequelize: Sequelize,
  options: { logger: Logger; readiness: Readiness; maxDelaySeconds: number; signal?: AbortSignal },
): Promise<void> {
  let delayMs = 500;
  for (let attempt = 1; ; attempt++) {
    try {
      await sequelize.authenticate();
      options.readiness.database = { ok: true };
      if (attempt > 1) options.logger.info('database reachable', { attempt });
      return;
    } catch (error) {
      const reason = describeDbError(error);
      options.readiness.database = { ok: false, reason };
      options.logger.warn(`database unreachable, retrying in ${Math.round(delayMs / 1000)} s: ${reason}`, { attempt });
      await sleep(delayMs, undefined, { signal: options.signal });
      delayMs = Math.min(delayMs * 2, options.maxDelaySeconds * 1000);
    }
  }
}
