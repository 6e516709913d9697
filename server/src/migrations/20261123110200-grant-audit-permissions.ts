import type { QueryInterface } from 'sequelize';
import type { Migration } from '../platform/db/migrate.js';

const GRANTS: Record<string, string[]> = {
  auditor: ['audit:log:view', 'audit:log:export', 'audit:log:verify'],
};

async function change(qi: QueryInterface, apply: (current: Set<string>, codes: string[]) => void) {
  for (const [code, codes] of Object.entries(GRANTS)) {
    const [rows] = await qi.sequelize.query('SELECT permissions FROM roles WHERE code = ?', { replacements: [code] });
    const row = (rows as Array<{ permissions: string }>)[0];
    if (!row) continue;
    const current = new Set(JSON.parse(row.permissions) as string[]);
    apply(current, codes);
    await qi.bulkUpdate('roles', { permissions: JSON.stringify([...current].sort()) }, { code });
  }
}

export const up: Migration = async ({ context: { queryInterface: qi } }) => {
  await change(qi, (current, codes) => codes.forEach((c) => current.add(c)));
};

export const down: Migration = async ({ context: { queryInterface: qi } }) => {
  await change(qi, (current, codes) => codes.forEach((c) => current.delete(c)));
};
