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
  /** The store the account works in; head-office roles have none. */
  storeCode: string | null;
  status: 'active' | 'disabled';
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Per store one manager (`<store>-mgr`, hired in the opening week) and `perStore - 1`
 * cashiers (`<store>-c1`…, hired any time since); then one auditor and one IT operator at
 * head office. Accounts at a closed store are disabled from its closing day.
 */
export function planStaff(
  random: Random,
  stores: ReadonlyArray<Pick<SeededStore, 'code' | 'status' | 'createdAt' | 'updatedAt'>>,
  perStore: number,
  now: Date,
): StaffPlan[] {
  const takenNames = new Set<string>();
  // Distinct names read better in a staff list; after a few tries a namesake is fine (they happen).
  const displayName = () => {
    let name = personName(random).name;
    for (let i = 0; i < 20 && takenNames.has(name); i++) name = personName(random).name;
    takenNames.add(name);
    return name;
  };
  const plans: StaffPlan[] = [];
  for (const store of stores) {
    const closed = store.status === 'closed';
    const lastDay = closed ? store.updatedAt : now;
    const member = (suffix: string, role: StaffRole, hiredBy: Date): StaffPlan => {
      const createdAt = businessTime(random, store.createdAt, new Date(Math.min(hiredBy.getTime(), lastDay.getTime())));
      return {
        username: `${store.code}-${suffix}`,
        displayName: displayName(),
        role,
        storeCode: store.code,
        status: closed ? 'disabled' : 'active',
        createdAt,
        updatedAt: closed ? store.updatedAt : createdAt,
      };
    };
    plans.push(member('mgr', 'store_manager', new Date(store.createdAt.getTime() + 7 * DAY_MS)));
    for (let i = 1; i < perStore; i++) plans.push(member(`c${i}`, 'cashier', now));
  }
  const firstOpening = stores.length > 0 ? stores[0].createdAt : now;
  for (const [username, role] of [['auditor', 'auditor'], ['it-ops', 'it_ops']] as const) {
    const createdAt = businessTime(random, new Date(firstOpening.getTime() - 30 * DAY_MS), firstOpening);
    plans.push({ username, displayName: displayName(), role, storeCode: null, status: 'active', createdAt, updatedAt: createdAt });
  }
  return plans;
}

export interface StaffResult {
  staff: StaffPlan[];
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

  const userStores = staff
    .filter((person) => person.storeCode !== null)
    .map((person): Row => ({ user_id: userIds.get(person.username), store_id: storeIds.get(person.storeCode!) }));
  await insertBatches(sequelize, 'user_stores', userStores, { ...batch, total: userStores.length });

  return { staff };
}
