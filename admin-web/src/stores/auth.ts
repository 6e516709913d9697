import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import * as authApi from '@/api/auth';
import type { Session, User } from '@/api/auth';
import { sealFields } from '@/api/envelope';
import { STORAGE_KEYS, readStorage, writeStorage } from '@/utils/storage';
import { LOCALES, setLocale } from '@/locales';

/** Grants everything; the server sends it for the built-in administrator. */
export const ALL_PERMISSIONS = '*';

export const useAuthStore = defineStore('auth', () => {
  const token = ref<string | null>(readStorage(STORAGE_KEYS.token));
  const user = ref<User | null>(null);
  const permissions = ref<string[]>([]);
  /** Set when the server answered 403 PASSWORD_CHANGE_REQUIRED before we knew the user. */
  const passwordChangeRequired = ref(false);

  const isLoggedIn = computed(() => token.value !== null);
  const mustChangePassword = computed(() => passwordChangeRequired.value || user.value?.mustChangePassword === true);

  /** True when the user holds the code (or '*'); with a list, when they hold any of them. */
  function can(required: string | readonly string[] | undefined): boolean {
    if (!required || required.length === 0) return true;
    const held = permissions.value;
    if (held.includes(ALL_PERMISSIONS)) return true;
    const list = typeof required === 'string' ? [required] : required;
    return list.some((code) => held.includes(code));
  }

  function applySession(session: Session): void {
    user.value = session.user;
    permissions.value = session.permissions;
    passwordChangeRequired.value = session.user.mustChangePassword;
  }

  function clear(): void {
    token.value = null;
    user.value = null;
    permissions.value = [];
    passwordChangeRequired.value = false;
    writeStorage(STORAGE_KEYS.token, null);
  }

  async function login(username: string, password: string): Promise<User> {
    clear();
    const encrypted = await sealFields({ password });
    const result = await authApi.login({ username, encrypted });
    token.value = result.token;
    writeStorage(STORAGE_KEYS.token, result.token);
    applySession(result);
    // The user's saved language applies until they pick one on this browser.
    if (readStorage(STORAGE_KEYS.locale) === null && LOCALES.includes(result.user.locale)) setLocale(result.user.locale);
    return result.user;
  }

  /** Loads the user behind a saved token (after a reload). */
  async function loadSession(): Promise<void> {
    applySession(await authApi.getMe());
  }

  async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
    const encrypted = await sealFields({ currentPassword, newPassword });
    applySession(await authApi.changePassword({ encrypted }));
  }

  async function logout(): Promise<void> {
    try {
      if (token.value) await authApi.logout();
    } catch {
      // The token is forgotten either way; a failed logout call must not keep anyone signed in here.
    } finally {
      clear();
    }
  }

  function markPasswordChangeRequired(): void {
    passwordChangeRequired.value = true;
  }

  return {
    token,
    user,
    permissions,
    isLoggedIn,
    mustChangePassword,
    can,
    clear,
    login,
    loadSession,
    changePassword,
    logout,
    markPasswordChangeRequired,
  };
});
