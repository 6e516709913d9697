import type { Component } from 'vue';
import { Avatar, Document, EditPen, HomeFilled, Key, Lock, Monitor, Postcard, Promotion, Setting, Shop, Stamp, Tickets, Timer, User, UserFilled } from '@element-plus/icons-vue';
import { Coin, CreditCard, Medal, Present, TrendCharts, Trophy, Wallet } from '@element-plus/icons-vue';
import { FolderChecked, List, ShoppingCart, Ticket } from '@element-plus/icons-vue';

/**
 * The side menu. An entry shows only when the user holds its permission (or '*');
 * a group shows only when one of its children does. `title` is an i18n key.
 */
export interface MenuEntry {
  /** stable id, also the `data-test="menu-<key>"` selector */
  key: string;
  title: string;
  icon: Component;
  /** a console route */
  path?: string;
  /** a page outside the console, opened in a new tab */
  href?: string;
  permission?: string;
  children?: MenuEntry[];
}

export const MENU: MenuEntry[] = [
  { key: 'home', title: 'menu.home', icon: HomeFilled, path: '/' },
  { key: 'cashier', title: 'menu.cashier', icon: ShoppingCart, path: '/cashier', permission: 'order:order:create' },
  {
    key: 'members',
    title: 'menu.members',
    icon: UserFilled,
    children: [
      { key: 'members-list', title: 'menu.memberList', icon: Postcard, path: '/members', permission: 'member:member:view' },
      { key: 'members-channels', title: 'menu.memberChannels', icon: Promotion, path: '/members/channels', permission: 'member:channel:view' },
      { key: 'orders', title: 'menu.orders', icon: List, path: '/orders', permission: 'order:order:view' },
    ],
  },
  {
    key: 'marketing',
    title: 'menu.marketing',
    icon: Present,
    children: [
      { key: 'marketing-coupons', title: 'menu.coupons', icon: Ticket, path: '/marketing/coupons', permission: 'marketing:coupon:view' },
      { key: 'marketing-plans', title: 'menu.topupPlans', icon: CreditCard, path: '/marketing/plans', permission: 'loyalty:plan:view' },
    ],
  },
  {
    key: 'loyalty',
    title: 'menu.loyalty',
    icon: Medal,
    children: [
      { key: 'loyalty-tiers', title: 'tiers.menu', icon: Trophy, path: '/loyalty/tiers', permission: 'loyalty:tier:view' },
      { key: 'loyalty-points', title: 'menu.pointsRules', icon: Coin, path: '/loyalty/points', permission: 'loyalty:settings:view' },
      { key: 'loyalty-wallet', title: 'menu.walletSettings', icon: Wallet, path: '/loyalty/wallet', permission: 'loyalty:settings:view' },
      { key: 'loyalty-liability', title: 'menu.liability', icon: TrendCharts, path: '/loyalty/liability', permission: 'loyalty:report:view' },
    ],
  },
  {
    key: 'system',
    title: 'menu.system',
    icon: Setting,
    children: [
      { key: 'system-stores', title: 'menu.stores', icon: Shop, path: '/system/stores', permission: 'system:store:view' },
      { key: 'system-users', title: 'menu.users', icon: User, path: '/system/users', permission: 'system:user:view' },
      { key: 'system-roles', title: 'menu.roles', icon: Lock, path: '/system/roles', permission: 'system:role:view' },
      { key: 'system-member-fields', title: 'menu.memberFields', icon: EditPen, path: '/system/member-fields', permission: 'system:form:view' },
      { key: 'system-api-keys', title: 'menu.apiKeys', icon: Key, path: '/system/api-keys', permission: 'system:apikey:view' },
      { key: 'system-jobs', title: 'menu.jobs', icon: Timer, path: '/system/jobs', permission: 'system:job:view' },
      { key: 'system-backups', title: 'menu.backups', icon: FolderChecked, path: '/system/backups', permission: 'system:backup:view' },
      { key: 'system-info', title: 'menu.systemInfo', icon: Monitor, path: '/system/info', permission: 'system:info:view' },
      { key: 'api-docs', title: 'menu.apiDocs', icon: Document, href: '/api/docs', permission: 'system:info:view' },
    ],
  },
  {
    key: 'audit',
    title: 'menu.audit',
    icon: Stamp,
    children: [
      { key: 'audit-logs', title: 'menu.auditLogs', icon: Tickets, path: '/audit/logs', permission: 'audit:log:view' },
      { key: 'audit-logins', title: 'menu.loginLogs', icon: Avatar, path: '/audit/logins', permission: 'audit:log:view' },
    ],
  },
];

/** The entries this user may see, groups without visible children dropped. */
export function visibleMenu(entries: MenuEntry[], can: (permission?: string) => boolean): MenuEntry[] {
  const visible: MenuEntry[] = [];
  for (const entry of entries) {
    if (!can(entry.permission)) continue;
    if (entry.children) {
      const children = visibleMenu(entry.children, can);
      if (children.length > 0) visible.push({ ...entry, children });
    } else {
      visible.push(entry);
    }
  }
  return visible;
}

/** The chain of entries leading to a route path (for the breadcrumb), or [] when the path is not in the menu. */
export function menuTrail(entries: MenuEntry[], path: string): MenuEntry[] {
  for (const entry of entries) {
    if (entry.path === path) return [entry];
    if (entry.children) {
      const trail = menuTrail(entry.children, path);
      if (trail.length > 0) return [entry, ...trail];
    }
  }
  return [];
}

/** Finds an entry by key anywhere in the tree. */
export function findMenuEntry(entries: MenuEntry[], key: string): MenuEntry | undefined {
  for (const entry of entries) {
    if (entry.key === key) return entry;
    const found = entry.children && findMenuEntry(entry.children, key);
    if (found) return found;
  }
  return undefined;
}
