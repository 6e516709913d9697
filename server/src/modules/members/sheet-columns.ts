import type { Locale } from '../../platform/http/request-context.js';
import { businessTimeFormatter } from '../../platform/time/zoned-clock.js';
import type { VisibleField } from '../access/field-policy/index.js';
import type { PlainRecord } from '../access/field-policy/record-shape.js';
import type { CustomFieldDefinition } from './form/index.js';
import { regionNames } from './formats.js';

/**
 * How member fields become spreadsheet columns, for exports and the import template: the
 * header is the field's label in the reader's language, and each value is written the way
 * a person reads it (store names, region names, option labels, yuan, local time). Masked
 * values stay exactly as the field guard masked them.
 */
export type Cell = string | number | boolean | null;

export interface SheetColumn {
  key: string;
  header: string;
  width: number;
  /** Excel number format, for money in yuan. */
  numFmt?: string;
  cell(record: PlainRecord): Cell;
}

export interface SheetContext {
  locale: Locale;
  timeZone: string;
  storeNames: ReadonlyMap<number, string>;
  definitions: readonly CustomFieldDefinition[];
}

const MONEY_FIELDS = new Set(['storedValueBalance', 'totalSpent']);
const TIME_FIELDS = new Set(['registeredAt', 'lastVisitAt']);
const LABELS: Record<string, Record<string, { zh: string; en: string }>> = {
  gender: { male: { zh: '男', en: 'Male' }, female: { zh: '女', en: 'Female' }, other: { zh: '其他', en: 'Other' } },
  status: { normal: { zh: '正常', en: 'Normal' }, frozen: { zh: '冻结', en: 'Frozen' }, erased: { zh: '已删除', en: 'Erased' } },
};

export function memberSheetColumns(fields: readonly VisibleField[], context: SheetContext): SheetColumn[] {
  const time = businessTimeFormatter(context.timeZone);
  const say = (text: { zh: string; en: string }) => (context.locale === 'en' ? text.en : text.zh);
  const yuan = (fen: unknown) => (typeof fen === 'number' ? fen / 100 : null);
  const region = (code: unknown) => (typeof code === 'string' && /^\d+$/.test(code) ? regionNames(code).join('/') || code : (code as Cell));
  return fields.map((field): SheetColumn => {
    const base = { key: field.key, header: say(field.label), width: 16 };
    if (field.key.startsWith('custom.')) {
      const definition = context.definitions.find((d) => `custom.${d.key}` === field.key);
      const name = field.key.slice('custom.'.length);
      const read = (record: PlainRecord) => (record.custom as PlainRecord | undefined)?.[name];
      if (!definition) return { ...base, cell: (r) => scalar(read(r)) };
      const option = (value: unknown) => {
        const found = definition.options.find((o) => o.value === value);
        return found ? say(found.label) : String(value);
      };
      switch (definition.type) {
        case 'money':
          return { ...base, numFmt: '#,##0.00', cell: (r) => yuan(read(r)) };
        case 'select':
        case 'radio':
          return { ...base, cell: (r) => (read(r) === undefined || read(r) === null ? null : option(read(r))) };
        case 'multiselect':
        case 'checkbox':
          return { ...base, cell: (r) => (Array.isArray(read(r)) ? (read(r) as unknown[]).map(option).join('、') : scalar(read(r))) };
        case 'switch':
          return { ...base, cell: (r) => (typeof read(r) === 'boolean' ? say(read(r) ? { zh: '是', en: 'Yes' } : { zh: '否', en: 'No' }) : scalar(read(r))) };
        case 'region':
          return { ...base, width: 24, cell: (r) => region(read(r)) };
        case 'datetime':
          return { ...base, width: 20, cell: (r) => (typeof read(r) === 'string' && !String(read(r)).includes('*') ? time(new Date(read(r) as string)) : scalar(read(r))) };
        default:
          return { ...base, cell: (r) => scalar(read(r)) };
      }
    }
    if (MONEY_FIELDS.has(field.key)) return { ...base, numFmt: '#,##0.00', cell: (r) => yuan(r[field.key]) };
    if (TIME_FIELDS.has(field.key)) return { ...base, width: 20, cell: (r) => (typeof r[field.key] === 'string' ? time(new Date(r[field.key] as string)) : null) };
    if (field.key === 'homeStoreId') return { ...base, cell: (r) => context.storeNames.get(r.homeStoreId as number) ?? scalar(r.homeStoreId) };
    if (field.key === 'region') return { ...base, width: 24, cell: (r) => region(r.region) };
    const labels = LABELS[field.key];
    if (labels) return { ...base, width: 10, cell: (r) => (labels[r[field.key] as string] ? say(labels[r[field.key] as string]) : scalar(r[field.key])) };
    return { ...base, width: field.key === 'notes' ? 30 : base.width, cell: (r) => scalar(r[field.key]) };
  });
}

function scalar(value: unknown): Cell {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}
