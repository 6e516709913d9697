import { defineJob } from '../../../platform/jobs/job-spec.js';
import type { PointsService } from '../service.js';

/**
 * Just after midnight on the business clock, when yesterday's lots have expired: takes
 * their points out of the balances, then tells members whose points expire soon.
 */
export default defineJob<{ services: { points: PointsService } }>({
  name: 'points.expire',
  title: { zh: '积分过期与到期提醒', en: 'Expire points and announce expiring ones' },
  schedule: '10 0 * * *',
  handler: async (run, { services }) => {
    const now = new Date();
    const expired = await services.points.expireDue(now, (done) => run.progress(50, { zh: `已处理 ${done} 笔到期积分`, en: `${done} expired lots done` }));
    const notified = await services.points.notifyExpiring(now);
    return { summary: { expiredLots: expired.lots, expiredPoints: expired.points, members: expired.members, skipped: expired.skipped, notifiedMembers: notified.members } };
  },
});
