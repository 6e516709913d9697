import type { Response } from 'express';
import { AppError } from '../../platform/errors/app-error.js';
import { access, defineRoute, type RouteSpec } from '../../platform/http/route.js';
import { registrationCodes } from './errors.js';
import type { RegistrationService } from './registration-service.js';
import { CodeParams, PublicForm, Registered, SmsCodeBody, SmsCodeSent, SubmitBody } from './schemas.js';

/** A 429 also carries Retry-After, for clients that read headers rather than bodies (the coupon claim API's too). */
export async function withRetryAfter<T>(res: Response, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const retry = error instanceof AppError ? (error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds : undefined;
    if (retry !== undefined) res.set('Retry-After', String(retry));
    throw error;
  }
}

/**
 * The API behind the public page `/r/<code>`: no sign-in, so each route answers a paused
 * or unknown channel with one 404 and says nothing about who is a member until the phone's
 * owner has proved it with the SMS code.
 */
export function publicRegistrationRoutes(registration: RegistrationService): RouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/public/registration/:code',
      summary: "A channel's public sign-up form: store, privacy notice, consent text and the fields to fill in",
      tags: ['registration'],
      access: access.public(),
      params: CodeParams,
      response: PublicForm,
      errors: registrationCodes('REGISTRATION_PAGE_NOT_FOUND'),
      handler: ({ params }) => registration.form(params.code),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/public/registration/:code/sms-code',
      summary: 'Send a 6-digit code to the phone (limits per phone, address and channel answer 429 with when to retry)',
      tags: ['registration'],
      access: access.public(),
      params: CodeParams,
      body: SmsCodeBody,
      response: SmsCodeSent,
      status: 202,
      errors: registrationCodes(
        'REGISTRATION_PAGE_NOT_FOUND',
        'REGISTRATION_SMS_TOO_SOON',
        'REGISTRATION_SMS_PHONE_LIMIT',
        'REGISTRATION_SMS_IP_LIMIT',
        'REGISTRATION_SMS_CHANNEL_LIMIT',
        'REGISTRATION_SMS_UNAVAILABLE',
      ),
      handler: ({ params, body, req, res }) => withRetryAfter(res, () => registration.sendCode(params.code, body.phone, req.ip ?? null)),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/public/registration/:code/submit',
      summary: 'Register as a member of the channel\'s store with the SMS code; answers the new card number',
      tags: ['registration'],
      access: access.public(),
      params: CodeParams,
      body: SubmitBody,
      response: Registered,
      status: 201,
      errors: registrationCodes(
        'REGISTRATION_PAGE_NOT_FOUND',
        'REGISTRATION_CODE_WRONG',
        'REGISTRATION_CODE_LOCKED',
        'REGISTRATION_CODE_EXPIRED',
        'REGISTRATION_PHONE_REGISTERED',
        'MEMBER_CUSTOM_VALUE_TAKEN',
      ),
      handler: ({ params, body }) => registration.submit(params.code, body),
    }),
  ];
}
