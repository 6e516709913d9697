import { defineJob } from '../../../platform/jobs/job-spec.js';
import type { TiersModule } from '../index.js';

/**
 * Just after midnight on the business clock: manual tiers that expired, downgrade
 * warnings, reviews at the end of a retention period (renewed, in grace, or moved down),
 * then the tier gifts (birthday, and the monthly one on the 1st). `now` may come with
 * the run (`{ now: ISO time }`), so an operator can replay a day and tests fake the clock.
 */
export default defineJob<{ services: { tiers: TiersModule } }, { now?: string } | undefined>({
  name: 'tiers.review',
  title: { zh: '会员等级保级考核与等级礼券', en: 'Review member tiers and give tier gifts' },
  schedule: '20 0 * * *',
  handler: async (run, { services }) => {
    const now = run.data?.now ? new Date(run.data.now) : new Date();
    if (Number.isNaN(now.getTime())) throw new Error(`tiers.review: not a time: ${run.data?.now}`);
    const done = await services.tiers.runDaily(now, (percent) => run.progress(percent, { zh: '已完成保级考核', en: 'Reviews done' }));
    return {
      summary: {
        at: now.toISOString(),
        manualExpired: done.manualExpired,
        warned: done.warned,
        renewed: done.renewed,
        downgraded: done.downgraded,
        inGrace: done.inGrace,
        birthdayCoupons: done.coupons.birthday,
        monthlyCoupons: done.coupons.monthly,
        couponsSkipped: done.coupons.skipped,
      },
    };
  },
});
