import { regionTree } from '../region-data.js';
import { businessDateTime } from '../../../platform/time/business-day.js';
import type { CustomFieldDefinition } from '../form/index.js';
import { isRegionCode } from '../form/index.js';

/**
 * What people type into a member sheet, turned into what the API takes: 男 for male,
 * 2026/3/5 for 2026-03-05, 广东/深圳/南山区 for a region code, an option's label for its
 * value, yuan for fen. A cell that cannot be read is passed on as it is, so the same
 * validation as the API names what is wrong with it.
 */
export type Convert = (text: string) => unknown;

const GENDERS: Record<string, string> = { 男: 'male', 女: 'female', 其他: 'other', m: 'male', f: 'female', male: 'male', female: 'female', other: 'other' };
const YES = new Set(['是', 'y', 'yes', 'true', '1', '开', '√']);
const NO = new Set(['否', 'n', 'no', 'false', '0', '关', '×']);

export const asText: Convert = (text) => text;

export const asGender: Convert = (text) => GENDERS[text.toLowerCase()] ?? text;

/** 2026-3-5, 2026/03/05, 2026.3.5, 20260305 -> 2026-03-05. */
export const asDay: Convert = (text) => {
  const match = /^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?$/.exec(text.trim());
  return match ? `${match[1]}-${match[2].padStart(2, '0')}-${match[3].padStart(2, '0')}` : text;
};

export function asDateTime(timeZone: string): Convert {
  return (text) => {
    const match = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(text.trim());
    if (!match) return text;
    const [, y, mo, d, h = '0', mi = '0', s = '0'] = match;
    return businessDateTime(`${y}-${mo.padStart(2, '0')}-${d.padStart(2, '0')} ${h.padStart(2, '0')}:${mi}:${s.padStart(2, '0')}`, timeZone).toISOString();
  };
}

interface RegionNode {
  value: string;
  label: string;
  children?: RegionNode[];
}

/** A region by its code, or by its names from the province down (广东/深圳/南山区, 广东省 深圳市 南山区). */
export const asRegion: Convert = (text) => {
  const trimmed = text.trim();
  if (isRegionCode(trimmed)) return trimmed;
  const names = trimmed.split(/[/\s,，、-]+/).filter(Boolean);
  let level: RegionNode[] | undefined = regionTree() as RegionNode[];
  let found: RegionNode | undefined;
  for (const name of names) {
    found = level?.find((node) => node.label === name || node.label.startsWith(name));
    if (!found) return text;
    level = found.children;
  }
  return found?.value ?? text;
};

/** Yuan with at most two decimals -> fen; anything else is left for validation to refuse. */
export const asFen: Convert = (text) => {
  const cleaned = text.replace(/[¥,，\s]/g, '');
  return /^-?\d+(\.\d{1,2})?$/.test(cleaned) ? Math.round(Number(cleaned) * 100) : text;
};

export function asBoolean(text: string): unknown {
  const value = text.trim().toLowerCase();
  return YES.has(value) ? true : NO.has(value) ? false : text;
}

/** An option by its value or its label in either language; several separated by 、 , ; for multiple choice. */
export function asOptions(definition: CustomFieldDefinition, multiple: boolean): Convert {
  const one = (text: string) =>
    definition.options.find((o) => o.value === text || o.label.zh === text || o.label.en.toLowerCase() === text.toLowerCase())?.value ?? text;
  return multiple ? (text) => text.split(/[、,，;；]+/).map((t) => t.trim()).filter(Boolean).map(one) : one;
}

export function customConvert(definition: CustomFieldDefinition, timeZone: string): Convert {
  switch (definition.type) {
    case 'select':
    case 'radio':
      return asOptions(definition, false);
    case 'multiselect':
    case 'checkbox':
      return asOptions(definition, true);
    case 'switch':
      return asBoolean;
    case 'money':
      return asFen;
    case 'date':
      return asDay;
    case 'datetime':
      return asDateTime(timeZone);
    case 'region':
      return asRegion;
    case 'member_ref':
    case 'staff_ref':
      return (text) => (/^\d+$/.test(text) ? Number(text) : text);
    default:
      return asText;
  }
}
