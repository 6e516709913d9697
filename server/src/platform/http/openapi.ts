import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from './zod.js';
import { ERROR_CATALOG } from '../errors/catalog.js';
import type { RouteSpec } from './route.js';


const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'VALIDATION_FAILED' }),
      message: z.string().openapi({ example: '提交的数据有误，请检查标出的字段' }),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error');

export function toOpenApiPath(expressPath: string): string {
  return expressPath.replace(/:(\w+)/g, '{$1}');
}

function describeAccess(route: RouteSpec): string {
  switch (route.access.kind) {
    case 'public':
      return 'Public.';
    case 'authenticated':
      return 'Any signed-in user.';
    case 'permission':
      return `Requires permission \`${route.access.code}\`.`;
  }
}

export function buildOpenApiDocument(routes: RouteSpec[], version: string): object {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  for (const route of routes) {
    const errorCodes = new Set<string>([
      ...(route.errors ?? []),
      ...(route.body || route.query || route.params ? ['VALIDATION_FAILED'] : []),
      ...(route.access.kind === 'public' ? [] : ['UNAUTHENTICATED', 'PASSWORD_CHANGE_REQUIRED']),
      ...(route.access.kind === 'permission' ? ['FORBIDDEN'] : []),
    ]);
    const byStatus = new Map<number, string[]>();
    for (const code of errorCodes) {
      const status = ERROR_CATALOG[code as keyof typeof ERROR_CATALOG].status;
      byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
    }
    const status = route.status ?? (route.response ? 200 : 204);
    registry.registerPath({
      method: route.method,
      path: toOpenApiPath(route.path),
      summary: route.summary,
      description: describeAccess(route),
      tags: route.tags,
      security: route.access.kind === 'public' ? [] : [{ [bearer.name]: [] }],
      request: {
        ...(route.body ? { body: { content: { 'application/json': { schema: route.body } } } } : {}),
        ...(route.query ? { query: route.query as z.ZodObject } : {}),
        ...(route.params ? { params: route.params as z.ZodObject } : {}),
      },
      responses: {
        [status]: route.response
          ? { description: 'Success', content: { 'application/json': { schema: route.response } } }
          : { description: 'Success, no content' },
        ...Object.fromEntries(
          [...byStatus].map(([code, codes]) => [
            code,
            { description: codes.join(', '), content: { 'application/json': { schema: ErrorBody } } },
          ]),
        ),
      },
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Huiji API',
      version,
      description:
        'Huiji (会籍) REST API. Errors are `{ "error": { "code", "message", "details" } }`; send `Accept-Language: en` for English messages (default zh-CN).',
    },
    servers: [{ url: '/' }],
  });
}
