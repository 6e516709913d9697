import type { QueryInterface } from 'sequelize';

/**
 * Adds or removes permission codes of a built-in role in a migration. The role may have
 * been edited by an admin since it was seeded, so the change is applied to whatever it
 * holds now; a role that was deleted is left alone.
 */
export async function changeRoleGrants(qi: QueryInterface, code: string, apply: (current: Set<string>) => void): Promise<void> {
  const [rows] = await qi.sequelize.query('SELECT permissions FROM roles WHERE code = ?', { replacements: [code] });
  const row = (rows as Array<{ permissions: string }>)[0];
  if (!row) return;
  const current = new Set(JSON.parse(row.permissions) as string[]);
  apply(current);
  await qi.bulkUpdate('roles', { permissions: JSON.stringify([...current].sort()) }, { code });
}

export function grant(codes: readonly string[]) {
  return (current: Set<string>) => codes.forEach((c) => current.add(c));
}

export function revoke(codes: readonly string[]) {
  return (current: Set<string>) => codes.forEach((c) => current.delete(c));
}
