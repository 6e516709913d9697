import { AsyncLocalStorage } from 'node:async_hooks';
import type { Sequelize, Transaction } from 'sequelize';

interface TransactionScope {
  sequelize: Sequelize;
  transaction: Transaction;
}

const scope = new AsyncLocalStorage<TransactionScope>();

/**
 * Runs `work` in a transaction: joins the caller's transaction on the same database when
 * there is one, else starts one that commits when `work` resolves and rolls back when it
 * throws. Queries inside must still pass `{ transaction }`: joining is explicit in SQL.
 */
export async function withTransaction<T>(
  sequelize: Sequelize,
  work: (transaction: Transaction) => Promise<T>,
): Promise<T> {
  const current = scope.getStore();
  if (current && current.sequelize === sequelize) return work(current.transaction);
  return sequelize.transaction((transaction) => scope.run({ sequelize, transaction }, () => work(transaction)));
}

export function currentTransaction(): Transaction | undefined {
  return scope.getStore()?.transaction;
}

/**
 * Side effects (notifications, webhooks, files) wait for the data to be committed; outside
 * a transaction they run at once. A failing effect is reported, never rolls back data.
 */
export function afterCommit(effect: () => unknown | Promise<unknown>, onError?: (error: unknown) => void): void {
  const run = () => {
    Promise.resolve()
      .then(effect)
      .catch((error: unknown) => onError?.(error));
  };
  const transaction = currentTransaction();
  if (transaction) transaction.afterCommit(run);
  else run();
}
