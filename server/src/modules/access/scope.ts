import type { Principal } from '../../platform/http/route.js';

/**
 * A caller's store scope as a `where` fragment, compiled into the query so rows of other
 * stores are never fetched (not filtered out afterwards).
 */
export function storeScopeWhere(principal: Principal, column = 'storeId'): Record<string, unknown> {
  return principal.storeScope === null ? {} : { [column]: principal.storeScope };
}

export function inStoreScope(principal: Principal, storeId: number | null): boolean {
  return principal.storeScope === null || (storeId !== null && principal.storeScope.includes(Number(storeId)));
}
