import type { RoleFieldPolicy } from './role-policy.js';

/**
 * The built-in roles' field policies, as the ARCHITECTURE "Built-in roles" table puts
 * them. The access module seeds these with the roles; admins may change them afterwards.
 *
 * | role          | phone, e-mail, ID, WeChat | birthday          | member writes                                   |
 * |---------------|---------------------------|-------------------|-------------------------------------------------|
 * | super_admin   | edit                      | edit              | every member field but the server-kept ones     |
 * | store_manager | masked (reveal: separate) | read              | every other member field but server-kept ones;  |
 * |               |                           |                   | contact data on registration only               |
 * | cashier       | masked, exact-phone match | masked (05-17)    | name, nickname, gender, region; more on create  |
 * | auditor       | masked                    | hidden            | none                                            |
 * | it_ops        | hidden                    | hidden            | none: no member, order or ledger data at all    |
 *
 * Server-kept fields (cached balances, last visit, order number, amounts the checkout
 * computes) are at most 'read' for everyone: they change through ledgers and flows,
 * never through a payload. Ledger rows are append-only, so no role edits them.
 * Store scope (which stores' rows a role sees) is a separate, row-level matter.
 */
export const BUILTIN_ROLE_CODES = ['super_admin', 'store_manager', 'cashier', 'auditor', 'it_ops'] as const;
export type BuiltinRoleCode = (typeof BUILTIN_ROLE_CODES)[number];

const SERVER_KEPT = [
  'member.pointsBalance',
  'member.storedValueBalance',
  'member.totalSpent',
  'member.points',
  'member.wallet',
  'member.lastVisitAt',
  'order.orderNo',
  'order.paid',
  'order.pointsEarned',
  'order.cashierId',
] as const;

const readOnlyServerKept = Object.fromEntries(SERVER_KEPT.map((key) => [key, 'read' as const]));

/** What a cashier types at checkout; orders are never edited afterwards (refunds reverse them). */
const CHECKOUT_FIELDS = [
  'order.externalNo',
  'order.storeId',
  'order.memberId',
  'order.amount',
  'order.payments',
  'order.occurredAt',
];

/** What a cashier may type when registering a member, though later sees masked or only reads. */
const REGISTRATION_FIELDS = [
  'member.cardNo',
  'member.phone',
  'member.email',
  'member.wechatId',
  'member.birthday',
  'member.homeStoreId',
  'member.channel',
  'member.referrerId',
  'member.custom.*',
];

export const BUILTIN_FIELD_POLICIES: Readonly<Record<BuiltinRoleCode, RoleFieldPolicy>> = {
  super_admin: {
    defaults: { member: 'edit', order: 'edit', ledger: 'read' },
    fields: { ...readOnlyServerKept },
  },
  store_manager: {
    defaults: {
      member: { normal: 'edit', personal: 'edit', financial: 'read', contact: 'masked' },
      order: 'edit',
      ledger: 'read',
    },
    fields: { ...readOnlyServerKept, 'member.birthday': 'read', 'member.registeredAt': 'read' },
    // Contact data is typed at registration and seen masked afterwards; changing a phone
    // number needs a role that reads it.
    createFields: ['member.phone', 'member.email', 'member.wechatId', 'member.idNumber', 'member.birthday'],
  },
  cashier: {
    defaults: {
      member: { normal: 'read', financial: 'read', contact: 'masked', personal: 'masked' },
      order: 'read',
      ledger: 'read',
    },
    fields: {
      'member.name': 'edit',
      'member.nickname': 'edit',
      'member.gender': 'edit',
      'member.region': 'edit',
      'member.birthday': 'masked',
    },
    masks: { 'member.birthday': 'birthday' },
    createFields: [...REGISTRATION_FIELDS, ...CHECKOUT_FIELDS],
  },
  auditor: {
    defaults: {
      member: { normal: 'read', financial: 'read', contact: 'masked', personal: 'masked' },
      order: 'read',
      ledger: 'read',
    },
    fields: { 'member.birthday': 'hidden' },
  },
  it_ops: {},
};
