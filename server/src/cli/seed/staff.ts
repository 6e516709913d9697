import { idsByKey, insertBatches, type Row } from './batch.js';
import { DAY_MS, type SeedContext } from './context.js';
import { businessTime, personName } from './generators.js';
import type { Random } from './random.js';
import type { SeededStore } from './stores.js';

export type StaffRole = 'store_manager' | 'cashier' | 'auditor' | 'it_ops';

export interface StaffPlan {
  username: string;
  displayName: string;
  role: StaffRole;
  /** The store the account is attached to. */
  storeCode: string;
  status: 'active' | 'disabled';
  createdAt: Date;
  updatedAt: Date;
}

/**
 * The accounts other issues, docs and checks log in with, by store index: every built-in
 * role in S001, a second manager and cashier in S002. Head-office roles (auditor, IT
 * operator) are attached to S001 too, because that is what the contract says.
 */
export const NAMED_ACCOUNTS = {
  managers: ['manager1', 'manager2'],
  cashiers: ['cashier1', 'cashier2'],
  auditor: 'auditor1',
  itOps: 'itops1',
} as const;

/** The fewest stores and accounts per store that leave room for every named account. */
export const NAMED_ACCOUNTS_NEED = { stores: 2, perStore: 2 } as const;

/**
 * Per store one manager (hired in the opening week) and `perStore - 1` cashiers (hired any
 * time since): in S001 and S002 the first of each takes its name from NAMED_ACCOUNTS, the
 * rest are `<store>-mgr`, `<store>-c1`… in lower case. Then the auditor and the IT operator.
 * Accounts at a closed store are disabled from its closing day.
 */
export function planStaff(
  random: Random,
  stores: ReadonlyArray<Pick<SeededStore, 'code' | 'status' | 'createdAt' | 'updatedAt'>>,
  perStore: number,
  now: Date,
): StaffPlan[] {
  if (stores.length < NAMED_ACCOUNTS_NEED.stores || perStore < NAMED_ACCOUNTS_NEED.perStore) {
    throw new RangeError(
      `the named demo accounts need at least ${NAMED_ACCOUNTS_NEED.stores} stores with ${NAMED_ACCOUNTS_NEED.perStore} accounts each, got ${stores.length} with ${perStore}`,
    );
  }
  const takenNames = new Set<string>();
  // Distinct names read better in a staff list; after a few tries a namesake is fine (they happen).
  const displayName = () => {
    let name = personName(random).name;
    for (let i = 0; i < 20 && takenNames.has(name); i++) name = personName(random).name;
    takenNames.add(name);
    return name;
  };
  const plans: StaffPlan[] = [];
  stores.forEach((store, index) => {
    const closed = store.status === 'closed';
    const lastDay = closed ? store.updatedAt : now;
    const prefix = store.code.toLowerCase();
    const member = (username: string, role: StaffRole, hiredBy: Date): StaffPlan => {
      const createdAt = businessTime(random, store.createdAt, new Date(Math.min(hiredBy.getTime(), lastDay.getTime())));
      return {
        username,
        displayName: displayName(),
        role,
        storeCode: store.code,
        status: closed ? 'disabled' : 'active',
        createdAt,
        updatedAt: closed ? store.updatedAt : createdAt,
      };
    };
    const manager = NAMED_ACCOUNTS.managers[index] ?? `${prefix}-mgr`;
    plans.push(member(manager, 'store_manager', new Date(store.createdAt.getTime() + 7 * DAY_MS)));
    for (let i = 1; i < perStore; i++) {
      const cashier = (i === 1 ? NAMED_ACCOUNTS.cashiers[index] : undefined) ?? `${prefix}-c${i}`;
      plans.push(member(cashier, 'cashier', now));
    }
  });
  const first = stores[0];
  for (const [username, role] of [[NAMED_ACCOUNTS.auditor, 'auditor'], [NAMED_ACCOUNTS.itOps, 'it_ops']] as const) {
    const createdAt = businessTime(random, new Date(first.createdAt.getTime() - 30 * DAY_MS), first.createdAt);
    plans.push({ username, displayName: displayName(), role, storeCode: first.code, status: 'active', createdAt, updatedAt: createdAt });
  }
  return plans;
}

export interface SeededStaff extends StaffPlan {
  id: number;
}

export interface StaffResult {
  staff: SeededStaff[];
}

/** Inserts the staff with one shared password hash: argon2 is slow on purpose, once is enough. */
export async function seedStaff(
  ctx: SeedContext,
  options: { stores: SeededStore[]; perStore: number; passwordHash: string },
): Promise<StaffResult> {
  const { sequelize } = ctx;
  const staff = planStaff(ctx.random.fork('staff'), options.stores, options.perStore, ctx.now);
  const batch = { chunkSize: ctx.chunkSize, onProgress: ctx.onProgress };

  const users = staff.map(
    (person): Row => ({
      username: person.username,
      display_name: person.displayName,
      password_hash: options.passwordHash,
      must_change_password: false,
      status: person.status,
      locale: 'zh-CN',
      password_changed_at: person.createdAt,
      created_at: person.createdAt,
      updated_at: person.updatedAt,
    }),
  );
  await insertBatches(sequelize, 'users', users, { ...batch, total: users.length });

  const userIds = await idsByKey(sequelize, 'users', 'username', staff.map((person) => person.username));
  const roleIds = await idsByKey(sequelize, 'roles', 'code', [...new Set(staff.map((person) => person.role))]);
  const storeIds = new Map(options.stores.map((store) => [store.code, store.id]));

  const userRoles = staff.map((person): Row => ({ user_id: userIds.get(person.username), role_id: roleIds.get(person.role) }));
  await insertBatches(sequelize, 'user_roles', userRoles, { ...batch, total: userRoles.length });

  const userStores = staff.map((person): Row => ({ user_id: userIds.get(person.username), store_id: storeIds.get(person.storeCode) }));
  await insertBatches(sequelize, 'user_stores', userStores, { ...batch, total: userStores.length });

  return { staff: staff.map((person) => ({ ...person, id: userIds.get(person.username)! })) };
}
