import type { Principal } from '../../platform/http/route.js';

/**
 * Work nobody signed in for (a scheduled job, a customer on a public page): a principal
 * with no user, session, key or role, named `username` in what it writes. Without
 * `grants` it reaches every store and has no permission and no field policy; a public
 * page narrows it to what that page may do.
 */
export function systemPrincipal(username: string, grants: Partial<Pick<Principal, 'permissions' | 'storeScope' | 'fieldPolicies'>> = {}): Principal {
  return {
    kind: 'system',
    userId: 0,
    username,
    sessionId: null,
    apiKeyId: null,
    roles: [],
    permissions: new Set(),
    storeScope: null,
    ownMembersOnly: false,
    fieldPolicies: [],
    mustChangePassword: false,
    ...grants,
  };
}
