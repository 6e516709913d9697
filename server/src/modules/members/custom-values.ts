import { invalidFields } from '../../platform/http/validation.js';
import type { PlainRecord } from '../access/field-policy/record-shape.js';

/** Until an admin defines custom fields, every custom key is unknown. */
export function unknownCustomFields(values: PlainRecord | undefined): PlainRecord {
  const keys = Object.keys(values ?? {});
  if (keys.length === 0) return {};
  throw invalidFields(keys.map((key) => ({ path: `custom.${key}`, code: 'unknown_field', zh: '没有这个自定义字段', en: 'No such custom field' })));
}
