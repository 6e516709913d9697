import { access, defineRoute, type RouteSpec } from '../../platform/http/route.js';
import type { ApiKeyService } from './api-keys-service.js';
import type { FieldRegistry } from './field-policy/index.js';
import { permissionGroups } from './permissions.js';
import type { RoleService } from './roles-service.js';
import {

  ApiKeyBody,
  ApiKeyList,
  CreatedApiKey,
  FieldRegistryView,
  IdParams,
  PermissionGroups,
  Role,
  RoleBody,
  RoleList,
  RolePatch,
} from './schemas.js';

const ENTITY_LABELS: Record<string, { zh: string; en: string }> = {
  member: { zh: '会员', en: 'Members' },
  order: { zh: '消费记录', en: 'Orders' },
  ledger: { zh: '积分与储值流水', en: 'Points and stored-value ledgers' },
};

export function accessRoutes(options: { roles: RoleService; apiKeys: ApiKeyService; registry: FieldRegistry }): RouteSpec[] {
  const { roles, apiKeys, registry } = options;
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/permissions',
      summary: 'Every permission, grouped by resource, for the permission matrix',
      tags: ['access'],
      access: access.permission('system:role:view'),
      response: PermissionGroups,
      handler: async () => ({ groups: permissionGroups() }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/field-registry',
      summary: 'Fields that take field-level policies, for the field-policy grid',
      tags: ['access'],
      access: access.permission('system:role:view'),
      response: FieldRegistryView,
      handler: async () => ({
        entities: registry.entities().map((entity) => ({
          entity,
          label: ENTITY_LABELS[entity] ?? { zh: entity, en: entity },
          fields: registry.fields(entity).map((field) => ({
            key: field.key,
            label: { zh: field.label.zh, en: field.label.en },
            sensitivity: field.sensitivity,
            maskable: field.mask !== null,
          })),
        })),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/roles',
      summary: 'Roles with their permissions, data scope and field policy',
      tags: ['access'],
      access: access.permission('system:role:view'),
      response: RoleList,
      handler: async () => ({ items: await roles.list() }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/roles',
      summary: 'Create a role (only with permissions the caller holds)',
      tags: ['access'],
      access: access.permission('system:role:create'),
      body: RoleBody,
      response: Role,
      status: 201,
      errors: ['ROLE_CODE_TAKEN', 'UNKNOWN_PERMISSION', 'UNKNOWN_FIELD_POLICY', 'CANNOT_GRANT'],
      handler: ({ principal, body }) => roles.create(principal!, body),
    }),
    defineRoute({
      method: 'patch',
      path: '/api/v1/roles/:id',
      summary: 'Change a role; built-in roles too, but super admin keeps every permission',
      tags: ['access'],
      access: access.permission('system:role:update'),
      params: IdParams,
      body: RolePatch,
      response: Role,
      errors: ['ROLE_NOT_FOUND', 'SUPER_ADMIN_FIXED', 'UNKNOWN_PERMISSION', 'UNKNOWN_FIELD_POLICY', 'CANNOT_GRANT'],
      handler: ({ principal, params, body }) => roles.update(principal!, params.id, body),
    }),
    defineRoute({
      method: 'delete',
      path: '/api/v1/roles/:id',
      summary: 'Delete a role no one holds; built-in roles cannot be deleted',
      tags: ['access'],
      access: access.permission('system:role:delete'),
      params: IdParams,
      status: 204,
      errors: ['ROLE_NOT_FOUND', 'ROLE_BUILTIN', 'ROLE_IN_USE'],
      handler: ({ params }) => roles.remove(params.id),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/api-keys',
      summary: 'API keys (secrets are never shown again)',
      tags: ['access'],
      access: access.permission('system:apikey:view'),
      response: ApiKeyList,
      handler: async ({ principal }) => ({ items: await apiKeys.list(principal!) }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/api-keys',
      summary: 'Create an API key for a POS or ERP; the secret is in this response only',
      tags: ['access'],
      access: access.permission('system:apikey:create'),
      body: ApiKeyBody,
      response: CreatedApiKey,
      status: 201,
      errors: ['UNKNOWN_PERMISSION', 'CANNOT_GRANT'],
      handler: ({ principal, body }) => apiKeys.create(principal!, body),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/api-keys/:id/revoke',
      summary: 'Revoke an API key at once',
      tags: ['access'],
      access: access.permission('system:apikey:revoke'),
      params: IdParams,
      status: 204,
      errors: ['API_KEY_NOT_FOUND'],
      handler: ({ principal, params }) => apiKeys.revoke(principal!, params.id),
    }),
  ];
}
