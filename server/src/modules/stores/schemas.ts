import { localized } from '../../platform/http/validation.js';
import { z } from '../../platform/http/zod.js';
import { IdParams, isoDate, optionalText } from '../../platform/http/common-schemas.js';

const trimmed = (max: number) => z.string().trim().min(1).max(max);
export const StoreBody = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,32}$/, { error: localized('门店编码只能包含字母、数字、- 和 _，最长 32 位', 'Letters, digits, - and _ only, at most 32') }),
  name: trimmed(64),
  region: optionalText(64),
  address: optionalText(255),
  phone: optionalText(32),
  status: z.enum(['open', 'closed']).optional(),
});

export const StorePatch = StoreBody.omit({ code: true }).partial();

export const StoreQuery = z.strictObject({
  keyword: z.string().trim().max(64).optional(),
  status: z.enum(['open', 'closed']).optional(),
});

export const Store = z
  .object({
    id: z.number().int(),
    code: z.string(),
    name: z.string(),
    region: z.string().nullable(),
    address: z.string().nullable(),
    phone: z.string().nullable(),
    status: z.enum(['open', 'closed']),
    createdAt: isoDate,
    updatedAt: isoDate,
  })
  .openapi('Store');

export const StoreList = z.object({ items: z.array(Store) }).openapi('StoreList');

export { IdParams };
