import type { Connection } from 'mysql2';
import { PREAMBLE, listTables, run } from './mysql-dump.js';
import { quoteIdentifier } from './sql-writer.js';

/** Empties the connection's database, so a load lands in a clean schema. */
export async function dropAllTables(connection: Connection): Promise<void> {
  const tables = await listTables(connection);
  if (tables.length === 0) return;
  await run(connection, 'SET FOREIGN_KEY_CHECKS = 0');
  await run(connection, `DROP TABLE ${tables.map(quoteIdentifier).join(', ')}`);
  await run(connection, 'SET FOREIGN_KEY_CHECKS = 1');
}

/**
 * Runs a dump's statements in order. Two are kept in flight, so the server is never idle
 * while the next statement is decrypted and unpacked.
 */
export async function loadMysqlStatements(
  connection: Connection,
  statements: AsyncIterable<Buffer>,
  onStatement?: (count: number) => void,
): Promise<number> {
  for (const statement of PREAMBLE) await run(connection, statement);
  let inFlight: Promise<unknown> | null = null;
  let count = 0;
  try {
    for await (const statement of statements) {
      const next = run(connection, statement.toString('utf8'));
      // A rejection is awaited in order below; keep Node from reporting it as unhandled meanwhile.
      next.catch(() => undefined);
      if (inFlight) await inFlight;
      inFlight = next;
      count += 1;
      onStatement?.(count);
    }
    if (inFlight) await inFlight;
  } finally {
    if (inFlight) await inFlight.catch(() => undefined);
  }
  await run(connection, 'SET FOREIGN_KEY_CHECKS = 1');
  await run(connection, 'SET UNIQUE_CHECKS = 1');
  return count;
}
