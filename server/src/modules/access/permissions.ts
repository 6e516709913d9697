/**
 * Every permission code the server knows, `domain:resource:action`. Routes may only
 * declare codes listed here (a test holds them to it); the console builds its menu
 * from the codes a user holds.
 */
export const PERMISSIONS = {
  'system:info:view': { zh: '查看系统信息', en: 'View system information' },
} as const satisfies Record<string, { zh: string; en: string }>;

export type PermissionCode = keyof typeof PERMISSIONS;

/** Granted to super admins: every permission, present and future. */
export const ALL_PERMISSIONS = '*';

export function isKnownPermission(code: string): code is PermissionCode {
  return Object.hasOwn(PERMISSIONS, code);
}
