import type { Migration } from '../platform/db/migrate.js';
import { changeRoleGrants, grant, revoke } from '../platform/db/role-grants.js';

/** Store managers export their stores' members (masked as they see them) and import their old sheets. */
const CODES = ['member:member:export', 'member:member:import'];

export const up: Migration = async ({ context: { queryInterface: qi } }) => {
  await changeRoleGrants(qi, 'store_manager', grant(CODES));
};

export const down: Migration = async ({ context: { queryInterface: qi } }) => {
  await changeRoleGrants(qi, 'store_manager', revoke(CODES));
};
