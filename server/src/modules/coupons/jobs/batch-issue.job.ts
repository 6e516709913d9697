import path from 'node:path';
import type { HuijiConfig } from '../../../platform/config/schema.js';
import { AppError } from '../../../platform/errors/app-error.js';
import { runWithRequestContext } from '../../../platform/http/request-context.js';
import { defineJob } from '../../../platform/jobs/job-spec.js';
import type { AuthService } from '../../auth/service.js';
import { memberFileName, XLSX_CONTENT_TYPE } from '../../members/export.js';
import { BatchReport, reasonText } from '../batch-report.js';
import { SKIP_REASONS } from '../batch-targets.js';
import { BATCH_JOB, type BatchJobInput, type CouponBatches } from '../batches.js';

const RETRIES = 2;

type Deps = { services: { auth: AuthService; coupons: { batches: CouponBatches } }; config: HuijiConfig };

/**
 * Runs a queued batch issue as its requester (permissions and store scope read afresh)
 * and leaves the result file (who got nothing, and why) as the task's download. Retried
 * after a failure: a repeat issues only what the failed run had not.
 */
export default defineJob<Deps, BatchJobInput>({
  name: BATCH_JOB,
  title: { zh: '批量发券', en: 'Issue coupons in bulk' },
  concurrency: 2,
  retries: RETRIES,
  retryDelayMs: 10_000,
  handler: async (run, { services, config }) => {
    const { batchId, userId, locale, planned } = run.data;
    const batches = services.coupons.batches;
    const principal = await services.auth.principalOf(userId);
    if (!principal || !(principal.permissions.has('marketing:coupon:issue') || principal.permissions.has('*'))) {
      await batches.markFailed(batchId, { willRetry: false });
      throw new AppError('FORBIDDEN', { params: { permission: 'marketing:coupon:issue' } });
    }
    const say = (zh: string, en: string) => (locale === 'en' ? en : zh);
    const downloadName = memberFileName(`coupon-batch-${batchId}`, new Date(), config.businessTimezone);
    const file = path.join(run.outputDir(), downloadName);
    const report = new BatchReport(file, say);
    await report.open();
    const total = Math.max(planned, 1);
    try {
      const { tally } = await runWithRequestContext({ requestId: `task-${run.taskId ?? run.id}`, locale, principal }, () =>
        batches.execute(principal, batchId, {
          skipped: (label, reason) => report.add(label, reason),
          progress: (done, so) =>
            run.progress(Math.min((done / total) * 100, 99), { zh: `已处理 ${done} / ${planned}，发出 ${so.coupons} 张`, en: `${done} of ${planned} done, ${so.coupons} coupons issued` }),
        }),
      );
      const skipped = SKIP_REASONS.filter((reason) => tally.skipped[reason] > 0);
      await report.close([
        [say('批次', 'Batch'), `#${batchId}`],
        [say('匹配会员', 'Members matched'), tally.matched],
        [say('获券会员', 'Members issued'), tally.issuable],
        [say('发出张数', 'Coupons issued'), tally.coupons],
        ...skipped.map((reason): [string, number] => [`${say('未发放：', 'Not issued: ')}${reasonText(reason, say)}`, tally.skipped[reason]]),
      ]);
      await run.progress(100, { zh: `向 ${tally.issuable} 位会员发出 ${tally.coupons} 张，未发放 ${report.rows} 项`, en: `${tally.coupons} coupons to ${tally.issuable} members, ${report.rows} not issued` });
      return { output: { file, downloadName, contentType: XLSX_CONTENT_TYPE }, summary: { batchId, matched: tally.matched, members: tally.issuable, coupons: tally.coupons, skipped: tally.skipped } };
    } catch (error) {
      report.discard();
      await batches.markFailed(batchId, { willRetry: run.attempt <= RETRIES });
      throw error;
    }
  },
});
