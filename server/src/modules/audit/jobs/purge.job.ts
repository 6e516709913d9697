import { defineJob } from '../../../platform/jobs/job-spec.js';
import type { HuijiConfig } from '../../../platform/config/schema.js';
import type { AuditSealer } from '../sealer.js';

/** Deletes the chain's oldest segment past retention, behind a signed purge checkpoint. */
export default defineJob<{ auditSealer: AuditSealer; config: HuijiConfig }>({
  name: 'audit.purge',
  title: { zh: '清理过期操作日志', en: 'Purge audit records past retention' },
  schedule: '30 3 * * *',
  lockLifetimeMs: 60 * 60_000,
  handler: async (run, { auditSealer, config }) => {
    const purged = await auditSealer.purge(config.audit.retentionDays);
    if (purged > 0) run.logger.info(`purged ${purged} audit records older than ${config.audit.retentionDays} days`);
    return { summary: { purged } };
  },
});
