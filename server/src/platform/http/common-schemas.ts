import { z } from './zod.js';

/** `/:id` of every resource: a positive integer. */
export const IdParams = z.strictObject({ id: z.coerce.number().int().positive() });

/**
 * A stored UTC time, sent as ISO 8601. Already a string when the response is a saved one
 * (an idempotent replay answers with the JSON it stored).
 */
export const isoDate = z
  .union([z.date(), z.iso.datetime()])
  .transform((d) => (typeof d === 'string' ? d : d.toISOString()))
  .openapi({ type: 'string', format: 'date-time' });

export const nullableIsoDate = z
  .union([z.date(), z.iso.datetime()])
  .nullable()
  .transform((d) => (d === null ? null : typeof d === 'string' ? d : d.toISOString()))
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
