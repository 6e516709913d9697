import fs from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import type mysql from 'mysql2/promise';
import { buildServerConfig, configSecrets } from '../app-config.js';
import { runAction, type CommandContext, type OptionValues } from '../context.js';
import { connect } from '../db-admin.js';
import { failed } from '../doctor/checks.js';
import { EXIT, PrerequisiteError, UsageError } from '../errors.js';
import { ensureBackupKeyPair, handOverPrivateKey } from '../install/backup-key.js';
import { ensureDatabase, grantApp } from '../install/database.js';
import { Journal } from '../install/journal.js';
import { resolvePlan, type InstallPlan } from '../install/plan.js';
import { installNginxSite, installUnit, startService, writeTracked } from '../install/service.js';
import { ensureServiceUser, fixOwnership, makeDirectories } from '../install/system-setup.js';
import { isSystemPrefix } from '../layout.js';
import { DEFAULT_DB_NAME, DEFAULT_PORT, parsePort } from '../options.js';
import { copyRelease } from '../release-files.js';
import { runHuiji, tail } from '../release-cli.js';
import { mysqlUrl, readServerConfig, readState, type InstallerState } from '../state.js';
import { ownedBy, type Owner } from '../system.js';
import { diagnose, printChecks } from './doctor.js';

import { SERVICE_USER } from '../installed.js';

export interface InstallReport {
  version: string;
  prefix: string;
  port: number;
  url: string;
  configFile: string;
  database: string;
  started: boolean;
  /** Only when bin/huiji generated it: shown this once. */
  adminPassword: string | null;
  backupKey: { fingerprint: string; privateKeyFile: string | null; custody: 'kept' | 'deleted' | null };
  startCommand: string | null;
  logFile: string | null;
}

/**
 * Installs (or converges) Huiji under the prefix. Each stage checks whether its work is
 * already done; whatever this run creates is journaled and undone if a later stage fails.
 */
export async function runInstall(ctx: CommandContext, plan: InstallPlan): Promise<InstallReport> {
  const { layout, ui, system } = ctx;
  const state = readState(layout);
  const existingConfig = readServerConfig(layout);
  if (state && state.version !== plan.version) {
    throw new UsageError(`Huiji ${state.version} is installed under ${layout.prefix}; move to ${plan.version} with huiji-installer upgrade`);
  }
  if (state && state.dbName !== plan.dbName) {
    throw new UsageError(`this prefix holds the install of database ${state.dbName}; run again with --db-name ${state.dbName}, or uninstall first`);
  }
  for (const secret of configSecrets(existingConfig ?? {})) ui.secret(secret);

  const warnings = await ui.step('check this server (doctor)', async (step) => {
    const checks = await diagnose(ctx, { dbUrl: mysqlUrl(plan.admin.user, plan.admin.password, plan.admin.host, plan.admin.port), port: plan.port, nginx: plan.nginx });
    for (const check of checks) ui.log('check', `${check.status} ${check.group}/${check.id}: ${check.message}`);
    const problems = failed(checks);
    if (problems.length > 0) {
      printChecks(ui, problems);
      throw new PrerequisiteError(`${problems.map((check) => `${check.id}: ${check.message}`).join('; ')}`);
    }
    const warnings = checks.filter((check) => check.status === 'warn');
    step.detail(warnings.length ? `${warnings.length} warnings, see below` : 'all fine');
    return warnings;
  });
  printChecks(ui, warnings);

  const journal = new Journal();
  let admin: mysql.Connection | null = null;
  try {
    const user = plan.manageSystem ? await ensureServiceUser(ctx, journal) : null;
    if (!plan.manageSystem) ui.info(`${isSystemPrefix(layout) ? 'not running as root' : '--prefix install'}: no service user, files stay owned by the installing account`);
    const own: Owner | null = user ? ownedBy(user) : null;
    await makeDirectories(ctx, journal, user);

    const releaseDir = layout.releaseDir(plan.version);
    await ui.step(`release ${plan.version}`, async (step) => {
      if (fs.existsSync(releaseDir)) return step.detail(`already at ${releaseDir}`);
      let files = 0;
      await copyRelease(ctx.sourceRoot, releaseDir, (copied) => (files = copied));
      journal.add(`release ${releaseDir}`, () => system.remove(releaseDir));
      step.detail(`${files} files copied to ${releaseDir}`);
    });
    await ui.step('current -> this release', async (step) => {
      const target = path.relative(layout.optDir, releaseDir);
      const { previousTarget } = await system.symlink(target, layout.current);
      if (previousTarget !== target) {
        journal.add(`link ${layout.current}`, async () => void (previousTarget ? await system.symlink(previousTarget, layout.current) : await system.remove(layout.current)));
      }
      step.detail(previousTarget === target ? 'already' : target);
    });
    await ui.step('huiji.env', async (step) => {
      const changed = await writeTracked(ctx, journal, layout.envFile, `HUIJI_CONFIG=${layout.configFile}\nHUIJI_NODE=${process.execPath}\n`, { mode: 0o644 });
      step.detail(changed ? layout.envFile : 'unchanged');
    });

    admin = await connect(plan.admin);
    const accounts = await ensureDatabase(ctx, admin, plan, { state, config: existingConfig }, journal);
    const installedAt = state?.installedAt ?? new Date().toISOString();
    const writeState = async (extra: Pick<InstallerState, 'service' | 'nginx'>) => {
      const next: InstallerState = {
        version: plan.version,
        prefix: layout.prefix,
        dbName: plan.dbName,
        dbHost: plan.admin.host,
        dbPort: plan.admin.port,
        appUser: plan.appUser,
        ownerUser: plan.ownerUser,
        ownerPassword: accounts.ownerPassword,
        installedAt,
        ...extra,
      };
      await writeTracked(ctx, journal, layout.stateFile, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
    };
    await ui.step('installer state', async (step) => {
      await writeState({ service: state?.service ?? false, nginx: state?.nginx ?? false });
      step.detail(layout.stateFile);
    });

    const config = await ui.step('configuration', async (step) => {
      const built = buildServerConfig(existingConfig, {
        port: plan.port,
        host: plan.nginx ? '127.0.0.1' : '0.0.0.0',
        behindProxy: plan.nginx,
        dataDir: layout.dataDir,
        logDir: layout.logDir,
        databaseUrl: mysqlUrl(plan.appUser, accounts.appPassword, plan.admin.host, plan.admin.port, plan.dbName),
        backupDir: layout.backupDir,
        publicKeyFile: layout.publicKeyFile,
      });
      for (const secret of Object.values(built.generated)) ui.secret(secret);
      const changed = await writeTracked(ctx, journal, layout.configFile, `${JSON.stringify(built.config, null, 2)}\n`, { mode: 0o600, owner: own });
      const generated = Object.keys(built.generated);
      step.detail(`${changed ? 'written' : 'unchanged'}${generated.length ? `, new secrets: ${generated.join(', ')}` : ', secrets kept'}`);
      return built.config;
    });

    const key = await ensureBackupKeyPair(ctx, layout.currentBin, plan, journal);
    const adminPassword = await migrate(ctx, plan, accounts.ownerPassword);
    await grantApp(ctx, admin, plan.dbName, plan.appUser, plan.hosts);
    if (user) await fixOwnership(ctx, user);

    await installUnit(ctx, journal, { user: SERVICE_USER, config });
    if (!plan.service) ui.info('--no-service: the unit is written but not enabled or started');
    else if (!plan.manageSystem) ui.info(`prefix install: the unit is written under ${layout.prefix}, not installed into systemd`);
    else if (!plan.startService) ui.info('systemd is not PID 1 here: the service is not started');
    if (plan.nginx) {
      const importMegabytes = Number((config.members as { importMaxMegabytes?: number } | undefined)?.importMaxMegabytes) || undefined;
      await installNginxSite(ctx, journal, { port: plan.port, serverName: plan.serverName, tls: plan.tls, reload: plan.manageSystem, importMegabytes });
    }
    if (plan.startService) await startService(ctx, journal, plan.port);
    await writeState({ service: plan.startService, nginx: plan.nginx });
    journal.clear();

    const custody = await handOverPrivateKey(ctx, plan, key);
    const startCommand = plan.startService ? null : user ? `runuser -u ${SERVICE_USER} -- ${layout.currentBin} start` : `${layout.currentBin} start`;
    return {
      version: plan.version,
      prefix: layout.prefix,
      port: plan.port,
      url: plan.nginx ? `${plan.tls ? 'https' : 'http'}://${plan.serverName === '_' ? '<this server>' : plan.serverName}/` : `http://<this server>:${plan.port}/`,
      configFile: layout.configFile,
      database: `${plan.dbName} on ${plan.admin.host}:${plan.admin.port}`,
      started: plan.startService,
      adminPassword,
      backupKey: { fingerprint: key.fingerprint, privateKeyFile: custody === 'deleted' ? null : key.privateKeyFile, custody },
      startCommand,
      logFile: ui.logFile,
    };
  } catch (error) {
    if (journal.size > 0) {
      ui.warn('the install failed: undoing what this run created (what was there before stays)');
      await journal.rollback(ui);
    }
    throw error;
  } finally {
    await admin?.end().catch(() => undefined);
  }
}

/**
 * Migrations and the first admin, with the owner account, by the release's own bin/huiji.
 * Returns the admin password when bin/huiji generated one (its last line says so).
 */
async function migrate(ctx: CommandContext, plan: InstallPlan, ownerPassword: string): Promise<string | null> {
  return ctx.ui.step('database migrations and first admin', async (step) => {
    const env: Record<string, string> = {
      HUIJI_CONFIG: ctx.layout.configFile,
      HUIJI_DATABASE_URL: mysqlUrl(plan.ownerUser, ownerPassword, plan.admin.host, plan.admin.port, plan.dbName),
    };
    if (plan.adminPassword) env.HUIJI_BOOTSTRAP_ADMIN_PASSWORD = plan.adminPassword;
    const result = await runHuiji(ctx, ctx.layout.currentBin, ['migrate', '--bootstrap-admin'], { env });
    if (result.code !== 0) throw new Error(`bin/huiji migrate failed (exit ${result.code}): ${tail(result)}`);
    const lines = result.stdout.trim().split('\n');
    const generated = /^admin password: (\S+)$/.exec(lines[lines.length - 1] ?? '')?.[1] ?? null;
    ctx.ui.secret(generated);
    const applied = lines.filter((line) => /^\s+\d{14}-/.test(line)).length;
    const admin = generated || lines.some((line) => line.startsWith('first administrator created')) ? 'first admin created' : 'admin already there';
    step.detail(`${applied ? `${applied} migrations applied` : 'schema up to date'}, ${admin}`);
    return generated;
  });
}

function printReport(ctx: CommandContext, report: InstallReport): void {
  const { ui } = ctx;
  ui.line();
  ui.line(ui.paint('green', `Huiji ${report.version} is installed under ${report.prefix}. 会籍安装完成。`));
  ui.info(`console 控制台:   ${report.url}`);
  ui.info(`configuration:    ${report.configFile}`);
  ui.info(`database 数据库:  ${report.database}`);
  ui.info(`backup key 备份公钥指纹: ${report.backupKey.fingerprint}`);
  if (report.logFile) ui.info(`installer log:    ${report.logFile}`);
  if (report.adminPassword) {
    ui.loud([
      'First admin 初始管理员: admin',
      `password 密码: ${report.adminPassword}`,
      'Shown ONCE: write it down now. You must change it at the first login.',
      '仅显示这一次，请立即记下；首次登录时必须修改。',
    ]);
  }
  if (report.started) {
    ui.line(`Huiji is running: systemctl status huiji (会籍已启动)`);
    return;
  }
  ui.line('Start Huiji with 启动命令:');
  // The contract: the start command is the last line of the output.
  process.stdout.write(`${report.startCommand}\n`);
}

export function installCommand(): Command {
  return new Command('install')
    .description('install Huiji: service user, release, config with new secrets, MySQL database and accounts, migrations, first admin, backup keys, systemd unit, nginx site')
    .option('--db-admin-url <url>', 'MySQL/MariaDB admin connection, used once and never stored, e.g. mysql://root:pw@127.0.0.1:3306/')
    .option('--db-name <name>', `database name; its accounts are <name>_own and <name>_app (default ${DEFAULT_DB_NAME})`)
    .addOption(new Option('--port <port>', `port Huiji listens on (default ${DEFAULT_PORT})`).argParser(parsePort))
    .option('--admin-password <password>', "first admin's password (at least 10 characters); generated and shown once when not given")
    .option('--no-service', 'write the systemd unit but do not enable or start it')
    .option('--nginx', 'write an nginx site even if nginx is not detected')
    .option('--no-nginx', 'no nginx site: Huiji listens on all addresses itself')
    .option('--server-name <name>', 'nginx server_name, e.g. vip.example.com (default _)')
    .option('--tls-cert <file>', 'TLS certificate (PEM) for an HTTPS nginx site')
    .option('--tls-key <file>', 'TLS private key (PEM) for an HTTPS nginx site')
    .option('--private-key-out <file>', 'write the new backup private key here (e.g. a USB stick) and leave it there')
    .option('--keep-private-key', 'leave the new backup private key on this server instead of deleting it after you copied it')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Re-running converges: same database accounts and passwords, same secrets, same backup key.
A new backup private key is written to <prefix>/root/huiji-backup-private-<fingerprint>.pem:
interactively you copy it off and press Enter to delete it; with --non-interactive it stays
there, with a warning. --private-key-out puts it where you say (a USB stick) and leaves it.
Without systemd, or with --prefix or
--no-service, the start command is printed on the last line.
Exit codes: 0 installed, 1 failed (what this run created is undone), 2 usage, 5 prerequisite failed.`,
    )
    .action(
      runAction(async (ctx: CommandContext, values: OptionValues) => {
        const plan = await resolvePlan(ctx, values);
        const report = await runInstall(ctx, plan);
        if (values.get<boolean>('json')) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        else printReport(ctx, report);
        return EXIT.ok;
      }),
    );
}
