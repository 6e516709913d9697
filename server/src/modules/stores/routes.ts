import { access, defineRoute, type RouteSpec } from '../../platform/http/route.js';
import { IdParams, Store, StoreBody, StoreList, StorePatch, StoreQuery } from './schemas.js';
import type { StoreService } from './service.js';

export function storeRoutes(stores: StoreService): RouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/stores',
      summary: 'Stores the caller may reach',
      tags: ['stores'],
      access: access.permission('system:store:view'),
      query: StoreQuery,
      response: StoreList,
      handler: async ({ principal, query }) => ({ items: await stores.list(principal!, query) }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/stores',
      summary: 'Create a store',
      tags: ['stores'],
      access: access.permission('system:store:create'),
      body: StoreBody,
      response: Store,
      status: 201,
      errors: ['STORE_CODE_TAKEN'],
      handler: ({ body }) => stores.create(body),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/stores/:id',
      summary: 'One store',
      tags: ['stores'],
      access: access.permission('system:store:view'),
      params: IdParams,
      response: Store,
      errors: ['STORE_NOT_FOUND'],
      handler: ({ principal, params }) => stores.get(principal!, params.id),
    }),
    defineRoute({
      method: 'patch',
      path: '/api/v1/stores/:id',
      summary: 'Change a store (its code never changes)',
      tags: ['stores'],
      access: access.permission('system:store:update'),
      params: IdParams,
      body: StorePatch,
      response: Store,
      errors: ['STORE_NOT_FOUND'],
      handler: ({ principal, params, body }) => stores.update(principal!, params.id, body),
    }),
  ];
}
