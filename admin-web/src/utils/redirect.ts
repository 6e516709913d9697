import type { LocationQuery } from 'vue-router';

/** The `redirect` query if it is a path inside the console; never another origin. */
export function safeRedirect(query: LocationQuery, fallback = '/'): string {
  const value = Array.isArray(query.redirect) ? query.redirect[0] : query.redirect;
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) {
    return fallback;
  }
  return value;
}
