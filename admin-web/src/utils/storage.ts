/** localStorage keys the console owns; one place so a logout can clear them all. */
export const STORAGE_KEYS = {
  token: 'huiji.token',
  locale: 'huiji.locale',
  sidebarCollapsed: 'huiji.sidebarCollapsed',
  /** the store this counter checks out for */
  cashierStore: 'huiji.cashierStore',
} as const;

type StorageKey = (typeof STORAGE_KEYS)[keyof typeof STORAGE_KEYS];

// Private browsing and locked-down kiosks may throw on localStorage; the console still works, only forgets.
export function readStorage(key: StorageKey): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function writeStorage(key: StorageKey, value: string | null): void {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch {
    // ignored: see readStorage
  }
}
