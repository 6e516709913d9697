import { IdParams, isoDate, nullableIsoDate } from '../../platform/http/common-schemas.js';
import { localized } from '../../platform/http/validation.js';
import { z } from '../../platform/http/zod.js';
import { POINTS_EVENTS, PointsSettingsSchema } from './settings.js';

export { IdParams, PointsSettingsSchema };

export const LedgerQuery = z.strictObject({
  cursor: z
    .string()
    .regex(/^[1-9]\d{0,15}$/, { error: localized('翻页游标无效', 'Not a valid page cursor') })
    .transform(Number)
    .optional()
    .openapi({ description: 'Keyset cursor: the nextCursor of the previous page' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const LotsQuery = z.strictObject({
  all: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .openapi({ description: 'Also lots with nothing left (spent or expired)' }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const AdjustmentBody = z.strictObject({
  delta: z
    .number()
    .int()
    .min(-10_000_000)
    .max(10_000_000)
    .refine((v) => v !== 0, { error: localized('调整积分不能为 0', 'The adjustment cannot be 0') }),
  reason: z.string().trim().min(1).max(200),
});

export const EventBody = z.strictObject({
  event: z.enum(POINTS_EVENTS),
  /** What the event was about (a referred member's number, a campaign); kept in the audit record. */
  reference: z.string().trim().max(64).optional(),
});

export const PointsLedgerEntry = z
  .object({
    id: z.number().int(),
    kind: z.string(),
    sourceType: z.string(),
    sourceId: z.number().int().nullable(),
    lotId: z.number().int().nullable(),
    delta: z.number().int(),
    balanceAfter: z.number().int(),
    storeId: z.number().int().nullable(),
    operatorId: z.number().int().nullable(),
    reason: z.string().nullable(),
    createdAt: isoDate,
  })
  .openapi('PointsLedgerEntry');

export const PointsLedgerPage = z.object({ items: z.array(PointsLedgerEntry), nextCursor: z.string().nullable() }).openapi('PointsLedgerPage');

export const PointLot = z
  .object({
    id: z.number().int(),
    sourceType: z.string(),
    sourceId: z.number().int().nullable(),
    amount: z.number().int(),
    remaining: z.number().int(),
    earnedAt: isoDate,
    expiresAt: nullableIsoDate,
  })
  .openapi('PointLot');

export const PointLots = z
  .object({
    items: z.array(PointLot),
    summary: z.object({
      /** Negative when points are owed. */
      balance: z.number().int(),
      owed: z.number().int(),
      expiringSoon: z.object({ points: z.number().int(), before: isoDate }),
    }),
  })
  .openapi('PointLots');

export const AdjustmentResult = z.object({ balance: z.number().int(), entries: z.array(PointsLedgerEntry) }).openapi('PointsAdjustmentResult');

export const EventResult = z
  .object({ event: z.enum(POINTS_EVENTS), points: z.number().int(), balance: z.number().int(), entries: z.array(PointsLedgerEntry) })
  .openapi('PointsEventResult');
