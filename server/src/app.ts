import fs from 'node:fs';
import path from 'node:path';
import compression from 'compression';
import express, { type Express, type Request } from 'express';
import helmet from 'helmet';
import type { AppContext } from './context.js';
import { AppError } from './platform/errors/app-error.js';
import { apiDocsRouter } from './platform/http/api-docs.js';
import { accessLog, errorHandler, requestContext } from './platform/http/middleware.js';
import { currentRequestContext } from './platform/http/request-context.js';
import { buildOpenApiDocument } from './platform/http/openapi.js';
import { buildRouter } from './platform/http/router.js';
import { CONSOLE_DIST, VERSION } from './platform/paths.js';

function bearerToken(req: Request): string | null {
  const header = req.get('authorization');
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match ? match[1] : (req.get('x-api-key') ?? null);
}

function routeMatchers(ctx: AppContext) {
  return ctx.routes.map((route) => ({
    method: route.method.toUpperCase(),
    pattern: new RegExp(`^${route.path.replace(/:\w+/g, '[^/]+')}/?$`),
  }));
}

/** Builds the Express app without listening, so tests mount it directly. */
export function createApp(ctx: AppContext): Express {
  const { config, logger, readiness, sequelize } = ctx;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.http.trustProxy);

  app.use(requestContext());
  app.use(accessLog(logger));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // Element Plus and Swagger UI set inline styles; scripts stay same-origin only.
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:', 'blob:'],
          // Intranet installs are often plain HTTP: upgrading requests would break them.
          'upgrade-insecure-requests': null,
        },
      },
      // HSTS belongs to the TLS-terminating proxy (deploy/nginx), which knows whether TLS is on.
      strictTransportSecurity: false,
    }),
  );
  app.use(compression());

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', version: VERSION });
  });
  app.get('/readyz', async (_req, res) => {
    const { ready, checks } = await readiness.probe(sequelize);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks });
  });

  app.use('/api', (_req, _res, next) => {
    next(readiness.ready ? undefined : new AppError('SERVICE_UNAVAILABLE'));
  });
  app.use('/api', express.json({ limit: config.http.bodyLimit, strict: true }));

  let openApi: object | undefined;
  app.get('/api/v1/openapi.json', (_req, res) => {
    openApi ??= buildOpenApiDocument(ctx.routes, VERSION);
    res.json(openApi);
  });
  app.use('/api/docs', apiDocsRouter());

  app.use(
    buildRouter(ctx.routes, async (req) => {
      const token = bearerToken(req);
      if (!token) return null;
      return token.startsWith('hj_') ? ctx.services.apiKeys.authenticate(token) : ctx.services.auth.authenticate(token);
    }),
  );

  const matchers = routeMatchers(ctx);
  app.all('/api/{*rest}', (req) => {
    const requestPath = req.originalUrl.split('?')[0];
    const methods = matchers.filter((m) => m.pattern.test(requestPath)).map((m) => m.method);
    if (methods.length > 0) throw new AppError('METHOD_NOT_ALLOWED', { params: { method: req.method } });
    throw new AppError('NOT_FOUND', { params: { method: req.method, path: requestPath } });
  });

  for (const page of ctx.pages) app.use(page);
  serveConsole(app);
  app.use(
    errorHandler(logger, {
      bodyLimit: config.http.bodyLimit,
      onDenied: async (error) => {
        // Failed logins are audited by the auth service itself, with the attempted username.
        if (error.code === 'INVALID_CREDENTIALS' || error.code === 'ACCOUNT_DISABLED') return;
        const context = currentRequestContext();
        await ctx.services.audit.record(
          {
            action: 'http.denied',
            result: 'denied',
            summary: `${context?.method ?? ''} ${context?.path ?? ''} → ${error.code}${error.params.permission ? ` (${error.params.permission})` : ''}`,
          },
          { transaction: null },
        );
      },
    }),
  );
  return app;
}

function serveConsole(app: Express): void {
  const indexFile = path.join(CONSOLE_DIST, 'index.html');
  app.use(
    '/assets',
    express.static(path.join(CONSOLE_DIST, 'assets'), { immutable: true, maxAge: '365d', fallthrough: true }),
  );
  app.use(express.static(CONSOLE_DIST, { index: false, maxAge: '1h' }));
  // Client-side routes (/login, /system/info, ...) all load the same page.
  app.get('/{*rest}', (req, res) => {
    if (!fs.existsSync(indexFile)) {
      res
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('控制台尚未构建，请运行 npm run build。\nThe console has not been built; run npm run build.\n');
      return;
    }
    if (path.extname(req.path)) {
      res.status(404).type('text/plain; charset=utf-8').send('Not found\n');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(indexFile);
  });
}
