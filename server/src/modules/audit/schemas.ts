import { z } from '../../platform/http/zod.js';
import { IdParams, isoDate } from '../../platform/http/common-schemas.js';

export const AuditLogItem = z
  .object({
    id: z.number().int(),
    occurredAt: isoDate,
    actorType: z.enum(['user', 'api_key', 'system', 'anonymous']),
    actorId: z.number().int().nullable(),
    actorName: z.string().nullable(),
    actorRoles: z.array(z.string()),
    storeId: z.number().int().nullable(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    requestId: z.string().nullable(),
    action: z.string(),
    entityType: z.string().nullable(),
    entityId: z.string().nullable(),
    result: z.enum(['success', 'failure', 'denied']),
    summary: z.string(),
    diff: z.unknown().nullable(),
  })
  .openapi('AuditLog');

export const AuditLogQuery = z.strictObject({
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  actorId: z.coerce.number().int().positive().optional(),
  action: z
    .string()
    .regex(/^[a-z_]+(\.[a-z_]+)*(\.\*)?$/, 'expected an action such as auth.login, or a prefix such as auth.*')
    .optional(),
  entityType: z.string().max(32).optional(),
  entityId: z.string().max(64).optional(),
  storeId: z.coerce.number().int().positive().optional(),
  result: z.enum(['success', 'failure', 'denied']).optional(),
  before: z.coerce.number().int().positive().optional().openapi({ description: 'Keyset cursor: the nextBefore of the previous page' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** The list's filters without its paging: an export takes every matching record, up to its cap. */
export const AuditExportQuery = AuditLogQuery.omit({ before: true, limit: true });

export const AuditLogPage = z
  .object({ items: z.array(AuditLogItem), nextBefore: z.number().int().nullable() })
  .openapi('AuditLogPage');

export const VerifyResponse = z
  .object({
    ok: z.boolean(),
    checked: z.number().int(),
    firstBad: z.object({ id: z.number().int(), code: z.string(), reason: z.string(), message: z.string() }).optional(),
    pending: z.number().int(),
    checkpoints: z.number().int(),
    warnings: z.array(z.string()),
  })
  .openapi('AuditVerifyResult');

export { IdParams };
