import type { LocalizedLabel } from '@/api/roles';
import { currentLocale } from '@/locales';

/** The server's { zh, en } label in the console's language (reactive in templates: it reads the locale ref). */
export function localLabel(label: LocalizedLabel | undefined, fallback = ''): string {
  if (!label) return fallback;
  return (currentLocale() === 'en' ? label.en : label.zh) || fallback;
}
