import { defineJob } from '../../../platform/jobs/job-spec.js';
import type { Idempotency } from '../../../platform/http/idempotency.js';

/** A POS retries within minutes; a week covers a terminal that was offline over a long weekend. */
const KEEP_DAYS = 7;

export default defineJob<{ idempotency: Idempotency }>({
  name: 'orders.purge-idempotency-keys',
  title: { zh: '清理过期的幂等键', en: 'Delete expired idempotency keys' },
  schedule: '30 3 * * *',
  handler: async (_run, { idempotency }) => {
    const deleted = await idempotency.purge(new Date(Date.now() - KEEP_DAYS * 86_400_000));
    return { summary: { deleted } };
  },
});
