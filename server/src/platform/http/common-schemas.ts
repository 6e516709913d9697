import { z } from './zod.js';

/** `/:id` of every resource: a positive integer. */
export const IdParams = z.strictObject({ id: z.coerce.number().int().positive() });

/** A stored UTC time, sent as ISO 8601. */
export const isoDate = z
  .date()
  .transform((d) => d.toISOString())
  .openapi({ type: 'string', format: 'date-time' });

export const nullableIsoDate = z
  .date()
  .nullable()
  .transform((d) => d?.toISOString() ?? null)
  .openapi({ type: ['string', 'null'], format: 'date-time' });

/** Optional free text: trimmed, at most `max` characters; blank means none (null). */
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => (v === '' ? null : v))
    .nullable()
    .optional();
