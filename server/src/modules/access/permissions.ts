/**
 * Every permission code the server knows, `domain:resource:action`. Routes may only
 * declare codes listed here (a test holds them to it); the console builds its menu
 * from the codes a user holds.
 */
export const PERMISSIONS = {
  'system:info:view': { zh: '查看系统信息', en: 'View system information' },
  'audit:log:view': { zh: '查看操作日志与登录日志', en: 'View operation and login logs' },
  'audit:log:export': { zh: '导出操作日志', en: 'Export operation logs' },
  'audit:log:verify': { zh: '校验日志完整性', en: 'Verify log integrity' },
} as const satisfies Record<string, { zh: string; en: string }>;

export type PermissionCode = keyof typeof PERMISSIONS;

/** Granted to super admins: every permission, present and future. */
export const ALL_PERMISSIONS = '*';

export function isKnownPermission(code: string): code is PermissionCode {
  return Object.hasOwn(PERMISSIONS, code);
}
