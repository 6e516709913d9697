import { computed } from 'vue';
import { createI18n } from 'vue-i18n';
import elZhCn from 'element-plus/es/locale/lang/zh-cn';
import elEn from 'element-plus/es/locale/lang/en';
import zhCN, { type MessageSchema } from './zh-CN';
import en from './en';
import tiersZhCN from './tiers/zh-CN';
import tiersEn from './tiers/en';
import { STORAGE_KEYS, readStorage, writeStorage } from '@/utils/storage';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The saved choice, else Chinese: the console is Chinese-first whatever the browser is set to. */
function initialLocale(): Locale {
  const saved = readStorage(STORAGE_KEYS.locale);
  return isLocale(saved) ? saved : 'zh-CN';
}

/** The pages whose messages live beside the main files, merged in under their own key. */
type Messages = MessageSchema & { tiers: typeof tiersZhCN };

export const i18n = createI18n<[Messages], Locale, false>({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': { ...zhCN, tiers: tiersZhCN }, en: { ...en, tiers: tiersEn } },
  missingWarn: import.meta.env.DEV,
  fallbackWarn: false,
});

/** The locale in use right now (also sent as Accept-Language). */
export function currentLocale(): Locale {
  return i18n.global.locale.value;
}

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  writeStorage(STORAGE_KEYS.locale, locale);
  document.documentElement.lang = locale;
}

/** Element Plus's own texts (pagination, date pickers, empty states) follow the console's language. */
export const elementLocale = computed(() => (i18n.global.locale.value === 'en' ? elEn : elZhCn));

document.documentElement.lang = currentLocale();
