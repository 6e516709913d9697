import type { Migration } from '../platform/db/migrate.js';

/** The built-in roles as ARCHITECTURE.md names them; later migrations grant new permissions. */
const BUILTIN_ROLES = [
  { code: 'super_admin', name_zh: '超级管理员', name_en: 'Super admin', permissions: ['*'] },
  { code: 'store_manager', name_zh: '店长', name_en: 'Store manager', permissions: [] },
  { code: 'cashier', name_zh: '收银员', name_en: 'Cashier', permissions: [] },
  { code: 'auditor', name_zh: '审计员', name_en: 'Auditor', permissions: [] },
  { code: 'it_ops', name_zh: '运维', name_en: 'IT operations', permissions: ['system:info:view'] },
];

export const up: Migration = async ({ context: { queryInterface: qi } }) => {
  const now = new Date();
  await qi.bulkInsert(
    'roles',
    BUILTIN_ROLES.map((role) => ({
      ...role,
      builtin: true,
      permissions: JSON.stringify(role.permissions),
      created_at: now,
      updated_at: now,
    })),
  );
};

export const down: Migration = async ({ context: { queryInterface: qi } }) => {
  await qi.bulkDelete('roles', { code: BUILTIN_ROLES.map((role) => role.code) });
};
