import type { RouteRecordRaw } from 'vue-router';

declare module 'vue-router' {
  interface RouteMeta {
    /** i18n key of the page title (document title, breadcrumb) */
    title?: string;
    /** reachable without logging in */
    public?: boolean;
    /** permission code the user must hold (or '*') */
    permission?: string;
    /** for a page outside the menu: the menu page it belongs to (the breadcrumb links back to it) */
    parent?: string;
  }
}

// Every page is its own chunk: the login page must not pull the layout, charts or other pages.
export const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('@/views/login/index.vue'),
    meta: { title: 'login.title', public: true },
  },
  {
    path: '/change-password',
    name: 'change-password',
    component: () => import('@/views/change-password/index.vue'),
    meta: { title: 'changePassword.title' },
  },
  {
    path: '/',
    component: () => import('@/layout/index.vue'),
    children: [
      {
        path: '',
        name: 'home',
        component: () => import('@/views/home/index.vue'),
        meta: { title: 'menu.home' },
      },
      {
        path: 'cashier',
        name: 'cashier',
        component: () => import('@/views/cashier/index.vue'),
        meta: { title: 'menu.cashier', permission: 'order:order:create' },
      },
      {
        path: 'orders',
        name: 'orders',
        component: () => import('@/views/orders/list/index.vue'),
        meta: { title: 'menu.orders', permission: 'order:order:view' },
      },
      {
        path: 'orders/:id(\\d+)',
        name: 'order-detail',
        component: () => import('@/views/orders/detail/index.vue'),
        meta: { title: 'orders.detail.title', permission: 'order:order:view', parent: '/orders' },
      },
      {
        path: 'members',
        name: 'members',
        component: () => import('@/views/members/list/index.vue'),
        meta: { title: 'menu.memberList', permission: 'member:member:view' },
      },
      {
        path: 'members/import',
        name: 'member-import',
        component: () => import('@/views/members/import/index.vue'),
        meta: { title: 'menu.memberImport', permission: 'member:member:import', parent: '/members' },
      },
      {
        path: 'members/channels',
        name: 'member-channels',
        component: () => import('@/views/members/channels/index.vue'),
        meta: { title: 'menu.memberChannels', permission: 'member:channel:view' },
      },
      {
        path: 'members/:id(\\d+)',
        name: 'member-detail',
        component: () => import('@/views/members/detail/index.vue'),
        meta: { title: 'members.detail.title', permission: 'member:member:view', parent: '/members' },
      },
      {
        path: 'marketing/coupons',
        name: 'marketing-coupons',
        component: () => import('@/views/marketing/coupons/templates/index.vue'),
        meta: { title: 'menu.coupons', permission: 'marketing:coupon:view' },
      },
      {
        path: 'marketing/coupons/new',
        name: 'coupon-template-new',
        component: () => import('@/views/marketing/coupons/form/index.vue'),
        meta: { title: 'coupons.form.createTitle', permission: 'marketing:coupon:create', parent: '/marketing/coupons' },
      },
      {
        path: 'marketing/coupons/:id(\\d+)',
        name: 'coupon-template-edit',
        component: () => import('@/views/marketing/coupons/form/index.vue'),
        meta: { title: 'coupons.form.editTitle', permission: 'marketing:coupon:view', parent: '/marketing/coupons' },
      },
      {
        path: 'marketing/coupons/records',
        name: 'coupon-records',
        component: () => import('@/views/marketing/coupons/records/index.vue'),
        meta: { title: 'coupons.tabs.records', permission: 'marketing:coupon:view', parent: '/marketing/coupons' },
      },
      {
        path: 'marketing/coupons/redemptions',
        name: 'coupon-redemptions',
        component: () => import('@/views/marketing/coupons/redemptions/index.vue'),
        meta: { title: 'coupons.tabs.redemptions', permission: 'marketing:coupon:view', parent: '/marketing/coupons' },
      },
      {
        path: 'marketing/plans',
        name: 'marketing-plans',
        component: () => import('@/views/marketing/plans/index.vue'),
        meta: { title: 'menu.topupPlans', permission: 'loyalty:plan:view' },
      },
      {
        path: 'loyalty/tiers',
        name: 'loyalty-tiers',
        component: () => import('@/views/loyalty/tiers/index.vue'),
        meta: { title: 'tiers.menu', permission: 'loyalty:tier:view' },
      },
      {
        path: 'loyalty/points',
        name: 'loyalty-points',
        component: () => import('@/views/loyalty/points-settings/index.vue'),
        meta: { title: 'menu.pointsRules', permission: 'loyalty:settings:view' },
      },
      {
        path: 'loyalty/wallet',
        name: 'loyalty-wallet',
        component: () => import('@/views/loyalty/wallet-settings/index.vue'),
        meta: { title: 'menu.walletSettings', permission: 'loyalty:settings:view' },
      },
      {
        path: 'loyalty/liability',
        name: 'loyalty-liability',
        component: () => import('@/views/loyalty/liability/index.vue'),
        meta: { title: 'menu.liability', permission: 'loyalty:report:view' },
      },
      {
        path: 'system/info',
        name: 'system-info',
        component: () => import('@/views/system/info/index.vue'),
        meta: { title: 'menu.systemInfo', permission: 'system:info:view' },
      },
      {
        path: 'system/stores',
        name: 'system-stores',
        component: () => import('@/views/system/stores/index.vue'),
        meta: { title: 'menu.stores', permission: 'system:store:view' },
      },
      {
        path: 'system/users',
        name: 'system-users',
        component: () => import('@/views/system/users/index.vue'),
        meta: { title: 'menu.users', permission: 'system:user:view' },
      },
      {
        path: 'system/roles',
        name: 'system-roles',
        component: () => import('@/views/system/roles/index.vue'),
        meta: { title: 'menu.roles', permission: 'system:role:view' },
      },
      {
        path: 'system/api-keys',
        name: 'system-api-keys',
        component: () => import('@/views/system/api-keys/index.vue'),
        meta: { title: 'menu.apiKeys', permission: 'system:apikey:view' },
      },
      {
        path: 'system/member-fields',
        name: 'system-member-fields',
        component: () => import('@/views/system/member-fields/index.vue'),
        meta: { title: 'menu.memberFields', permission: 'system:form:view' },
      },
      {
        path: 'system/jobs',
        name: 'system-jobs',
        component: () => import('@/views/system/jobs/index.vue'),
        meta: { title: 'menu.jobs', permission: 'system:job:view' },
      },
      {
        path: 'system/backups',
        name: 'system-backups',
        component: () => import('@/views/system/backups/index.vue'),
        meta: { title: 'menu.backups', permission: 'system:backup:view' },
      },
      {
        path: 'audit/logs',
        name: 'audit-logs',
        component: () => import('@/views/audit/logs/index.vue'),
        meta: { title: 'menu.auditLogs', permission: 'audit:log:view' },
      },
      {
        path: 'audit/logins',
        name: 'audit-logins',
        component: () => import('@/views/audit/logins/index.vue'),
        meta: { title: 'menu.loginLogs', permission: 'audit:log:view' },
      },
      {
        path: '403',
        name: 'forbidden',
        component: () => import('@/views/error/forbidden.vue'),
        meta: { title: 'errorPage.forbiddenTitle' },
      },
    ],
  },
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('@/views/error/not-found.vue'),
    meta: { title: 'errorPage.notFoundTitle', public: true },
  },
];
