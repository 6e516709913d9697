import type { Migration } from '../platform/db/migrate.js';
import { changeRoleGrants, grant, revoke } from '../platform/db/role-grants.js';

/** Who may see, issue and void coupons and change tiers by default; admins change it later. */
const GRANTS: Record<string, string[]> = {
  store_manager: ['marketing:coupon:view', 'marketing:coupon:issue', 'marketing:coupon:void', 'loyalty:tier:view', 'loyalty:tier:adjust'],
  cashier: ['marketing:coupon:view', 'loyalty:tier:view'],
  auditor: ['marketing:coupon:view', 'loyalty:tier:view'],
};

export const up: Migration = async ({ context: { queryInterface: qi } }) => {
  for (const [role, codes] of Object.entries(GRANTS)) await changeRoleGrants(qi, role, grant(codes));
};

export const down: Migration = async ({ context: { queryInterface: qi } }) => {
  for (const [role, codes] of Object.entries(GRANTS)) await changeRoleGrants(qi, role, revoke(codes));
};
