import type { Migration } from '../platform/db/migrate.js';

/** The member list sorts by these too; without an index a sort over a million members is a filesort. */
const INDEXES: Array<[string, string[]]> = [
  ['members_points_balance', ['points_balance', 'id']],
  ['members_stored_value_balance', ['stored_value_balance', 'id']],
  ['members_birthday', ['birthday', 'id']],
];

export const up: Migration = async ({ context: { queryInterface: qi } }) => {
  for (const [name, fields] of INDEXES) await qi.addIndex('members', fields, { name });
};

export const down: Migration = async ({ context: { queryInterface: qi } }) => {
  for (const [name] of INDEXES) await qi.removeIndex('members', name);
};
