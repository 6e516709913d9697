import { Command, Option } from 'commander';
import { runAction, type CommandContext } from '../context.js';
import { failed, runChecks, type Check, type CheckGroup } from '../doctor/checks.js';
import { EXIT } from '../errors.js';
import { DEFAULT_PORT, parsePort } from '../options.js';
import { readServerConfig } from '../state.js';
import type { Ui } from '../ui.js';

const GROUP_TITLES: Record<CheckGroup, string> = {
  system: 'System 系统',
  files: 'Files and disk 文件与磁盘',
  database: 'Database 数据库',
  network: 'Network 网络',
  services: 'Services 服务',
};

const MARKS = { ok: '✔', info: 'i', warn: '!', fail: '✖' } as const;
const COLORS = { ok: 'green', info: 'cyan', warn: 'yellow', fail: 'red' } as const;

/** The checks for this prefix, with what an existing install there says about port and database. */
export async function diagnose(ctx: CommandContext, options: { dbUrl?: string; port?: number; nginx?: boolean }): Promise<Check[]> {
  const config = readServerConfig(ctx.layout);
  const installedPort = typeof config?.port === 'number' ? config.port : null;
  const jobs = (config?.jobs ?? {}) as { mongodbUrl?: string };
  const behindNginx = options.nginx ?? ctx.system.which('nginx') !== null;
  return runChecks({
    layout: ctx.layout,
    system: ctx.system,
    port: options.port ?? installedPort ?? DEFAULT_PORT,
    bindHost: behindNginx ? '127.0.0.1' : '0.0.0.0',
    dbUrl: options.dbUrl ?? (typeof config?.databaseUrl === 'string' && config.databaseUrl.startsWith('mysql') ? config.databaseUrl : null),
    installedPort,
    mongodbUrl: jobs.mongodbUrl ?? null,
  });
}

export function printChecks(ui: Ui, checks: Check[], only?: (check: Check) => boolean): void {
  for (const group of Object.keys(GROUP_TITLES) as CheckGroup[]) {
    const inGroup = checks.filter((check) => check.group === group && (!only || only(check)));
    if (inGroup.length === 0) continue;
    ui.line(ui.paint('bold', GROUP_TITLES[group]));
    for (const check of inGroup) {
      ui.line(`  ${ui.paint(COLORS[check.status], MARKS[check.status])} ${check.id}: ${check.message}`);
      if (check.hint && check.status !== 'ok') {
        ui.line(ui.paint('dim', `      修复: ${check.hint.zh}`));
        ui.line(ui.paint('dim', `      fix:  ${check.hint.en}`));
      }
    }
  }
}

export function doctorCommand(): Command {
  return new Command('doctor')
    .description('check this server for Huiji: OS, Node.js, database, disk, memory, port, systemd, nginx, clock, permissions')
    .option('--db-admin-url <url>', 'database to check (default: the installed configuration\'s), e.g. mysql://root:pw@127.0.0.1:3306/')
    .addOption(new Option('--port <port>', `the port Huiji will listen on (default: the installed one, else ${DEFAULT_PORT})`).argParser(parsePort))
    .option('--json', 'print the checks as JSON')
    .addHelpText('after', '\nExit codes: 0 nothing failed (warnings allowed), 5 a check failed.')
    .action(
      runAction(async (ctx, values) => {
        const checks = await diagnose(ctx, { dbUrl: values.get<string>('dbAdminUrl'), port: values.get<number>('port') });
        const problems = failed(checks);
        if (values.get<boolean>('json')) {
          const counts = { ok: 0, info: 0, warn: 0, fail: 0 };
          for (const check of checks) counts[check.status] += 1;
          process.stdout.write(`${JSON.stringify({ ok: problems.length === 0, counts, checks }, null, 2)}\n`);
        } else {
          printChecks(ctx.ui, checks);
          ctx.ui.line();
          ctx.ui.line(problems.length === 0 ? ctx.ui.paint('green', 'This server is ready for Huiji. 服务器满足安装条件。') : ctx.ui.paint('red', `${problems.length} check(s) failed. ${problems.length} 项检查未通过。`));
        }
        for (const check of checks) ctx.ui.log('check', `${check.status} ${check.group}/${check.id}: ${check.message}`);
        return problems.length === 0 ? EXIT.ok : EXIT.prerequisite;
      }),
    );
}
