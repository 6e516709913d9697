import fs from 'node:fs';
import type { CommandContext } from './context.js';
import { isSystemPrefix } from './layout.js';
import type { InstallerState } from './state.js';
import { ownedBy, type ServiceUser } from './system.js';

/**
 * Facts about an existing install that the day-2 commands (backup, restore, uninstall,
 * upgrade) share: whether systemd manages it, and who must own the files a root-run
 * release command leaves behind.
 */
export const SERVICE_USER = 'huiji';

/** True when this install's service runs under systemd on this machine. */
export function systemdManages(ctx: CommandContext, state: InstallerState): boolean {
  return state.service && isSystemPrefix(ctx.layout) && ctx.system.isSystemdPid1() && fs.existsSync(ctx.layout.unitFile);
}

/** The service account when the installer manages one (root, real root prefix), else null. */
export async function serviceUser(ctx: CommandContext): Promise<ServiceUser | null> {
  if (!isSystemPrefix(ctx.layout) || !ctx.system.isRoot()) return null;
  return ctx.system.lookupUser(SERVICE_USER);
}

/**
 * Files a release command wrote as root (keys, rollback snapshots, backups, verification
 * sidecars, the day's log file, a config with restored secrets) go back to the service user,
 * which could not read them otherwise. The installer's own log stays root's: it names
 * accounts and databases.
 */
export async function restoreOwnership(ctx: CommandContext, user: ServiceUser | null): Promise<void> {
  if (!user) return;
  const own = ownedBy(user);
  for (const dir of [ctx.layout.dataDir, ctx.layout.logDir, ctx.layout.backupDir]) await ctx.system.chown(dir, own, { recursive: true });
  if (fs.existsSync(ctx.layout.logFile)) await ctx.system.chown(ctx.layout.logFile, { label: 'root:root', uid: 0, gid: 0 });
  if (fs.existsSync(ctx.layout.configFile)) await ctx.system.chown(ctx.layout.configFile, own);
}

/** Huiji's version when something answers /healthz like Huiji on the port, else null. */
export async function huijiAnswersOn(port: number): Promise<string | null> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1500) });
    const body = (await response.json()) as { status?: string; version?: string };
    return body.status === 'ok' ? (body.version ?? 'unknown') : null;
  } catch {
    return null;
  }
}

export function configuredPort(config: Record<string, unknown> | null): number {
  return typeof config?.port === 'number' ? config.port : 8080;
}
