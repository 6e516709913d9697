import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { ErrorCode } from '../errors/catalog.js';
import type { RoleFieldPolicy } from '../../modules/access/field-policy/index.js';

/** The signed-in staff member or API client behind a request. */
export interface Principal {
  /** 'system': work nobody signed in for, such as a customer's self-registration. */
  kind: 'user' | 'api_key' | 'system';
  /** 0 for a system principal. */
  userId: number;
  username: string;
  /**
   * The staff member's display name, read with the session so that what a request writes
   * (an order's cashier) needs no second read of the user; unset for API keys and system work.
   */
  displayName?: string;
  /** Set for a console session; API keys have none. */
  sessionId: number | null;
  apiKeyId: number | null;
  roles: string[];
  permissions: ReadonlySet<string>;
  /** The stores whose data the caller may reach; null means every store. */
  storeScope: number[] | null;
  /** Every role is limited to the members the user looks after personally. */
  ownMembersOnly: boolean;
  /** Each role's field policy; combined per entity by `fieldGuardFor`. */
  fieldPolicies: RoleFieldPolicy[];
  mustChangePassword: boolean;
}

/**
 * Who may call a route. Every route must say: there is no default, so a forgotten
 * declaration is a type error rather than an open door.
 */
export type Access =
  | { kind: 'public' }
  | { kind: 'authenticated'; duringPasswordChange?: boolean }
  | { kind: 'permission'; code: string };

export const access = {
  public: (): Access => ({ kind: 'public' }),
  authenticated: (options: { duringPasswordChange?: boolean } = {}): Access => ({ kind: 'authenticated', ...options }),
  permission: (code: string): Access => ({ kind: 'permission', code }),
};

export interface HandlerInput<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  principal: Principal | null;
  req: Request;
  res: Response;
}

export interface RouteSpec<
  B extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  P extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express syntax (`/api/v1/members/:id`); OpenAPI paths are derived from it. */
  path: string;
  summary: string;
  tags: string[];
  access: Access;
  body?: B;
  query?: Q;
  params?: P;
  /** The response schema is also an allow-list: keys it does not name are stripped. */
  response?: R;
  status?: 200 | 201 | 202 | 204;
  errors?: ErrorCode[];
  handler: (input: HandlerInput<z.output<B>, z.output<Q>, z.output<P>>) => Promise<z.input<R> | void>;
}

export function defineRoute<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType, R extends z.ZodType>(
  spec: RouteSpec<B, Q, P, R>,
): RouteSpec {
  return spec as unknown as RouteSpec;
}
