import { Command, InvalidArgumentError } from 'commander';
import type { Sequelize } from 'sequelize';
import { loadAuditKeys, missingAuditKeyFiles, type AuditKeys } from '../modules/audit/keys.js';
import { defineAuditModels, type AuditModels } from '../modules/audit/models.js';
import { AuditSealer } from '../modules/audit/sealer.js';
import { AuditService, SYSTEM_ACTOR } from '../modules/audit/service.js';
import { verifyAuditTrail, type VerifyResult } from '../modules/audit/verify.js';
import { loadConfig } from '../platform/config/load.js';
import { runCommand, UsageError } from './command-runner.js';
import type { HuijiConfig } from '../platform/config/schema.js';
import { createSequelize } from '../platform/db/connect.js';

/**
 * `npm run audit -- verify | seal | purge`: the audit trail from a shell, for cron and for
 * an auditor without the console. Exit codes: 0 done (trail intact), 1 failed, 2 bad
 * configuration or usage, 4 the trail is broken.
 */
const EXIT = { ok: 0, failed: 1, usage: 2, broken: 4 } as const;

/** The floor the database triggers enforce: younger records cannot be deleted. */
const MIN_RETENTION_DAYS = 180;


interface Audit {
  config: HuijiConfig;
  sequelize: Sequelize;
  models: AuditModels;
  keys: AuditKeys;
}

/** Opens the database and the server's own audit keys; never creates keys (see missingAuditKeyFiles). */
async function withAudit(work: (audit: Audit) => Promise<number>): Promise<number> {
  const config = loadConfig();
  const missing = missingAuditKeyFiles(config.dataDir, config.audit.hmacKey);
  if (missing.length > 0) {
    throw new UsageError(
      `no audit keys at ${missing.join(', ')}: run this with the server's data directory (HUIJI_DATA_DIR or dataDir in huiji.config.json).`,
    );
  }
  const keys = loadAuditKeys(config.dataDir, config.audit.hmacKey);
  const sequelize = createSequelize({ url: config.databaseUrl });
  try {
    return await work({ config, sequelize, models: defineAuditModels(sequelize), keys });
  } finally {
    await sequelize.close();
  }
}

async function verify(options: { json?: boolean }): Promise<number> {
  // Reads only: no sealing first and no `audit.verify` record, unlike the HTTP route.
  return withAudit(async ({ sequelize, models, keys }) => {
    const result = await verifyAuditTrail(sequelize, models, keys, 'zh-CN');
    print(options.json ? JSON.stringify(result, null, 2) : summarize(result));
    return result.ok ? EXIT.ok : EXIT.broken;
  });
}

function summarize(result: VerifyResult): string {
  const lines = result.ok
    ? [
        `审计日志完整：已校验 ${result.checked} 条记录、${result.checkpoints} 个签名检查点，${result.pending} 条待封存。`,
        `Audit trail intact: ${result.checked} records and ${result.checkpoints} signed checkpoints checked, ${result.pending} awaiting sealing.`,
      ]
    : [
        `审计日志被篡改：首个异常在记录 ${result.firstBad?.id}：${result.firstBad?.message}`,
        `Audit trail broken at record ${result.firstBad?.id}: ${result.firstBad?.reason}`,
      ];
  for (const warning of result.warnings) lines.push(`注意 / Warning: ${warning}`);
  return lines.join('\n');
}

async function seal(): Promise<number> {
  return withAudit(async ({ sequelize, models, keys }) => {
    const sealer = new AuditSealer(sequelize, models, keys);
    const sealed = await sealer.sealPending({ fullScan: true });
    await sealer.checkpoint();
    const tail = await models.AuditChain.findOne({ order: [['seq', 'DESC']] });
    const link = tail ? Number(tail.seq) : 0;
    print([`已封存 ${sealed} 条记录，并在第 ${link} 环签发检查点。`, `Sealed ${sealed} records; signed a checkpoint at link ${link}.`].join('\n'));
    return EXIT.ok;
  });
}

async function purge(options: { retentionDays?: number }): Promise<number> {
  return withAudit(async ({ config, sequelize, models, keys }) => {
    const days = options.retentionDays ?? config.audit.retentionDays;
    const sealer = new AuditSealer(sequelize, models, keys);
    const purged = await sealer.purge(days);
    if (purged > 0) {
      // Deleting audit records is itself worth a record; sealed at once so verify passes without a server.
      await new AuditService(models, keys).record({
        action: 'audit.purge',
        actor: SYSTEM_ACTOR,
        summary: `清理超过 ${days} 天的审计记录 ${purged} 条`,
        diff: { retentionDays: days, purged },
      });
      await sealer.sealPending({ fullScan: true });
    }
    print(
      [`已清理 ${purged} 条超过 ${days} 天的审计记录。`, `Purged ${purged} audit records older than ${days} days.`].join('\n'),
    );
    return EXIT.ok;
  });
}

function retentionDays(value: string): number {
  const days = Number(value);
  if (!/^\d+$/.test(value) || days < MIN_RETENTION_DAYS) {
    throw new InvalidArgumentError(
      `expected a whole number of days, at least ${MIN_RETENTION_DAYS}: China's Cybersecurity Law asks for six months, and the database refuses to delete younger records.`,
    );
  }
  return days;
}

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

const run = (work: () => Promise<number>) => runCommand('audit', work);

const program = new Command()
  .name('audit')
  .description('Verify, seal and purge the tamper-evident audit trail')
  // Set before the commands, which inherit it: bad options exit 2, help exits 0.
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : EXIT.usage));

program
  .command('verify')
  .description('check every record, chain link and signed checkpoint without writing anything; exit 4 when the trail is broken')
  .option('--json', 'print the result as JSON')
  .action((options: { json?: boolean }) => run(() => verify(options)));

program
  .command('seal')
  .description('seal every unsealed record into the chain and sign a checkpoint')
  .action(() => run(seal));

program
  .command('purge')
  .description('delete records past retention behind a signed checkpoint')
  .option('--retention-days <n>', `days to keep (default: audit.retentionDays; at least ${MIN_RETENTION_DAYS})`, retentionDays)
  .action((options: { retentionDays?: number }) => run(() => purge(options)));

await program.parseAsync();
