import { QueryTypes, type Sequelize } from 'sequelize';
import { dialectOf } from '../db/connect.js';
import { withTransaction } from '../db/transaction.js';

/**
 * The next value of a named counter, in the caller's transaction (or one of its own). The
 * counter's row stays locked until that transaction ends, so numbers are handed out in
 * order and one that was rolled back is handed out again: no gaps, no duplicates, on every
 * node. The price is that callers of one counter take turns; a member registration or a
 * checkout holds it for milliseconds. One upsert creates the counter on first use, so two
 * nodes starting a counter together do not collide.
 */
export async function nextInSequence(sequelize: Sequelize, name: string): Promise<number> {
  return reserveInSequence(sequelize, name, 1);
}

/**
 * The first of `count` consecutive values, all taken at once (an import numbering a
 * thousand new members in one statement); same locking as nextInSequence.
 */
export async function reserveInSequence(sequelize: Sequelize, name: string, count: number): Promise<number> {
  if (!Number.isSafeInteger(count) || count < 1) throw new Error(`a sequence block needs a positive count, got ${count}`);
  const upsert =
    dialectOf(sequelize) === 'mysql'
      ? 'INSERT INTO sequences (name, value, updated_at) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE value = value + VALUES(value), updated_at = VALUES(updated_at)'
      : 'INSERT INTO sequences (name, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value, updated_at = excluded.updated_at';
  return withTransaction(sequelize, async (transaction) => {
    await sequelize.query(upsert, { replacements: [name, count, new Date()], transaction });
    const [row] = await sequelize.query<{ value: number | string }>('SELECT value FROM sequences WHERE name = ?', {
      replacements: [name],
      transaction,
      type: QueryTypes.SELECT,
    });
    return Number(row.value) - count + 1;
  });
}
