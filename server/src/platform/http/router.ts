import express, { type Request, type Router } from 'express';
import { AppError } from '../errors/app-error.js';
import type { Principal, RouteSpec } from './route.js';
import { currentRequestContext } from './request-context.js';
import { validate } from './validation.js';

/** Resolves the caller from the request; null when no credentials were sent. */
export type Authenticator = (req: Request) => Promise<Principal | null>;

export function hasPermission(principal: Principal, code: string): boolean {
  return principal.permissions.has('*') || principal.permissions.has(code);
}

async function authorize(route: RouteSpec, req: Request, authenticate: Authenticator): Promise<Principal | null> {
  if (route.access.kind === 'public') return null;
  const principal = await authenticate(req);
  if (!principal) throw new AppError('UNAUTHENTICATED');
  const context = currentRequestContext();
  if (context) context.principal = principal;
  const allowedBeforeChange = route.access.kind === 'authenticated' && route.access.duringPasswordChange;
  if (principal.mustChangePassword && !allowedBeforeChange) throw new AppError('PASSWORD_CHANGE_REQUIRED');
  if (route.access.kind === 'permission' && !hasPermission(principal, route.access.code)) {
    throw new AppError('FORBIDDEN', { params: { permission: route.access.code } });
  }
  return principal;
}

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

export function buildRouter(routes: RouteSpec[], authenticate: Authenticator): Router {
  const router = express.Router();
  for (const route of routes) {
    router[route.method](route.path, async (req, res) => {
      if (route.body && hasBody(req) && !req.is('application/json')) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
      const principal = await authorize(route, req, authenticate);
      const body = route.body ? validate(route.body, req.body ?? {}, 'body') : undefined;
      const query = route.query ? validate(route.query, req.query, 'query') : undefined;
      const params = route.params ? validate(route.params, req.params, 'params') : undefined;
      const result = await route.handler({ body, query, params, principal, req, res });
      // A handler that streamed its own response (a file download) has answered already.
      if (res.headersSent) return;
      const status = route.status ?? (result === undefined ? 204 : 200);
      if (status === 204) {
        res.status(204).end();
        return;
      }
      res.status(status).json(route.response ? route.response.parse(result) : result);
    });
  }
  return router;
}
