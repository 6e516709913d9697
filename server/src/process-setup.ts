import type { AppContext } from './context.js';
import { ConfigError, loadConfig } from './platform/config/load.js';
import { waitForDatabase } from './platform/db/wait-for-database.js';
import type { HuijiConfig } from './platform/config/schema.js';
import { createLogger, type Logger } from './platform/logger/index.js';

/** Fatal start-up problems are one line for the operator, never a stack trace. */
export function fail(message: string, exitCode: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(exitCode);
}

/** The server and the worker start alike: configuration (exit 2 when bad), then the logger. */
export function configAndLogger(): { config: HuijiConfig; logger: Logger } {
  let config: HuijiConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message, 2);
    throw error;
  }
  const logger = createLogger({
    level: config.logLevel,
    logDir: config.logDir,
    retentionDays: config.logRetentionDays,
    env: config.env,
  });
  return { config, logger };
}

/**
 * Waits until the database answers, retrying with growing pauses; false when a stop signal
 * came first (the process is on its way out, nothing more to start).
 */
export async function databaseReached(ctx: AppContext, signal: AbortSignal): Promise<boolean> {
  try {
    await waitForDatabase(ctx.sequelize, {
      logger: ctx.logger,
      readiness: ctx.readiness,
      maxDelaySeconds: ctx.config.database.connectRetryMaxSeconds,
      signal,
    });
    return true;
  } catch (error) {
    if (signal.aborted) return false;
    throw error;
  }
}
