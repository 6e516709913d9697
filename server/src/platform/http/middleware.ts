import crypto from 'node:crypto';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError } from '../errors/app-error.js';
import type { Logger } from '../logger/index.js';
import { pickLocale } from '../i18n/locale.js';
import { currentRequestContext, runWithRequestContext } from './request-context.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Gives each request an id (the caller's, when it is sane) and a language, for its whole async life. */
export function requestContext(): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
    res.setHeader('X-Request-Id', requestId);
    runWithRequestContext(
      {
        requestId,
        locale: pickLocale(req.get('accept-language')),
        ip: req.ip,
        userAgent: req.get('user-agent')?.slice(0, 255),
        method: req.method,
        path: req.originalUrl.split('?')[0],
      },
      next,
    );
  };
}

export function accessLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const context = currentRequestContext();
      logger.http('request', {
        method: req.method,
        path: req.originalUrl.split('?')[0],
        status: res.statusCode,
        ms: Number((process.hrtime.bigint() - started) / 1_000_000n),
        ip: req.ip,
        userId: context?.principal?.userId,
      });
    });
    next();
  };
}

/** Body-parser and Express errors carry a status and a type; turn the ones clients cause into codes. */
function fromFrameworkError(error: unknown, bodyLimit: string): AppError | null {
  const err = error as { type?: string; status?: number; message?: string };
  switch (err.type) {
    case 'entity.parse.failed':
      return new AppError('MALFORMED_JSON', { params: { reason: err.message ?? '' } });
    case 'entity.too.large':
      return new AppError('PAYLOAD_TOO_LARGE', { params: { limit: bodyLimit } });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('UNSUPPORTED_MEDIA_TYPE');
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new AppError('BAD_REQUEST', { params: { reason: err.message ?? err.type } });
  }
  if (typeof err.status === 'number' && err.status >= 400 && err.status < 500) {
    return new AppError('BAD_REQUEST', { params: { reason: err.message ?? 'bad request' } });
  }
  return null;
}

export interface ErrorHandlerOptions {
  bodyLimit: string;
  /** Called for every refused request (401, 403) so it reaches the audit log. */
  onDenied?: (error: AppError) => Promise<void>;
}

export function errorHandler(logger: Logger, options: ErrorHandlerOptions): ErrorRequestHandler {
  const { bodyLimit } = options;
  return async (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const context = currentRequestContext();
    const locale = context?.locale ?? pickLocale(req.get('accept-language'));
    let appError = error instanceof AppError ? error : fromFrameworkError(error, bodyLimit);
    if (!appError) {
      logger.error('unhandled error', { error, method: req.method, path: req.originalUrl.split('?')[0] });
      appError = new AppError('INTERNAL', { params: { requestId: context?.requestId ?? '-' } });
    } else if (appError.status >= 500) {
      logger.error(appError.message, { code: appError.code, cause: appError.cause });
    } else if ((appError.status === 401 || appError.status === 403) && options.onDenied) {
      try {
        await options.onDenied(appError);
      } catch (auditError) {
        // The refusal stands either way; a failing audit write is an operator's problem to see.
        logger.error('could not audit a denied request', { error: auditError });
      }
    }
    res.status(appError.status).json({
      error: {
        code: appError.code,
        message: appError.messageIn(locale),
        ...(appError.details === undefined ? {} : { details: appError.details }),
      },
    });
  };
}
