import http, { type Server } from 'node:http';
import { createApp } from './app.js';
import { createContext } from './context.js';
import { drainAndExit, startJobs } from './jobs.js';
import { ensureBootstrapAdmin } from './modules/auth/bootstrap.js';
import type { HuijiConfig } from './platform/config/schema.js';
import { migrationStatus, runMigrations } from './platform/db/migrate.js';
import { configAndLogger, databaseReached, fail } from './process-setup.js';

function listen(server: Server, config: HuijiConfig): Promise<void> {
  return new Promise((resolve) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const where = `${config.host}:${config.port}`;
      if (error.code === 'EADDRINUSE') fail(`Cannot listen on ${where}: the port is already in use; set HUIJI_PORT to a free port.`, 3);
      if (error.code === 'EACCES') fail(`Cannot listen on ${where}: permission denied; use a port above 1024 or run behind nginx.`, 3);
      fail(`Cannot listen on ${where}: ${error.message}`, 3);
    });
    server.listen(config.port, config.host, resolve);
  });
}

function printBootstrapPassword(password: string, file: string): void {
  const lines = [
    '',
    '================================================================',
    ' 会籍 Huiji: first administrator created / 已创建首个管理员',
    `   username / 用户名: admin`,
    `   password / 初始密码: ${password}`,
    `   (also saved to ${file}, mode 0600, removed after the first password change)`,
    '   You must change this password at first login. 首次登录须修改密码。',
    '================================================================',
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

async function main(): Promise<void> {
  const { config, logger } = configAndLogger();
  const ctx = await createContext(config, logger);
  const httpServer = http.createServer(createApp(ctx));
  await listen(httpServer, config);
  logger.info(`Huiji listening on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`);

  const shutdown = new AbortController();
  const stop = (signal: string) => {
    logger.info(`received ${signal}, shutting down`);
    shutdown.abort();
    const httpClosed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
    httpServer.closeIdleConnections();
    drainAndExit(ctx, httpClosed);
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));

  if (!(await databaseReached(ctx, shutdown.signal))) return;

  if (config.database.migrateOnStart) {
    const applied = await runMigrations(ctx.sequelize, logger);
    if (applied.length > 0) logger.info(`applied ${applied.length} migration(s)`, { migrations: applied });
    ctx.readiness.migrations = { ok: true };
  } else {
    const { pending } = await migrationStatus(ctx.sequelize);
    ctx.readiness.migrations = pending === 0 ? { ok: true } : { ok: false, reason: `${pending} pending; run npm run migrate` };
    if (pending > 0) logger.error(`${pending} migration(s) pending and migrateOnStart is off; run npm run migrate`);
  }

  const bootstrap = await ensureBootstrapAdmin({
    sequelize: ctx.sequelize,
    models: ctx.models.auth,
    access: ctx.services.access,
    dataDir: config.dataDir,
    password: config.auth.bootstrapAdminPassword,
  });
  if (bootstrap.generatedPassword && bootstrap.passwordFile) {
    printBootstrapPassword(bootstrap.generatedPassword, bootstrap.passwordFile);
    logger.info('first administrator created; its password was printed to the terminal only');
  } else if (bootstrap.created) {
    logger.info('first administrator created with the password from HUIJI_BOOTSTRAP_ADMIN_PASSWORD');
  }
  ctx.readiness.markStarted();
  const runJobsHere = config.jobs.runIn === 'server';
  // Not awaited: a job store that is down (MongoDB) retries on its own and must not hold the console back.
  void startJobs(ctx, { process: runJobsHere })
    .then(() => logger.info(runJobsHere ? 'background jobs run in this process' : 'background jobs are queued for the worker processes'))
    .catch((error: unknown) => logger.error('background jobs failed to start', { error }));
  logger.info('Huiji is ready');
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  fail(`Huiji failed to start: ${message}`, 1);
});
