import type { ImportColumn, ImportMatch, ImportPreview } from '@/api/member-files';
import { CSV_TYPE, XLSX_TYPE } from '@/api/member-files';

/** One column of the uploaded sheet, as the mapping table shows it. */
export interface SheetColumn {
  /** the header text, the mapping's key ('' for a column without one) */
  header: string;
  /** 1-based, for a column without a header */
  position: number;
  /** up to three non-empty values from the first rows */
  samples: string[];
}

/** The sheet's columns; a header repeated later maps with its first occurrence (the server keys by header). */
export function sheetColumns(preview: ImportPreview): SheetColumn[] {
  const seen = new Set<string>();
  const columns: SheetColumn[] = [];
  preview.headers.forEach((header, index) => {
    if (seen.has(header)) return;
    seen.add(header);
    const samples = preview.sample.map((row) => (row[index] ?? '').trim()).filter((value) => value !== '');
    columns.push({ header, position: index + 1, samples: samples.slice(0, 3) });
  });
  return columns;
}

/** The Content-Type the server reads a file as, by its extension (browsers disagree on a CSV's type); null when not importable. */
export function sheetContentType(fileName: string): string | null {
  const name = fileName.toLowerCase();
  if (name.endsWith('.xlsx')) return XLSX_TYPE;
  if (name.endsWith('.csv')) return CSV_TYPE;
  return null;
}

export interface MappingCheck {
  /** blocks the import: no phone column, or matching by card number without a card column */
  phoneMissing: boolean;
  cardMissing: boolean;
  /** required fields without a column: a warning, a default value may fill them */
  requiredMissing: ImportColumn[];
}

/** Mirrors the server: a column must be the phone; matching by card number needs the card number. */
export function checkMapping(columns: readonly ImportColumn[], mapping: Record<string, string>, match: ImportMatch): MappingCheck {
  const mapped = new Set(Object.values(mapping).filter(Boolean));
  return {
    phoneMissing: !mapped.has('phone'),
    cardMissing: match === 'cardNo' && !mapped.has('cardNo'),
    requiredMissing: columns.filter((column) => column.required && column.key !== 'phone' && !mapped.has(column.key)),
  };
}

/** The mapping as the server takes it: '' (不导入) becomes null. */
export function mappingBody(mapping: Record<string, string>): Record<string, string | null> {
  return Object.fromEntries(Object.entries(mapping).map(([header, key]) => [header, key || null]));
}
