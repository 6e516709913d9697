import sqlite3 from 'sqlite3';
import type { EncryptedColumn } from '../crypto/encrypted-columns.js';
import { FieldCipher } from '../crypto/field-cipher.js';
import type { LoadTarget } from './load.js';
import { run } from './mysql-dump.js';
import type { SecretsBundle } from './secrets.js';
import { quoteIdentifier } from './sql-writer.js';

export interface DecryptionCheck {
  checked: number;
  failed: number;
  columns: { column: string; checked: number; failed: number }[];
}

const SAMPLE = 1000;

function sqliteValues(file: string, sql: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (openError) => {
      if (openError) return reject(openError);
      db.all(sql, (error, rows: { value: string }[]) => {
        db.close();
        if (error) reject(error);
        else resolve(rows.map((row) => row.value));
      });
    });
  });
}

/**
 * Decrypts a sample of every encrypted column with the secrets that came with the backup:
 * a restore whose keys do not match its data would serve a console full of errors
 * (GitLab's restores without their secrets file did exactly that).
 */
export async function checkDecryption(target: LoadTarget, secrets: SecretsBundle, columns: readonly EncryptedColumn[]): Promise<DecryptionCheck> {
  const result: DecryptionCheck = { checked: 0, failed: 0, columns: [] };
  if (!secrets.fieldKeys) {
    result.failed = 1;
    result.columns.push({ column: 'field keys', checked: 0, failed: 1 });
    return result;
  }
  const cipher = new FieldCipher({
    keys: new Map(Object.entries(secrets.fieldKeys.keys).map(([id, key]) => [id, Buffer.from(key, 'base64')])),
    activeKeyId: secrets.fieldKeys.active,
    blindIndexKey: Buffer.from(secrets.fieldKeys.blindIndexKey, 'base64'),
  });
  for (const spec of columns) {
    const sql = `SELECT ${quoteIdentifier(spec.column)} AS value FROM ${quoteIdentifier(spec.table)} WHERE ${quoteIdentifier(spec.column)} IS NOT NULL LIMIT ${SAMPLE}`;
    const values =
      target.dialect === 'mysql' ? (await run<{ value: string }[]>(target.connection, sql)).map((row) => String(row.value)) : await sqliteValues(target.file, sql);
    const column = { column: `${spec.table}.${spec.column}`, checked: values.length, failed: 0 };
    for (const value of values) {
      try {
        cipher.decrypt(value, spec.context);
      } catch {
        column.failed += 1;
      }
    }
    result.checked += column.checked;
    result.failed += column.failed;
    result.columns.push(column);
  }
  return result;
}
