import path from 'node:path';
import { Command } from 'commander';
import { runAction, type CommandContext } from '../context.js';
import { connect, createDatabase, databaseExists, parseMysqlUrl } from '../db-admin.js';
import { PrerequisiteError, UsageError } from '../errors.js';
import { grantApp } from '../install/database.js';
import { SERVICE_NAME, waitForReady } from '../install/service.js';
import { accountHosts } from '../db-admin.js';
import { configuredPort, huijiAnswersOn, restoreOwnership, serviceUser, systemdManages } from '../installed.js';
import { runHuiji } from '../release-cli.js';
import { mysqlUrl, ownerUrl, readServerConfig, requireState, type InstallerState } from '../state.js';

/**
 * `restore`: the installed release's `huiji backup restore` with the owner account (it takes
 * a rollback snapshot first and puts it back on failure). A systemd-managed Huiji is stopped
 * for it and started again; one this installer does not manage must be stopped by hand.
 * Afterwards the app account's grants are applied again (restored tables need theirs).
 */
export function restoreCommand(): Command {
  return new Command('restore')
    .description('replace the installed database (and secrets) with a backup; a rollback snapshot is taken first')
    .option('--file <file>', 'the .hjbak file (its .hjkey beside it)')
    .option('--private-key <file>', 'the backup private key (PEM)')
    .option('--into-database <name>', 'restore into a new database <db>_<suffix> beside the live one (to look something up); Huiji keeps running and nothing live changes')
    .option('--yes', 'do not ask for confirmation')
    .option('--json', 'print the report as JSON')
    .addHelpText('after', '\nExit codes: 0 restored, 1 failed (the database was put back), 2 usage, 3 integrity failure, 4 wrong private key, 5 prerequisite failed (e.g. Huiji still running).')
    .action(
      runAction(async (ctx, values) => {
        const state = requireState(ctx.layout);
        const file = path.resolve(await values.requiredString('file', { flag: '--file', question: 'Backup file (.hjbak) 备份文件' }));
        const privateKey = path.resolve(await values.requiredString('privateKey', { flag: '--private-key', question: 'Backup private key file 备份私钥文件' }));
        const into = values.get<string>('intoDatabase');
        if (into !== undefined) return restoreBeside(ctx, state, file, privateKey, into, values.get<boolean>('json') === true);
        if (!values.get<boolean>('yes') && !(await ctx.ui.confirm(`This replaces every table of ${state.dbName} with ${path.basename(file)}. 将用备份覆盖数据库 ${state.dbName}。`, 'restore'))) {
          throw new UsageError(ctx.ui.interactive ? 'not confirmed' : 'restoring replaces the database: pass --yes to confirm without a terminal');
        }
        const port = configuredPort(readServerConfig(ctx.layout));
        const managed = systemdManages(ctx, state);
        if (managed) {
          await ctx.ui.step('stop the huiji service', async () => void (await ctx.system.systemctl('stop', SERVICE_NAME)));
        } else if (await huijiAnswersOn(port)) {
          throw new PrerequisiteError(`Huiji answers on port ${port}: stop it first (the process started with ${ctx.layout.currentBin} start), then restore`);
        }
        let code: number;
        try {
          const args = ['backup', 'restore', '--file', file, '--private-key', privateKey, '--yes', ...(values.get<boolean>('json') ? ['--json'] : [])];
          code = (await runHuiji(ctx, ctx.layout.currentBin, args, { env: { HUIJI_CONFIG: ctx.layout.configFile, HUIJI_DATABASE_URL: ownerUrl(state) }, passthrough: true })).code;
          if (code === 0) {
            const owner = await connect(parseMysqlUrl(ownerUrl(state), 'owner URL'));
            try {
              await grantApp(ctx, owner, state.dbName, state.appUser, accountHosts(state.dbHost));
            } finally {
              await owner.end();
            }
          }
          await restoreOwnership(ctx, await serviceUser(ctx));
        } finally {
          if (managed) {
            await ctx.ui.step('start the huiji service', async () => {
              await ctx.system.systemctl('start', SERVICE_NAME);
              await waitForReady(ctx, port);
            });
          }
        }
        return code;
      }),
    );
}

/**
 * A restore into a new database beside the live one, for looking up what was lost without
 * touching what is served. The owner account may create `<db>_*` databases, so the name must
 * start with the installed database's; an existing one is refused rather than overwritten.
 */
async function restoreBeside(ctx: CommandContext, state: InstallerState, file: string, privateKey: string, name: string, json: boolean): Promise<number> {
  if (!new RegExp(`^${state.dbName}_[A-Za-z0-9_]{1,32}$`).test(name)) {
    throw new UsageError(`--into-database must be ${state.dbName}_<letters, digits or _>, e.g. ${state.dbName}_restored: the owner account may create only those`);
  }
  const owner = await connect(parseMysqlUrl(ownerUrl(state), 'owner URL'));
  try {
    if (await databaseExists(owner, name)) throw new PrerequisiteError(`database ${name} exists; choose another name or drop it first`);
    await ctx.ui.step(`create database ${name}`, async () => void (await createDatabase(owner, name)));
  } finally {
    await owner.end();
  }
  const target = mysqlUrl(state.ownerUser, state.ownerPassword, state.dbHost, state.dbPort, name);
  const args = ['backup', 'restore', '--file', file, '--private-key', privateKey, '--db-url', target, '--yes', ...(json ? ['--json'] : [])];
  const { code } = await runHuiji(ctx, ctx.layout.currentBin, args, { env: { HUIJI_CONFIG: ctx.layout.configFile }, passthrough: true });
  if (code === 0 && !json) ctx.ui.info(`restored into ${name} beside ${state.dbName}; drop it when done: DROP DATABASE \`${name}\`;`);
  return code;
}
