import type { JobSpec } from './platform/jobs/job-spec.js';
import type { AppContext } from './context.js';
import auditCheckpoint from './modules/audit/jobs/checkpoint.job.js';
import auditExport from './modules/audit/jobs/export.job.js';
import auditPurge from './modules/audit/jobs/purge.job.js';
import auditSeal from './modules/audit/jobs/seal.job.js';
import purgeJobOutputs from './modules/jobs/jobs/purge-outputs.job.js';
import memberExport from './modules/members/jobs/export.job.js';
import pruneRegistrationCodes from './modules/registration/jobs/prune-codes.job.js';
import pointsExpire from './modules/points/jobs/expire.job.js';
import purgeIdempotencyKeys from './modules/orders/jobs/purge-idempotency.job.js';
import tiersReview from './modules/tiers/jobs/review.job.js';
import couponsExpire from './modules/coupons/jobs/expire.job.js';
import couponsBatchIssue from './modules/coupons/jobs/batch-issue.job.js';
import { memberImportCheckJob, memberImportJob } from './modules/members/jobs/import.job.js';
import { backupCreateJob } from './modules/backup/index.js';

/**
 * Every background job Huiji runs. A module adds its job files here; each declares only
 * the parts of the app context its handler uses, and the type check holds it to that.
 */
export const JOBS: ReadonlyArray<JobSpec<AppContext, never>> = [auditSeal, auditCheckpoint, auditPurge, auditExport, purgeJobOutputs, memberExport, memberImportJob, memberImportCheckJob, pruneRegistrationCodes, pointsExpire, purgeIdempotencyKeys, tiersReview, couponsExpire, couponsBatchIssue, backupCreateJob];

/**
 * Lets the scheduler reach the database (which must be migrated by now), writes the
 * recurring schedules, and, in the process that runs jobs, starts taking them.
 */
export async function startJobs(ctx: AppContext, options: { process: boolean }): Promise<void> {
  const backend = ctx.jobBackend;
  ctx.readiness.jobs = () =>
    backend.connected ? { ok: true } : { ok: false, reason: backend.lastError ? `job store unavailable: ${backend.lastError}` : 'connecting' };
  backend.open();
  await ctx.jobRunner.init();
  if (options.process) await ctx.jobRunner.start();
}

/**
 * The shutdown both the server and the worker go through: running jobs get `drainSeconds`
 * to finish (what is still running then goes back to the queue), `alsoWait` settles, the
 * database closes, and the process exits, by force if something hangs.
 */
export function drainAndExit(ctx: AppContext, alsoWait: Promise<unknown> = Promise.resolve()): void {
  const { config, logger } = ctx;
  const jobsStopped = ctx.jobRunner
    .stop(config.jobs.drainSeconds * 1000)
    .then(({ completed, abandoned }) => {
      if (completed + abandoned > 0) logger.info(`jobs stopped: ${completed} finished, ${abandoned} handed back to the queue`);
    })
    .catch((error: unknown) => logger.error('stopping jobs failed', { error }));
  void Promise.all([jobsStopped, alsoWait])
    .then(() => ctx.sequelize.close())
    .finally(() => process.exit(0));
  setTimeout(() => process.exit(0), (config.jobs.drainSeconds + 10) * 1000).unref();
}
