import { defineJob } from '../../../platform/jobs/job-spec.js';
import type { RegistrationService } from '../registration-service.js';

/**
 * Deletes SMS code rows no rate limit counts any more (older than a day): each holds a
 * customer's address and a phone's blind index, kept no longer than the limits need.
 */
export default defineJob<{ services: { registration: RegistrationService } }>({
  name: 'registration.prune-codes',
  title: { zh: '清理过期的注册验证码记录', en: 'Delete expired registration codes' },
  schedule: '20 4 * * *',
  handler: async (_run, { services }) => {
    const deleted = await services.registration.pruneCodes();
    return { summary: { deleted } };
  },
});
