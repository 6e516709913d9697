import { CUSTOM_PREFIX } from './registry.js';

/**
 * Records and payloads keep custom field values in a nested `custom` object
 * (`{ name, custom: { skin_type } }`) while policies and the registry speak of flat keys
 * (`custom.skin_type`). These helpers convert between the two.
 */

export type PlainRecord = Record<string, unknown>;

export function isPlainObject(value: unknown): value is PlainRecord {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** A plain copy of a record; Sequelize instances (anything with toJSON) are unwrapped first. */
export function toPlain(record: unknown): PlainRecord {
  const value =
    record !== null && typeof record === 'object' && typeof (record as { toJSON?: unknown }).toJSON === 'function'
      ? (record as { toJSON: () => unknown }).toJSON()
      : record;
  return isPlainObject(value) ? value : {};
}

/**
 * The record's fields as flat [key, value] pairs: `custom` expands to `custom.<name>`;
 * a `custom` that is not an object stays as the single key `custom`.
 */
export function flatten(record: PlainRecord): [string, unknown][] {
  const entries: [string, unknown][] = [];
  for (const [key, value] of Object.entries(record)) {
    if (key === 'custom' && isPlainObject(value)) {
      for (const [name, inner] of Object.entries(value)) entries.push([`${CUSTOM_PREFIX}${name}`, inner]);
    } else {
      entries.push([key, value]);
    }
  }
  return entries;
}
