import { setTimeout as sleep } from 'node:timers/promises';
import { createContext } from './context.js';
import { drainAndExit, startJobs } from './jobs.js';
import { migrationStatus } from './platform/db/migrate.js';
import { configAndLogger, databaseReached, fail } from './process-setup.js';

/**
 * `npm run worker`: a process that only runs background jobs, for deployments that keep
 * heavy work (imports, exports, batch issues) off the console's server. Set
 * `jobs.runIn: "worker"` on the servers so they only queue; start as many workers as the
 * load needs. The server owns migrations: a worker waits until they have run.
 */
async function worker(): Promise<void> {
  const { config, logger } = configAndLogger();
  const ctx = await createContext(config, logger);
  const shutdown = new AbortController();

  const stop = (signal: string) => {
    logger.info(`worker received ${signal}, draining running jobs (up to ${config.jobs.drainSeconds} s)`);
    shutdown.abort();
    drainAndExit(ctx);
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));

  if (!(await databaseReached(ctx, shutdown.signal))) return;
  for (let warned = false; ; warned = true) {
    const { pending } = await migrationStatus(ctx.sequelize);
    if (pending === 0) break;
    if (!warned) logger.warn(`${pending} migration(s) pending; the worker waits for the server (or npm run migrate) to apply them`);
    await sleep(2000, undefined, { signal: shutdown.signal }).catch(() => undefined);
    if (shutdown.signal.aborted) return;
  }
  await startJobs(ctx, { process: true });
  logger.info(`Huiji worker running jobs (${ctx.jobRunner.definitions.length} defined)`);
}

worker().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  fail(`Huiji worker failed to start: ${message}`, 1);
});
