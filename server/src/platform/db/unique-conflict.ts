import { UniqueConstraintError } from 'sequelize';

/**
 * Whether a write was refused by the unique index over one of `columns`. The databases
 * name the index differently (MySQL its name, SQLite its columns), so the refusal's
 * fields and message are searched for the column names.
 */
export function uniqueConflictOn(error: unknown, ...columns: string[]): boolean {
  if (!(error instanceof UniqueConstraintError)) return false;
  const where = JSON.stringify(error.fields ?? {}) + String((error.parent as Error | undefined)?.message ?? '');
  return columns.some((column) => where.includes(column));
}
