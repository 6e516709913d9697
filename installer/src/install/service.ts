import fs from 'node:fs';
import path from 'node:path';
import type { CommandContext } from '../context.js';
import { isSystemPrefix, nginxSitePaths } from '../layout.js';
import type { Owner } from '../system.js';
import { renderNginxSite, renderUnit } from '../templates.js';
import type { Journal } from './journal.js';

export const SERVICE_NAME = 'huiji';
/** members.importMaxMegabytes' default: the largest request the site must let through. */
const DEFAULT_IMPORT_MEGABYTES = 30;

/** Writes a file, journaling how to put back what was there (or remove it). */
export async function writeTracked(ctx: CommandContext, journal: Journal, file: string, content: string, options: { mode: number; owner?: Owner | null }): Promise<boolean> {
  // Only a missing parent is made: an existing one keeps its mode (/etc/huiji is 0750).
  if (!fs.existsSync(path.dirname(file))) {
    for (const dir of await ctx.system.mkdir(path.dirname(file), { mode: 0o755 })) journal.add(`directory ${dir}`, () => ctx.system.remove(dir));
  }
  const before = fs.existsSync(file) ? fs.readFileSync(file) : null;
  if (before && before.equals(Buffer.from(content)) && (fs.statSync(file).mode & 0o7777) === options.mode) return false;
  const { previous } = await ctx.system.writeFile(file, content, options);
  journal.add(`file ${file}`, async () => {
    if (previous) await ctx.system.writeFile(file, previous.toString(), options);
    else await ctx.system.remove(file);
  });
  return true;
}

/** The unit for this prefix; the backup copy directory joins ReadWritePaths when the config names one. */
export function unitFor(ctx: CommandContext, user: string, config: Record<string, unknown>): string {
  const { layout } = ctx;
  const backup = (config.backup ?? {}) as { copyTo?: string };
  const readWritePaths = [layout.dataDir, layout.logDir, layout.backupDir];
  if (backup.copyTo && path.isAbsolute(backup.copyTo)) readWritePaths.push(backup.copyTo);
  return renderUnit({ user, configFile: layout.configFile, huijiBin: layout.currentBin, readWritePaths }, ctx.sourceRoot);
}

/**
 * `systemd-analyze verify` of the written unit, when the tool is there. Unknown keys and
 * similar slips only print a line (exit 0), so any output counts as a finding.
 */
export async function verifyUnit(ctx: CommandContext, unitFile: string): Promise<{ checked: boolean; findings: string }> {
  if (!ctx.system.which('systemd-analyze')) return { checked: false, findings: '' };
  const result = await ctx.system.query('systemd-analyze', ['verify', unitFile], { timeoutMs: 30_000 });
  const findings = `${result.stdout}${result.stderr}`.trim();
  if (result.code !== 0) throw new Error(`systemd-analyze verify ${unitFile} failed: ${findings || `exit ${result.code}`}`);
  return { checked: true, findings };
}

export async function installUnit(ctx: CommandContext, journal: Journal, options: { user: string; config: Record<string, unknown> }): Promise<void> {
  await ctx.ui.step('systemd unit', async (step) => {
    const changed = await writeTracked(ctx, journal, ctx.layout.unitFile, unitFor(ctx, options.user, options.config), { mode: 0o644 });
    const verified = await verifyUnit(ctx, ctx.layout.unitFile);
    if (verified.findings) ctx.ui.warn(`systemd-analyze verify: ${verified.findings}`);
    step.detail(`${changed ? 'written' : 'unchanged'}${verified.checked ? ', systemd-analyze verify passed' : ''}`);
  });
}

/** Enables and (re)starts the service, then waits until /readyz answers 200. */
export async function startService(ctx: CommandContext, journal: Journal, port: number): Promise<void> {
  await ctx.ui.step('start the huiji service', async (step) => {
    const wasEnabled = (await ctx.system.query('systemctl', ['is-enabled', SERVICE_NAME])).code === 0;
    await ctx.system.systemctl('daemon-reload');
    await ctx.system.systemctl('enable', SERVICE_NAME);
    if (!wasEnabled) journal.add('huiji service enabled', async () => void (await ctx.system.run('systemctl', ['disable', '--now', SERVICE_NAME])));
    await ctx.system.systemctl('restart', SERVICE_NAME);
    await waitForReady(ctx, port);
    step.detail(`enabled, /readyz answers on 127.0.0.1:${port}`);
  });
}

export async function waitForReady(ctx: CommandContext, port: number, timeoutMs = 90_000): Promise<void> {
  if (ctx.system.dryRun) return;
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`Huiji did not become ready on port ${port} within ${timeoutMs / 1000} s (${last}); see journalctl -u huiji`);
}

/**
 * The nginx site (HTTP, or TLS with the given certificate), checked with `nginx -t` and
 * reloaded when this is the real root and nginx is there; a bad site is taken back.
 */
export async function installNginxSite(
  ctx: CommandContext,
  journal: Journal,
  options: { port: number; serverName: string; tls: { cert: string; key: string } | null; reload: boolean; importMegabytes?: number },
): Promise<void> {
  await ctx.ui.step(`nginx site (${options.tls ? 'HTTPS' : 'HTTP'})`, async (step) => {
    const { site, enabledLink } = nginxSitePaths(ctx.layout);
    const content = renderNginxSite({ port: options.port, serverName: options.serverName, bodyLimitMegabytes: (options.importMegabytes ?? DEFAULT_IMPORT_MEGABYTES) + 2, tls: options.tls }, ctx.sourceRoot);
    const changed = await writeTracked(ctx, journal, site, content, { mode: 0o644 });
    if (enabledLink) {
      if (!fs.existsSync(path.dirname(enabledLink))) {
        for (const dir of await ctx.system.mkdir(path.dirname(enabledLink), { mode: 0o755 })) journal.add(`directory ${dir}`, () => ctx.system.remove(dir));
      }
      const { previousTarget } = await ctx.system.symlink(site, enabledLink);
      if (previousTarget === null) journal.add(`link ${enabledLink}`, () => ctx.system.remove(enabledLink));
    }
    const nginx = ctx.system.which('nginx');
    if (!options.reload || !nginx) return step.detail(`${changed ? 'written' : 'unchanged'} at ${site}; nginx not reloaded${nginx ? ' (not the real root)' : ' (nginx not installed)'}`);
    const test = await ctx.system.query(nginx, ['-t']);
    if (test.code !== 0) throw new Error(`nginx -t rejects the configuration: ${test.stderr.trim()}`);
    const reload = ctx.system.isSystemdPid1() ? await ctx.system.run('systemctl', ['reload', 'nginx']) : await ctx.system.run(nginx, ['-s', 'reload']);
    if (reload.code !== 0) throw new Error(`reloading nginx failed: ${reload.stderr.trim()}`);
    step.detail(`${changed ? 'written' : 'unchanged'} at ${site}, nginx -t passed, reloaded`);
  });
}

/** Removes the nginx site (and reloads nginx on the real root); used by uninstall. */
export async function removeNginxSite(ctx: CommandContext): Promise<boolean> {
  const { site, enabledLink } = nginxSitePaths(ctx.layout);
  const present = [site, enabledLink].filter((file): file is string => file !== null && fs.existsSync(file));
  if (present.length === 0) return false;
  for (const file of present.reverse()) await ctx.system.remove(file);
  const nginx = ctx.system.which('nginx');
  if (isSystemPrefix(ctx.layout) && nginx) {
    if (ctx.system.isSystemdPid1()) await ctx.system.run('systemctl', ['reload', 'nginx']);
    else await ctx.system.run(nginx, ['-s', 'reload']);
  }
  return true;
}
