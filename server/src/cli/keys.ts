import { Command } from 'commander';
import { QueryTypes, type Sequelize } from 'sequelize';
import { loadAuditKeys, missingAuditKeyFiles } from '../modules/audit/keys.js';
import { defineAuditModels } from '../modules/audit/models.js';
import { AuditService, SYSTEM_ACTOR } from '../modules/audit/service.js';
import { MEMBER_ENCRYPTED_COLUMNS } from '../modules/members/contact.js';
import { loadConfig } from '../platform/config/load.js';
import { runCommand, UsageError } from './command-runner.js';
import type { HuijiConfig } from '../platform/config/schema.js';
import { reencryptColumns } from '../platform/crypto/encrypted-columns.js';
import { FieldCipher } from '../platform/crypto/field-cipher.js';
import { addFieldKeyToFile, loadFieldKeys } from '../platform/crypto/field-keys.js';
import { createSequelize } from '../platform/db/connect.js';

/**
 * `npm run keys -- status | rotate | reencrypt [--reindex]`: the field-encryption keys of
 * members' phone, e-mail and ID number. Rotation is two steps with a restart between, so
 * no node writes with a key another node does not have yet:
 *   1. `rotate` adds a key and makes it active (or, with keys in the config, you add one
 *      there and set crypto.activeFieldKey); restart every node;
 *   2. `reencrypt` rewrites every value under the active key; then old keys may go.
 * Exit codes: 0 done, 1 failed, 2 bad configuration or usage.
 */
const EXIT = { ok: 0, failed: 1, usage: 2 } as const;


function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

async function withDatabase(work: (config: HuijiConfig, sequelize: Sequelize) => Promise<number>): Promise<number> {
  const config = loadConfig();
  const sequelize = createSequelize({ url: config.databaseUrl });
  try {
    return await work(config, sequelize);
  } finally {
    await sequelize.close();
  }
}

/** How many stored values each key id protects, per column. */
async function countsByKey(sequelize: Sequelize, keyIds: string[]) {
  const rows: Array<{ column: string; key: string; values: number }> = [];
  for (const spec of MEMBER_ENCRYPTED_COLUMNS) {
    const [{ total }] = await sequelize.query<{ total: number }>(`SELECT COUNT(*) AS total FROM ${spec.table} WHERE ${spec.column} IS NOT NULL`, { type: QueryTypes.SELECT });
    let known = 0;
    for (const key of keyIds) {
      const [{ n }] = await sequelize.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${spec.table} WHERE ${spec.column} LIKE ?`, {
        replacements: [`v1:${key}:%`],
        type: QueryTypes.SELECT,
      });
      rows.push({ column: `${spec.table}.${spec.column}`, key, values: Number(n) });
      known += Number(n);
    }
    if (Number(total) > known) rows.push({ column: `${spec.table}.${spec.column}`, key: '(unknown key)', values: Number(total) - known });
  }
  return rows;
}

async function status(options: { json?: boolean }): Promise<number> {
  return withDatabase(async (config, sequelize) => {
    const keys = loadFieldKeys(config.dataDir, config.crypto);
    const counts = await countsByKey(sequelize, [...keys.keys.keys()]);
    if (options.json) {
      print(JSON.stringify({ source: keys.source, active: keys.activeKeyId, keys: [...keys.keys.keys()], counts }, null, 2));
    } else {
      print(`字段密钥来源 / key source: ${keys.source === 'config' ? 'configuration' : 'data directory key file'}`);
      print(`当前密钥 / active key: ${keys.activeKeyId}; 全部 / all: ${[...keys.keys.keys()].join(', ')}`);
      for (const row of counts) print(`  ${row.column}  ${row.key}: ${row.values}`);
      const stale = counts.filter((row) => row.key !== keys.activeKeyId && row.values > 0);
      if (stale.length > 0) print('仍有旧密钥加密的数据，请运行 reencrypt / values under older keys remain: run reencrypt');
    }
    return EXIT.ok;
  });
}

async function rotate(): Promise<number> {
  const config = loadConfig();
  if (config.crypto.fieldKeys) {
    throw new UsageError(
      'the field keys are in the configuration: add a new key to crypto.fieldKeys, set crypto.activeFieldKey to it, restart every node, then run reencrypt.',
    );
  }
  loadFieldKeys(config.dataDir, config.crypto);
  const id = addFieldKeyToFile(config.dataDir);
  print([`已新增字段密钥 ${id} 并设为当前密钥。请重启所有节点，然后运行 npm run keys -- reencrypt。`, `Added field key ${id} and made it active. Restart every node, then run npm run keys -- reencrypt.`].join('\n'));
  return EXIT.ok;
}

async function reencrypt(options: { reindex?: boolean }): Promise<number> {
  return withDatabase(async (config, sequelize) => {
    const keys = loadFieldKeys(config.dataDir, config.crypto);
    const cipher = new FieldCipher(keys);
    const results = await reencryptColumns(sequelize, cipher, [...MEMBER_ENCRYPTED_COLUMNS], {
      reindex: options.reindex,
      onProgress: (r) => process.stderr.write(`  ${r.column}: ${r.scanned} scanned, ${r.rewritten} rewritten\r`),
    });
    process.stderr.write('\n');
    const rewritten = results.reduce((sum, r) => sum + r.rewritten, 0);
    if (missingAuditKeyFiles(config.dataDir, config.audit.hmacKey).length === 0) {
      await new AuditService(defineAuditModels(sequelize), loadAuditKeys(config.dataDir, config.audit.hmacKey)).record({
        action: 'system.keys_reencrypt',
        actor: SYSTEM_ACTOR,
        summary: `字段加密数据改用密钥 ${keys.activeKeyId} 重新加密 ${rewritten} 个值${options.reindex ? '，并重建盲索引' : ''}`,
        diff: { activeKey: keys.activeKeyId, reindex: Boolean(options.reindex), results },
      });
    }
    for (const r of results) print(`${r.column}: ${r.scanned} scanned, ${r.rewritten} rewritten`);
    print([`完成：${rewritten} 个值已改用密钥 ${keys.activeKeyId}。`, `Done: ${rewritten} values now under key ${keys.activeKeyId}.`].join('\n'));
    return EXIT.ok;
  });
}

const run = (work: () => Promise<number>) => runCommand('keys', work);

const program = new Command()
  .name('keys')
  .description('Rotate the keys that encrypt members\' phone, e-mail and ID number')
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : EXIT.usage));
program
  .command('status')
  .description('Show the keys and how many stored values each protects')
  .option('--json', 'machine-readable output')
  .action((options: { json?: boolean }) => run(() => status(options)));
program
  .command('rotate')
  .description('Add a new key to the key file and make it active (keys in the configuration are rotated there)')
  .action(() => run(rotate));
program
  .command('reencrypt')
  .description('Rewrite every value under the active key; safe to run again and while serving')
  .option('--reindex', 'also recompute the blind indexes (after changing the blind-index key)')
  .action((options: { reindex?: boolean }) => run(() => reencrypt(options)));
await program.parseAsync();
