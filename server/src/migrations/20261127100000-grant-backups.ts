import type { Migration } from '../platform/db/migrate.js';
import { changeRoleGrants, grant, revoke } from '../platform/db/role-grants.js';

/**
 * IT operations sees the backups and may start one; super admins already hold '*'. Nobody
 * may download a backup through the console: backups leave the server by the copy
 * directory or by the IT person's own scp, never over the web.
 */
const IT_GRANTS = ['system:backup:view', 'system:backup:run'];

export const up: Migration = async ({ context: { queryInterface: qi } }) => {
  await changeRoleGrants(qi, 'it_ops', grant(IT_GRANTS));
};

export const down: Migration = async ({ context: { queryInterface: qi } }) => {
  await changeRoleGrants(qi, 'it_ops', revoke(IT_GRANTS));
};
