import type { Sequelize } from 'sequelize';
import { databaseVersion, dialectOf } from '../../platform/db/connect.js';
import { migrationStatus } from '../../platform/db/migrate.js';
import { access, defineRoute, type RouteSpec } from '../../platform/http/route.js';
import { z } from '../../platform/http/zod.js';
import { VERSION } from '../../platform/paths.js';

const SystemInfo = z
  .object({
    version: z.string(),
    nodeVersion: z.string(),
    database: z.object({ dialect: z.enum(['sqlite', 'mysql']), version: z.string() }),
    businessTimezone: z.string(),
    migrations: z.object({ applied: z.number().int(), pending: z.number().int() }),
    startedAt: z.string(),
    uptimeSeconds: z.number().int(),
  })
  .openapi('SystemInfo');

export function systemRoutes(options: { sequelize: Sequelize; businessTimezone: string; startedAt: Date }): RouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/system/info',
      summary: 'Versions, database and migration state of this Huiji server',
      tags: ['system'],
      access: access.permission('system:info:view'),
      response: SystemInfo,
      handler: async () => ({
        version: VERSION,
        nodeVersion: process.version,
        database: { dialect: dialectOf(options.sequelize), version: await databaseVersion(options.sequelize) },
        businessTimezone: options.businessTimezone,
        migrations: await migrationStatus(options.sequelize),
        startedAt: options.startedAt.toISOString(),
        uptimeSeconds: Math.floor((Date.now() - options.startedAt.getTime()) / 1000),
      }),
    }),
  ];
}
