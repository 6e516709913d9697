import type { CustomFieldType } from './field-types.js';

/**
 * The shape of a custom field definition once the definition schema has accepted it:
 * every optional part filled in, so the value checks never guess. The service stores
 * this, plus `retired` when an admin retires the field.
 */
export interface LocalizedText {
  zh: string;
  en: string;
}

export interface FieldOption {
  /** Stored in member data; never changes and never leaves the list. */
  value: string;
  label: LocalizedText;
  /** Offered to nobody; still valid on members who already have it. */
  retired: boolean;
}

export interface FieldRules {
  /** Numeric bound, a 'YYYY-MM-DD' bound for date, a count bound for multiselect and checkbox. */
  min?: number | string;
  max?: number | string;
  /** In characters (code points), after trimming. */
  minLength?: number;
  maxLength?: number;
  /** A regular expression the whole trimmed value must match; see field-pattern.ts. */
  pattern?: string;
  /** Decimal places allowed (decimal). */
  scale?: number;
  /** The highest rating (rating); the lowest is always 1. */
  maxRating?: number;
}

/** A normalized value as stored: see value-schema.ts for which type yields which. */
export type CustomValue = string | number | boolean | string[];

export interface CustomFieldDefinition {
  key: string;
  label: LocalizedText;
  type: CustomFieldType;
  required: boolean;
  unique: boolean;
  defaultValue: CustomValue | null;
  rules: FieldRules;
  /** Empty unless the type has options. */
  options: FieldOption[];
  helpText: LocalizedText | null;
  group: string | null;
  order: number;
  onRegistration: boolean;
  searchable: boolean;
  /** Set by the service when the field is retired; an admin never submits it. */
  retired?: boolean;
}
