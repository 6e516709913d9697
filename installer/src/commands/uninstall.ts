import fs from 'node:fs';
import { Command } from 'commander';
import { runAction, type CommandContext } from '../context.js';
import { accountHosts, connect, dropDatabase, dropUser, parseMysqlUrl } from '../db-admin.js';
import { PrerequisiteError, UsageError } from '../errors.js';
import { removeNginxSite, SERVICE_NAME } from '../install/service.js';
import { configuredPort, huijiAnswersOn, SERVICE_USER, serviceUser, systemdManages } from '../installed.js';
import { isSystemPrefix } from '../layout.js';
import { readServerConfig, readState, type InstallerState } from '../state.js';

/**
 * `uninstall`: takes away the service, the nginx site and the releases. Data, config,
 * secrets and backups stay (a later install converges onto them) unless --purge is
 * confirmed; then the database and its two accounts go too, with the admin connection.
 */
export function uninstallCommand(): Command {
  return new Command('uninstall')
    .description('remove the service, nginx site and releases; keep data, config and backups unless --purge')
    .option('--purge', 'also delete the database, its accounts, data, config, logs and backups (asks to confirm)')
    .option('--yes', 'confirm --purge without asking')
    .option('--db-admin-url <url>', 'MySQL/MariaDB admin connection, needed by --purge to drop the database and accounts')
    .addHelpText('after', '\nThe backup private key is never touched: it is yours, off this server.\nExit codes: 0 done, 1 failed, 2 usage (e.g. --purge not confirmed).')
    .action(
      runAction(async (ctx, values) => {
        const state = readState(ctx.layout);
        const purge = values.get<boolean>('purge') === true;
        let adminUrl: string | null = null;
        if (purge) {
          if (state) adminUrl = await values.requiredString('dbAdminUrl', { flag: '--db-admin-url', question: 'Database admin URL (to drop the database) 数据库管理员连接', suggestion: 'mysql://root@127.0.0.1:3306/' });
          ctx.ui.secret(adminUrl ? parseMysqlUrl(adminUrl, '--db-admin-url').password : null);
          const what = state ? `database ${state.dbName}, its accounts, ` : '';
          if (!values.get<boolean>('yes') && !(await ctx.ui.confirm(`--purge deletes ${what}all data, config, logs and BACKUPS under ${ctx.layout.prefix}. 将永久删除数据库、数据、配置与所有备份。`, 'purge'))) {
            throw new UsageError(ctx.ui.interactive ? 'not confirmed' : '--purge deletes everything: pass --yes as well to confirm without a terminal');
          }
        }
        const port = configuredPort(readServerConfig(ctx.layout));
        if (!(state && systemdManages(ctx, state)) && (await huijiAnswersOn(port))) {
          throw new PrerequisiteError(`Huiji answers on port ${port}: stop it first, then uninstall`);
        }
        await removeService(ctx);
        await ctx.ui.step('nginx site', async (step) => void ((await removeNginxSite(ctx)) ? step.detail('removed') : step.skip('none')));
        await ctx.ui.step('releases', async (step) => {
          if (!fs.existsSync(ctx.layout.optDir)) return step.skip('none');
          await ctx.system.remove(ctx.layout.optDir);
          step.detail(`${ctx.layout.optDir} removed`);
        });
        if (!purge) {
          ctx.ui.line(`Kept 已保留: ${ctx.layout.etcDir}, ${ctx.layout.dataDir}, ${ctx.layout.backupDir}${state ? ` and database ${state.dbName}` : ''}. Remove them with --purge.`);
          return 0;
        }
        if (state && adminUrl) await dropDatabaseAndAccounts(ctx, state, adminUrl);
        await ctx.ui.step('data, config, logs and backups', async (step) => {
          const dirs = [ctx.layout.etcDir, ctx.layout.dataDir, ctx.layout.backupDir, ctx.layout.logDir].filter((dir) => fs.existsSync(dir));
          for (const dir of dirs) await ctx.system.remove(dir);
          step.detail(dirs.length ? `${dirs.join(', ')} removed` : 'none');
        });
        const user = await serviceUser(ctx);
        if (user) await ctx.ui.step(`service user ${SERVICE_USER}`, async (step) => void (await ctx.system.userdel(SERVICE_USER), step.detail('removed')));
        return 0;
      }),
    );
}

async function removeService(ctx: CommandContext): Promise<void> {
  await ctx.ui.step('systemd unit', async (step) => {
    if (!fs.existsSync(ctx.layout.unitFile)) return step.skip('none');
    const live = isSystemPrefix(ctx.layout) && ctx.system.isSystemdPid1();
    if (live) await ctx.system.run('systemctl', ['disable', '--now', SERVICE_NAME]);
    await ctx.system.remove(ctx.layout.unitFile);
    if (live) await ctx.system.run('systemctl', ['daemon-reload']);
    step.detail(live ? 'stopped, disabled, removed' : 'removed');
  });
}

async function dropDatabaseAndAccounts(ctx: CommandContext, state: InstallerState, adminUrl: string): Promise<void> {
  await ctx.ui.step(`database ${state.dbName} and its accounts`, async (step) => {
    const admin = await connect(parseMysqlUrl(adminUrl, '--db-admin-url'));
    try {
      await dropDatabase(admin, state.dbName);
      for (const host of accountHosts(state.dbHost)) {
        await dropUser(admin, state.ownerUser, host);
        await dropUser(admin, state.appUser, host);
      }
    } finally {
      await admin.end();
    }
    step.detail('dropped');
  });
}
