import type mysql from 'mysql2/promise';
import { existingAppPassword, newPassword } from '../app-config.js';
import type { CommandContext } from '../context.js';
import { applyAppGrants, createDatabase, databaseExists, dropDatabase, dropUser, ensureUser, grantOwner, userExists } from '../db-admin.js';
import type { InstallerState } from '../state.js';
import type { Journal } from './journal.js';
import type { InstallPlan } from './plan.js';

export interface DatabaseAccounts {
  ownerPassword: string;
  appPassword: string;
}

/**
 * The database and its two accounts, with the admin connection. Passwords come from the
 * previous run when there was one (installer.json for the owner, the config's URL for the
 * app), so a re-run changes nothing; what this run creates is journaled for a rollback.
 */
export async function ensureDatabase(
  ctx: CommandContext,
  admin: mysql.Connection,
  plan: InstallPlan,
  previous: { state: InstallerState | null; config: Record<string, unknown> | null },
  journal: Journal,
): Promise<DatabaseAccounts> {
  const ownerPassword = previous.state?.ownerUser === plan.ownerUser ? previous.state.ownerPassword : newPassword();
  const appPassword = existingAppPassword(previous.config, plan.appUser) ?? newPassword();
  ctx.ui.secret(ownerPassword);
  ctx.ui.secret(appPassword);

  await ctx.ui.step(`database ${plan.dbName} (utf8mb4)`, async (step) => {
    if (await databaseExists(admin, plan.dbName)) return step.detail('already there');
    await createDatabase(admin, plan.dbName);
    journal.add(`database ${plan.dbName}`, () => dropDatabase(admin, plan.dbName));
    step.detail('created');
  });

  for (const [user, password, role] of [
    [plan.ownerUser, ownerPassword, 'owner: migrations, restores'],
    [plan.appUser, appPassword, 'app: rows only'],
  ] as const) {
    await ctx.ui.step(`database account ${user} (${role})`, async (step) => {
      const created: string[] = [];
      for (const host of plan.hosts) {
        if (!(await userExists(admin, user, host))) created.push(host);
        await ensureUser(admin, user, host, password);
      }
      for (const host of created) journal.add(`database account ${user}@${host}`, () => dropUser(admin, user, host));
      step.detail(created.length > 0 ? `created @${created.join(', @')}` : 'already there, password kept');
    });
  }

  await ctx.ui.step(`privileges of ${plan.ownerUser}`, async (step) => {
    for (const host of plan.hosts) await grantOwner(admin, plan.dbName, plan.ownerUser, host);
    step.detail(`all on ${plan.dbName} and its ${plan.dbName}_* scratch databases`);
  });
  return { ownerPassword, appPassword };
}

/** Row rights for the app account; run after every migration (new tables need theirs). */
export async function grantApp(ctx: CommandContext, connection: mysql.Connection, dbName: string, appUser: string, hosts: string[]): Promise<void> {
  await ctx.ui.step(`privileges of ${appUser}`, async (step) => {
    const result = await applyAppGrants(connection, dbName, appUser, hosts);
    step.detail(`read/write rows on ${result.tables} tables, audit tables append-only${result.revoked ? `, ${result.revoked} stale grants revoked` : ''}`);
  });
}
