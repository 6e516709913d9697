import { z } from '../../platform/http/zod.js';
import { EnvelopeSchema } from '../../platform/crypto/envelope.js';
import { localized } from '../../platform/http/validation.js';
import { PASSWORD_MAX_LENGTH } from './password.js';

const username = z.string().trim().min(1).max(64);
const password = z.string().min(1).max(PASSWORD_MAX_LENGTH);

/** Exactly one of the two ways of sending a secret; each field is still checked on its own. */
function oneOf<T extends Record<string, unknown>>(plainKeys: (keyof T & string)[]) {
  return (value: T, ctx: z.RefinementCtx) => {
    const plain = plainKeys.filter((key) => value[key] !== undefined);
    const encrypted = value.encrypted !== undefined;
    if (encrypted && plain.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['encrypted'], message: localized('不能同时提交明文与加密密码', 'Send either the plain or the encrypted password, not both')() });
    } else if (!encrypted) {
      for (const key of plainKeys.filter((k) => value[k] === undefined)) {
        ctx.addIssue({ code: 'custom', path: [key], message: localized('必填', 'Required')() });
      }
    }
  };
}

export const LoginBody = z
  .strictObject({ username, password: password.optional(), encrypted: EnvelopeSchema.optional() })
  .superRefine(oneOf(['password']))
  .openapi('LoginRequest', {
    description: 'Send `encrypted` (see GET /api/v1/auth/public-key) from browsers; `password` only over HTTPS.',
  });

export const ChangePasswordBody = z
  .strictObject({
    currentPassword: password.optional(),
    newPassword: password.optional(),
    encrypted: EnvelopeSchema.optional(),
  })
  .superRefine(oneOf(['currentPassword', 'newPassword']))
  .openapi('ChangePasswordRequest');

export const PublicUser = z
  .object({
    id: z.number().int(),
    username: z.string(),
    displayName: z.string(),
    mustChangePassword: z.boolean(),
    locale: z.string(),
  })
  .openapi('User');

export const SessionView = z
  .object({ user: PublicUser, permissions: z.array(z.string()) })
  .openapi('SessionView');

export const LoginResponse = SessionView.extend({
  token: z.string().openapi({ description: 'Send as `Authorization: Bearer <token>`.' }),
  expiresAt: z.date().transform((date) => date.toISOString()).openapi({ type: 'string', format: 'date-time' }),
}).openapi('LoginResponse');

export const PublicKeyResponse = z
  .object({
    keyId: z.string(),
    publicKey: z.string().openapi({ description: 'PEM SubjectPublicKeyInfo' }),
    nonce: z.string().openapi({ description: 'Single use, valid five minutes' }),
    serverTime: z.number().int().openapi({ description: 'Epoch milliseconds, to correct the client clock' }),
    algorithm: z.literal('RSA-OAEP-256+A256GCM'),
  })
  .openapi('LoginPublicKey');

export const PasswordPolicyResponse = z
  .object({
    minLength: z.number().int(),
    maxLength: z.number().int(),
    requiredClasses: z.number().int().openapi({ description: 'Of four: lower case, upper case, digits, symbols' }),
    notUsername: z.literal(true),
    historyCount: z.number().int(),
  })
  .openapi('PasswordPolicy');
