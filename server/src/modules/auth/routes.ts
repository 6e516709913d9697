import type { Request } from 'express';
import { currentRequestContext } from '../../platform/http/request-context.js';
import { access, defineRoute, type RouteSpec } from '../../platform/http/route.js';
import {
  ChangePasswordBody,
  LoginBody,
  LoginResponse,
  PasswordPolicyResponse,
  PublicKeyResponse,
  SessionView,
} from './schemas.js';
import type { AuthService, ClientMeta } from './service.js';

function clientMeta(req: Request): ClientMeta {
  return {
    ip: req.ip ?? null,
    userAgent: req.get('user-agent') ?? null,
    requestId: currentRequestContext()?.requestId ?? null,
  };
}

export function authRoutes(auth: AuthService): RouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/auth/public-key',
      summary: 'Public key and single-use nonce for encrypting a password',
      tags: ['auth'],
      access: access.public(),
      response: PublicKeyResponse,
      handler: () => auth.issueChallenge(),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/auth/login',
      summary: 'Log in with a username and password',
      tags: ['auth'],
      access: access.public(),
      body: LoginBody,
      response: LoginResponse,
      errors: [
        'INVALID_CREDENTIALS',
        'ACCOUNT_LOCKED',
        'LOGIN_RATE_LIMITED',
        'ACCOUNT_DISABLED',
        'ENCRYPTED_PAYLOAD_INVALID',
        'NONCE_INVALID',
        'PLAIN_PASSWORD_NOT_ALLOWED',
      ],
      handler: ({ body, req }) => {
        const credentials = body.encrypted ? { encrypted: body.encrypted } : { password: body.password! };
        return auth.login(body.username, credentials, clientMeta(req));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/auth/me',
      summary: 'The signed-in user and their permissions',
      tags: ['auth'],
      access: access.authenticated({ duringPasswordChange: true }),
      response: SessionView,
      handler: ({ principal }) => auth.me(principal!),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/auth/logout',
      summary: 'End this session',
      tags: ['auth'],
      access: access.authenticated({ duringPasswordChange: true }),
      status: 204,
      handler: ({ principal }) => auth.logout(principal!),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/auth/password-policy',
      summary: 'The rules a new password must meet',
      tags: ['auth'],
      access: access.authenticated({ duringPasswordChange: true }),
      response: PasswordPolicyResponse,
      handler: async () => auth.policy,
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/auth/password',
      summary: 'Change the signed-in user’s password; ends their other sessions',
      tags: ['auth'],
      access: access.authenticated({ duringPasswordChange: true }),
      body: ChangePasswordBody,
      response: SessionView,
      errors: ['CURRENT_PASSWORD_WRONG', 'PASSWORD_POLICY', 'ACCOUNT_LOCKED', 'ENCRYPTED_PAYLOAD_INVALID', 'NONCE_INVALID'],
      handler: ({ body, principal }) => {
        const input = body.encrypted
          ? { encrypted: body.encrypted }
          : { currentPassword: body.currentPassword!, newPassword: body.newPassword! };
        return auth.changePassword(principal!, input);
      },
    }),
  ];
}
