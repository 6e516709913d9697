import { IdParams, isoDate, nullableIsoDate } from '../../platform/http/common-schemas.js';
import { z } from '../../platform/http/zod.js';
import { Task } from '../jobs/schemas.js';
import { BatchTargetSchema, SKIP_REASONS } from './batch-targets.js';

export { IdParams };

export const BatchBody = z.strictObject({
  templateId: z.number().int().positive(),
  target: BatchTargetSchema,
  count: z.number().int().min(1).max(10).default(1).openapi({ description: 'Coupons each member receives' }),
});
export type BatchInput = z.output<typeof BatchBody>;

const Skipped = z
  .object(Object.fromEntries(SKIP_REASONS.map((reason) => [reason, z.number().int()])) as Record<(typeof SKIP_REASONS)[number], z.ZodNumber>)
  .openapi('CouponBatchSkipped', {
    description:
      'Members or listed values that get nothing, by reason: notFound, invalid (not a phone or card number), duplicate, outOfScope (another store), frozen, perMember (limit reached), daily (day limit), stock, inactive (template paused, ended or past its dates)',
  });

export const BatchPreview = z
  .object({
    matched: z.number().int().openapi({ description: 'Members the target names within reach: issuable + skipped frozen, perMember, daily, stock and inactive' }),
    issuable: z.number().int().openapi({ description: 'Members who would receive coupons' }),
    coupons: z.number().int().openapi({ description: 'Coupons that would be issued' }),
    skipped: Skipped,
  })
  .openapi('CouponBatchPreview');

const TargetSummary = z
  .object({
    type: z.enum(['members', 'filter', 'list']),
    size: z.number().int().nullable().openapi({ description: 'Ids or values listed; null for a filter' }),
    query: z.record(z.string(), z.unknown()).nullable().openapi({ description: 'The filter, a phone keyword masked' }),
  })
  .openapi('CouponBatchTargetSummary');

export const Batch = z
  .object({
    id: z.number().int(),
    templateId: z.number().int(),
    templateName: z.string(),
    target: TargetSummary,
    count: z.number().int(),
    status: z.enum(['queued', 'running', 'done', 'failed']),
    matched: z.number().int(),
    issued: z.number().int().openapi({ description: 'Coupons issued so far' }),
    skipped: Skipped.nullable(),
    taskId: z.number().int().nullable(),
    createdBy: z.number().int().nullable(),
    createdAt: isoDate,
    finishedAt: nullableIsoDate,
  })
  .openapi('CouponBatch');

export const BatchCreated = z.object({ batch: Batch, task: Task }).openapi('CouponBatchCreated');

export const BatchQuery = z.strictObject({
  templateId: z.coerce.number().int().positive().optional(),
  cursor: z.string().regex(/^\d{1,15}$/).optional().openapi({ description: 'The nextCursor of the previous page' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const BatchPage = z.object({ items: z.array(Batch), nextCursor: z.string().nullable() }).openapi('CouponBatchPage');
