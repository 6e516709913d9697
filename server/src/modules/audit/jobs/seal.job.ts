import { defineJob } from '../../../platform/jobs/job-spec.js';
import type { HuijiConfig } from '../../../platform/config/schema.js';
import type { AuditSealer } from '../sealer.js';

/** Links newly committed audit records into the hash chain, a few seconds behind the writers. */
export default defineJob<{ auditSealer: AuditSealer; config: HuijiConfig }>({
  name: 'audit.seal',
  title: { zh: '封存操作日志（哈希链）', en: 'Seal new audit records into the hash chain' },
  schedule: ({ config }) => `${config.audit.sealIntervalSeconds} seconds`,
  lockLifetimeMs: 5 * 60_000,
  // The next run is seconds away and picks up where this one stopped.
  retries: 0,
  handler: async (run, { auditSealer }) => {
    const sealed = await auditSealer.sealPending();
    if (sealed > 0) run.logger.debug(`sealed ${sealed} audit records`);
  },
});
