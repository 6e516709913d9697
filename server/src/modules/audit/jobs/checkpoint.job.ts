import { defineJob } from '../../../platform/jobs/job-spec.js';
import type { HuijiConfig } from '../../../platform/config/schema.js';
import type { AuditSealer } from '../sealer.js';

/**
 * Signs the chain's tail, even when nothing happened, so a quiet period shows as a signed
 * empty stretch. A full scan first catches any record that committed late.
 */
export default defineJob<{ auditSealer: AuditSealer; config: HuijiConfig }>({
  name: 'audit.checkpoint',
  title: { zh: '签名操作日志检查点', en: 'Sign an audit checkpoint' },
  schedule: ({ config }) => `${config.audit.checkpointIntervalMinutes} minutes`,
  retryDelayMs: 60_000,
  handler: async (_run, { auditSealer }) => {
    await auditSealer.sealPending({ fullScan: true });
    await auditSealer.checkpoint();
  },
});
