import { localized } from '../../platform/http/validation.js';
import { z } from '../../platform/http/zod.js';
import { roleFieldPolicySchema } from './field-policy/index.js';
import { IdParams, isoDate, nullableIsoDate } from '../../platform/http/common-schemas.js';

const label = z.object({ zh: z.string(), en: z.string() });

export const PermissionGroups = z
  .object({
    groups: z.array(
      z.object({
        key: z.string(),
        label,
        actions: z.array(z.object({ code: z.string(), action: z.string(), label })),
      }),
    ),
  })
  .openapi('PermissionGroups');

export const FieldRegistryView = z
  .object({
    entities: z.array(
      z.object({
        entity: z.string(),
        label,
        fields: z.array(z.object({ key: z.string(), label, sensitivity: z.string(), maskable: z.boolean() })),
      }),
    ),
  })
  .openapi('FieldRegistry');

const dataScope = z.enum(['all', 'assigned', 'own']);

export const RoleBody = z.strictObject({
  code: z
    .string()
    .regex(/^[a-z][a-z0-9_]{1,31}$/, { error: localized('角色编码须为小写字母开头的字母、数字、下划线，2-32 位', 'Lower-case letters, digits and _, 2 to 32, starting with a letter') }),
  nameZh: z.string().trim().min(1).max(64),
  nameEn: z.string().trim().min(1).max(64),
  permissions: z.array(z.string().max(64)).max(500),
  dataScope,
  fieldPolicy: roleFieldPolicySchema.default({}),
});

export const RolePatch = RoleBody.omit({ code: true }).partial();

export const Role = z
  .object({
    id: z.number().int(),
    code: z.string(),
    nameZh: z.string(),
    nameEn: z.string(),
    builtin: z.boolean(),
    permissions: z.array(z.string()),
    dataScope,
    fieldPolicy: z.unknown(),
    userCount: z.number().int(),
  })
  .openapi('Role');

export const RoleList = z.object({ items: z.array(Role) }).openapi('RoleList');

const username = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9._-]{2,64}$/, { error: localized('用户名须为 2-64 位字母、数字、. _ -', '2 to 64 letters, digits, . _ or -') });

export const UserBody = z.strictObject({
  username,
  displayName: z.string().trim().min(1).max(64),
  roles: z.array(z.string().max(64)).min(1).max(20),
  storeIds: z.array(z.number().int().positive()).max(500).default([]),
  password: z.string().min(1).max(64).optional(),
});

export const UserPatch = z.strictObject({
  displayName: z.string().trim().min(1).max(64).optional(),
  roles: z.array(z.string().max(64)).min(1).max(20).optional(),
  storeIds: z.array(z.number().int().positive()).max(500).optional(),
  status: z.enum(['active', 'disabled']).optional(),
});

export const UserQuery = z.strictObject({
  keyword: z.string().trim().max(64).optional(),
  status: z.enum(['active', 'disabled']).optional(),
  roleCode: z.string().max(64).optional(),
  storeId: z.coerce.number().int().positive().optional(),
});

export const StaffUser = z
  .object({
    id: z.number().int(),
    username: z.string(),
    displayName: z.string(),
    status: z.enum(['active', 'disabled']),
    roles: z.array(z.string()),
    storeIds: z.array(z.number().int()),
    lastLoginAt: nullableIsoDate,
    mustChangePassword: z.boolean(),
    createdAt: isoDate,
  })
  .openapi('StaffUser');

export const StaffUserList = z.object({ items: z.array(StaffUser) }).openapi('StaffUserList');
export const CreatedUser = z
  .object({ user: StaffUser, initialPassword: z.string().optional() })
  .openapi('CreatedStaffUser');
export const InitialPassword = z.object({ initialPassword: z.string() }).openapi('InitialPassword');

export const SessionParams = z.strictObject({
  id: z.coerce.number().int().positive(),
  sessionId: z.coerce.number().int().positive(),
});

export const SessionList = z
  .object({
    items: z.array(
      z.object({
        id: z.number().int(),
        ip: z.string().nullable(),
        userAgent: z.string().nullable(),
        createdAt: isoDate,
        lastSeenAt: isoDate,
        expiresAt: isoDate,
        current: z.boolean(),
      }),
    ),
  })
  .openapi('SessionList');

export const ApiKeyBody = z.strictObject({
  name: z.string().trim().min(1).max(64),
  scopes: z.array(z.string().max(64)).min(1).max(500),
  storeId: z.number().int().positive().nullable().optional(),
  expiresAt: z.coerce.date().nullable().optional(),
  rateLimitPerMinute: z.number().int().min(1).max(100_000).default(600),
});

export const ApiKey = z
  .object({
    id: z.number().int(),
    name: z.string(),
    prefix: z.string(),
    scopes: z.array(z.string()),
    storeId: z.number().int().nullable(),
    expiresAt: nullableIsoDate,
    lastUsedAt: nullableIsoDate,
    revokedAt: nullableIsoDate,
    rateLimitPerMinute: z.number().int(),
    createdBy: z.object({ id: z.number().int(), username: z.string() }),
    createdAt: isoDate,
  })
  .openapi('ApiKey');

export const ApiKeyList = z.object({ items: z.array(ApiKey) }).openapi('ApiKeyList');
export const CreatedApiKey = z
  .object({ apiKey: ApiKey, secret: z.string().openapi({ description: 'Shown once: send as `Authorization: Bearer <secret>`' }) })
  .openapi('CreatedApiKey');

export { IdParams };
