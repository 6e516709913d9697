import { computed, type Component } from 'vue';
import { useI18n } from 'vue-i18n';
import { Document, Key, Monitor, Shop, Tickets, User } from '@element-plus/icons-vue';
import { useAuthStore } from '@/stores/auth';
import { useSystemInfo } from '@/composables/use-system-info';
import { businessHour, formatDate } from '@/utils/format';

export interface Shortcut {
  key: string;
  title: string;
  description: string;
  icon: Component;
  to?: string;
  href?: string;
  permission?: string;
}

// Only pages that exist today; new modules add theirs here.
const SHORTCUTS: Shortcut[] = [
  { key: 'stores', title: 'menu.stores', description: 'home.shortcut.stores', icon: Shop, to: '/system/stores', permission: 'system:store:view' },
  { key: 'users', title: 'menu.users', description: 'home.shortcut.users', icon: User, to: '/system/users', permission: 'system:user:view' },
  {
    key: 'audit-logs',
    title: 'menu.auditLogs',
    description: 'home.shortcut.auditLogs',
    icon: Tickets,
    to: '/audit/logs',
    permission: 'audit:log:view',
  },
  {
    key: 'system-info',
    title: 'menu.systemInfo',
    description: 'home.shortcut.systemInfo',
    icon: Monitor,
    to: '/system/info',
    permission: 'system:info:view',
  },
  {
    key: 'api-docs',
    title: 'menu.apiDocs',
    description: 'home.shortcut.apiDocs',
    icon: Document,
    href: '/api/docs',
    permission: 'system:info:view',
  },
  { key: 'change-password', title: 'menu.changePassword', description: 'home.shortcut.changePassword', icon: Key, to: '/change-password' },
];

function greetingKey(hour: number): string {
  if (hour < 5) return 'home.greeting.evening';
  if (hour < 11) return 'home.greeting.morning';
  if (hour < 13) return 'home.greeting.noon';
  if (hour < 18) return 'home.greeting.afternoon';
  return 'home.greeting.evening';
}

export function useHome() {
  const { t } = useI18n();
  const auth = useAuthStore();

  const canViewSystem = computed(() => auth.can('system:info:view'));
  const system = useSystemInfo(() => canViewSystem.value);

  const greeting = computed(() =>
    t(greetingKey(businessHour()), { name: auth.user?.displayName || auth.user?.username || '' }),
  );
  const today = computed(() => t('home.today', { date: formatDate() }));
  const shortcuts = computed(() => SHORTCUTS.filter((shortcut) => auth.can(shortcut.permission)));

  return { greeting, today, shortcuts, canViewSystem, system };
}
