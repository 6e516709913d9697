import type { TestApp } from './app.js';
import { createStaff, tokenFor } from './users.js';

export const STAFF_PASSWORD = 'Counter#2026a';

/** Two stores and one account per built-in role, managers and cashiers bound to a store. */
export async function seedAccessFixture(test: TestApp) {
  const { Store } = test.ctx.models.stores;
  const s1 = await Store.create({ code: 'S001', name: '徐汇店', region: '上海', address: null, phone: null });
  const s2 = await Store.create({ code: 'S002', name: '天河店', region: '广州', address: null, phone: null });
  const { UserStore } = test.ctx.models.access;
  const make = async (username: string, roles: string[], storeIds: number[]) => {
    const user = await createStaff(test, { username, password: STAFF_PASSWORD, roles });
    for (const storeId of storeIds) await UserStore.create({ userId: user.id, storeId });
    return user;
  };
  const users = {
    root: await make('root1', ['super_admin'], []),
    manager1: await make('manager1', ['store_manager'], [s1.id]),
    cashier1: await make('cashier1', ['cashier'], [s1.id]),
    manager2: await make('manager2', ['store_manager'], [s2.id]),
    cashier2: await make('cashier2', ['cashier'], [s2.id]),
    auditor1: await make('auditor1', ['auditor'], []),
    itops1: await make('itops1', ['it_ops'], []),
  };
  const tokens: Record<keyof typeof users, string> = {} as Record<keyof typeof users, string>;
  for (const name of Object.keys(users) as Array<keyof typeof users>) tokens[name] = await tokenFor(test, users[name].username, STAFF_PASSWORD);
  return { stores: { s1, s2 }, users, tokens };
}

export type AccessFixture = Awaited<ReturnType<typeof seedAccessFixture>>;
