import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import supertest from 'supertest';
import { createApp } from '../../server/src/app.js';
import { createContext, type AppContext } from '../../server/src/context.js';
import { startJobs } from '../../server/src/jobs.js';
import { ensureBootstrapAdmin } from '../../server/src/modules/auth/bootstrap.js';
import { loadConfig } from '../../server/src/platform/config/load.js';
import { runMigrations } from '../../server/src/platform/db/migrate.js';
import { createLogger } from '../../server/src/platform/logger/index.js';
import { createTestDatabase, type TestDatabase, type TestDialect } from './database.js';

export const ADMIN_PASSWORD = 'Initial#Pass2026';

export interface TestApp {
  ctx: AppContext;
  app: Express;
  db: TestDatabase;
  dataDir: string;
  http: () => supertest.Agent;
  close(): Promise<void>;
}

/**
 * The real app on a database of its own, with the first admin created. Requests may set
 * X-Forwarded-For to act from different addresses (trust proxy is on here). `jobs`:
 * 'schedule' (default) writes the recurring schedules, 'run' also runs jobs, 'off' leaves
 * the job store alone.
 */
export async function startTestApp(
  options: { env?: Record<string, string>; dialect?: TestDialect; jobs?: 'run' | 'schedule' | 'off' } = {},
): Promise<TestApp> {
  const db = await createTestDatabase(options.dialect);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'huiji-data-'));
  const config = loadConfig({
    cwd: dataDir,
    env: {
      NODE_ENV: 'test',
      HUIJI_DATA_DIR: dataDir,
      HUIJI_LOG_DIR: path.join(dataDir, 'logs'),
      HUIJI_DATABASE_URL: db.url,
      HUIJI_TRUST_PROXY: 'loopback',
      HUIJI_LOG_LEVEL: 'warn',
      ...options.env,
    },
  });
  const logger = createLogger({ level: config.logLevel, logDir: config.logDir, retentionDays: 1, env: 'test' });
  const ctx = await createContext(config, logger);
  await runMigrations(ctx.sequelize);
  ctx.readiness.database = { ok: true };
  ctx.readiness.migrations = { ok: true };
  await ensureBootstrapAdmin({
    sequelize: ctx.sequelize,
    models: ctx.models.auth,
    access: ctx.services.access,
    dataDir,
    password: ADMIN_PASSWORD,
  });
  ctx.readiness.markStarted();
  // Jobs are scheduled in every test app, but run only where a suite asks: a background
  // seal would race the audit suites' own.
  const jobs = options.jobs ?? 'schedule';
  if (jobs !== 'off') await startJobs(ctx, { process: jobs === 'run' });
  const app = createApp(ctx);
  return {
    ctx,
    app,
    db,
    dataDir,
    http: () => supertest.agent(app),
    close: async () => {
      await ctx.jobRunner.stop(5_000);
      await ctx.sequelize.close();
      logger.close();
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
