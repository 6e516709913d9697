import type { Migration } from '../platform/db/migrate.js';
import { changeRoleGrants, grant, revoke } from '../platform/db/role-grants.js';

/** What the built-in roles may do at the counter and with balances; admins change it later. */
const GRANTS: Record<string, string[]> = {
  store_manager: [
    'order:order:view',
    'order:order:create',
    'order:order:refund',
    'loyalty:points:view',
    'loyalty:points:adjust',
    'loyalty:points:grant',
    'loyalty:wallet:view',
    'loyalty:wallet:topup',
    'loyalty:wallet:refund',
    'loyalty:wallet:pin',
    'loyalty:plan:view',
    'loyalty:settings:view',
    'loyalty:report:view',
  ],
  cashier: ['order:order:view', 'order:order:create', 'loyalty:points:view', 'loyalty:wallet:view', 'loyalty:wallet:topup', 'loyalty:wallet:pin', 'loyalty:plan:view'],
  auditor: ['order:order:view', 'loyalty:points:view', 'loyalty:wallet:view', 'loyalty:report:view'],
};

export const up: Migration = async ({ context: { queryInterface: qi } }) => {
  for (const [role, codes] of Object.entries(GRANTS)) await changeRoleGrants(qi, role, grant(codes));
};

export const down: Migration = async ({ context: { queryInterface: qi } }) => {
  for (const [role, codes] of Object.entries(GRANTS)) await changeRoleGrants(qi, role, revoke(codes));
};
