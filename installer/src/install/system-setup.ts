import type { CommandContext } from '../context.js';
import { restoreOwnership, SERVICE_USER } from '../installed.js';
import { ownedBy, rootWithGroupOf, type Owner, type ServiceUser } from '../system.js';
import type { Journal } from './journal.js';

/**
 * The machine-level stages of an install: the service account, the directory tree with its
 * modes and owners, and handing files written as root back to the service account.
 */
export async function ensureServiceUser(ctx: CommandContext, journal: Journal): Promise<ServiceUser> {
  return ctx.ui.step(`service user ${SERVICE_USER}`, async (step) => {
    const existing = await ctx.system.lookupUser(SERVICE_USER);
    if (existing) {
      step.detail('already there');
      return existing;
    }
    await ctx.system.useradd(SERVICE_USER, ctx.layout.dataDir);
    journal.add(`user ${SERVICE_USER}`, () => ctx.system.userdel(SERVICE_USER));
    const created = ctx.system.dryRun ? { name: SERVICE_USER, uid: 999, gid: 999 } : await ctx.system.lookupUser(SERVICE_USER);
    if (!created) throw new Error(`useradd reported success but ${SERVICE_USER} does not exist`);
    step.detail('created (system account, no login)');
    return created;
  });
}

export async function makeDirectories(ctx: CommandContext, journal: Journal, user: ServiceUser | null): Promise<void> {
  const { layout } = ctx;
  await ctx.ui.step('directories', async (step) => {
    const own = user ? ownedBy(user) : null;
    const dirs: Array<[string, number, Owner | null]> = [
      [layout.releasesDir, 0o755, null],
      [layout.etcDir, 0o750, user ? rootWithGroupOf(user) : null],
      [layout.dataDir, 0o750, own],
      [layout.logDir, 0o750, own],
      [layout.backupDir, 0o700, own],
    ];
    let made = 0;
    for (const [dir, mode, owner] of dirs) {
      const created = await ctx.system.mkdir(dir, { mode, owner });
      if (created.length > 0) journal.add(`directory ${created[0]}`, () => ctx.system.remove(created[0]));
      made += created.length;
    }
    step.detail(made ? `${made} created` : 'already there');
  });
}

/** Files written as root in the service's directories must be the service user's. */
export async function fixOwnership(ctx: CommandContext, user: ServiceUser): Promise<void> {
  await ctx.ui.step('file ownership', async (step) => {
    await restoreOwnership(ctx, user);
    step.detail(`${user.name} owns its data, logs, backups and config`);
  });
}
