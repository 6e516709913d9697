import { defineJob } from '../../../platform/jobs/job-spec.js';
import type { CouponsModule } from '../index.js';

/** Days ahead a member hears that coupons are about to run out. */
const WARN_DAYS = 3;

/**
 * Just after midnight on the business clock, when yesterday's coupons ran out: marks
 * them expired, announces the ones that end in WARN_DAYS days, and deletes claim-page SMS
 * code rows no limit counts any more.
 */
export default defineJob<{ services: { coupons: CouponsModule } }>({
  name: 'coupons.expire',
  title: { zh: '优惠券过期与到期提醒', en: 'Expire coupons and announce expiring ones' },
  schedule: '15 0 * * *',
  handler: async (run, { services }) => {
    const now = new Date();
    const { expired } = await services.coupons.expiry.expireDue(now, (done) => run.progress(50, { zh: `已处理 ${done} 张过期优惠券`, en: `${done} coupons expired` }));
    const expiring = await services.coupons.expiry.notifyExpiring(now, WARN_DAYS);
    const prunedCodes = await services.coupons.claims.pruneCodes(now);
    return { summary: { expired, expiringMembers: expiring.members, expiringCoupons: expiring.coupons, prunedCodes } };
  },
});
