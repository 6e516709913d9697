import type { PermissionGroup } from '@/api/roles';

/**
 * The groups a key's scopes are picked from: only what the creator holds, since a key may
 * never do more than the person who made it ('*' holds every listed code).
 */
export function grantableGroups(groups: readonly PermissionGroup[], held: readonly string[]): PermissionGroup[] {
  if (held.includes('*')) return groups.map((group) => ({ ...group, actions: [...group.actions] }));
  const mine = new Set(held);
  return groups
    .map((group) => ({ ...group, actions: group.actions.filter((action) => mine.has(action.code)) }))
    .filter((group) => group.actions.length > 0);
}

/**
 * Groups built from the codes alone, for a creator who may not read the permission list
 * (GET /permissions needs system:role:view, which an IT role creating keys may lack).
 */
export function groupsFromCodes(held: readonly string[], actionLabel: (action: string) => { zh: string; en: string }): PermissionGroup[] {
  const byResource = new Map<string, PermissionGroup>();
  for (const code of held) {
    const cut = code.lastIndexOf(':');
    if (code === '*' || cut <= 0) continue;
    const key = code.slice(0, cut);
    const action = code.slice(cut + 1);
    const group = byResource.get(key) ?? { key, label: { zh: key, en: key }, actions: [] };
    group.actions.push({ code, action, label: actionLabel(action) });
    byResource.set(key, group);
  }
  return [...byResource.values()];
}
