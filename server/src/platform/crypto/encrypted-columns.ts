import { QueryTypes, type Sequelize } from 'sequelize';
import { withTransaction } from '../db/transaction.js';
import type { FieldCipher } from './field-cipher.js';

/**
 * An encrypted column and, when it has one, the blind index beside it. A module lists its
 * columns (members: phone, e-mail, ID number) so key rotation finds every one of them.
 */
export interface EncryptedColumn {
  table: string;
  column: string;
  /** The authenticated context the values were written with, e.g. `members.phone`. */
  context: string;
  blindIndex?: { column: string; normalize: (plain: string) => string };
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,63}$/;
const BATCH = 500;

export interface ReencryptResult {
  column: string;
  scanned: number;
  rewritten: number;
}

/**
 * Rewrites every value written with an old key under the active key, and (with
 * `reindex`) recomputes the blind indexes, in batches of one transaction each. Safe to run
 * while Huiji serves and safe to run again: a value already under the active key is left
 * alone. Every node must know the active key before this runs.
 */
export async function reencryptColumns(
  sequelize: Sequelize,
  cipher: FieldCipher,
  columns: EncryptedColumn[],
  options: { reindex?: boolean; onProgress?: (result: ReencryptResult) => void } = {},
): Promise<ReencryptResult[]> {
  const results: ReencryptResult[] = [];
  for (const spec of columns) {
    for (const name of [spec.table, spec.column, spec.blindIndex?.column]) {
      if (name !== undefined && !IDENTIFIER.test(name)) throw new Error(`not a plain identifier: ${name}`);
    }
    const result: ReencryptResult = { column: `${spec.table}.${spec.column}`, scanned: 0, rewritten: 0 };
    let after = 0;
    for (;;) {
      const rows = await sequelize.query<{ id: number | string; value: string }>(
        `SELECT id, \`${spec.column}\` AS value FROM \`${spec.table}\` WHERE id > ? AND \`${spec.column}\` IS NOT NULL ORDER BY id LIMIT ${BATCH}`,
        { replacements: [after], type: QueryTypes.SELECT },
      );
      if (rows.length === 0) break;
      await withTransaction(sequelize, async (transaction) => {
        for (const row of rows) {
          const stale = cipher.isStale(row.value);
          if (!stale && !options.reindex) continue;
          const plain = cipher.decrypt(row.value, spec.context);
          const sets = [`\`${spec.column}\` = ?`];
          const values: unknown[] = [stale ? cipher.encrypt(plain, spec.context) : row.value];
          if (options.reindex && spec.blindIndex) {
            sets.push(`\`${spec.blindIndex.column}\` = ?`);
            values.push(cipher.blindIndex(spec.blindIndex.normalize(plain), spec.context));
          }
          // Only if nobody changed the value meanwhile; a changed value is already current.
          await sequelize.query(`UPDATE \`${spec.table}\` SET ${sets.join(', ')} WHERE id = ? AND \`${spec.column}\` = ?`, {
            replacements: [...values, row.id, row.value],
            transaction,
          });
          result.rewritten += 1;
        }
      });
      result.scanned += rows.length;
      after = Number(rows[rows.length - 1].id);
      options.onProgress?.(result);
    }
    results.push(result);
  }
  return results;
}
