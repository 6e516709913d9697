import { http } from './http';
import type { LocalizedLabel, Sensitivity } from './roles';

/** The kinds of custom member field the server knows (its CUSTOM_FIELD_TYPES). */
export const CUSTOM_FIELD_TYPES = [
  'text',
  'textarea',
  'integer',
  'decimal',
  'money',
  'date',
  'datetime',
  'select',
  'multiselect',
  'radio',
  'checkbox',
  'switch',
  'phone',
  'email',
  'url',
  'region',
  'rating',
  'member_ref',
  'staff_ref',
] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

export const RULE_NAMES = ['min', 'max', 'minLength', 'maxLength', 'pattern', 'scale', 'maxRating'] as const;
export type RuleName = (typeof RULE_NAMES)[number];

/** How far the caller reaches a field; a hidden field is not listed at all. */
export type MemberFieldLevel = 'masked' | 'read' | 'edit';

export interface FieldRules {
  /** a number; 'YYYY-MM-DD' for a date field; fen for money; a count for multiselect and checkbox */
  min?: number | string;
  max?: number | string;
  minLength?: number;
  maxLength?: number;
  /** the whole trimmed value must match, compiled with the 'u' flag */
  pattern?: string;
  scale?: number;
  maxRating?: number;
}

export interface FieldOption {
  /** stored on members; never changes */
  value: string;
  label: LocalizedLabel;
  /** no longer offered; members who have it keep it */
  retired: boolean;
}

/** A stored value: text, a number (fen for money), a boolean, or option values. */
export type CustomValue = string | number | boolean | string[];

export interface CustomFieldDefinition {
  key: string;
  label: LocalizedLabel;
  type: CustomFieldType;
  required: boolean;
  unique: boolean;
  defaultValue: CustomValue | null;
  rules: FieldRules;
  options: FieldOption[];
  helpText: LocalizedLabel | null;
  group: string | null;
  order: number;
  onRegistration: boolean;
  searchable: boolean;
  retired: boolean;
}

/** A custom field as the member form sees it for this caller. */
export interface CustomField extends CustomFieldDefinition {
  level: MemberFieldLevel;
  /** may be typed when registering a member although the level is below edit */
  creatable: boolean;
}

export interface BuiltinField {
  key: string;
  label: LocalizedLabel;
  sensitivity: Sensitivity;
  level: MemberFieldLevel;
  /** the mask kind when the level is masked */
  mask: string | null;
  creatable: boolean;
}

export interface FieldTypeInfo {
  type: CustomFieldType;
  label: LocalizedLabel;
  options: boolean;
  multiple: boolean;
  searchable: boolean;
  unique: boolean;
  rules: RuleName[];
}

export interface MemberFields {
  builtin: BuiltinField[];
  custom: CustomField[];
  types: FieldTypeInfo[];
}

/** What an admin submits: the definition without what the server keeps. */
export type CustomFieldInput = Omit<CustomFieldDefinition, 'retired'>;

export interface FieldOrderItem {
  key: string;
  group: string | null;
  order: number;
}

/** 会员表单字段（内置与自定义字段、当前用户的字段级别、字段类型） */
export const getMemberFields = () => http.get<MemberFields>('/api/v1/member-fields');

/** 新增自定义字段 */
export const createMemberField = (data: CustomFieldInput) => http.post<CustomFieldDefinition>('/api/v1/member-fields', data);

/** 修改自定义字段（标识与类型不可改；选项只增、改名或停用，不能删除） */
export const updateMemberField = (key: string, data: CustomFieldInput) =>
  http.put<CustomFieldDefinition>(`/api/v1/member-fields/${encodeURIComponent(key)}`, data);

/** 停用自定义字段（会员已有的值保留） */
export const retireMemberField = (key: string) =>
  http.post<CustomFieldDefinition>(`/api/v1/member-fields/${encodeURIComponent(key)}/retire`);

/** 重新启用自定义字段 */
export const restoreMemberField = (key: string) =>
  http.post<CustomFieldDefinition>(`/api/v1/member-fields/${encodeURIComponent(key)}/restore`);

/** 调整自定义字段的分组与顺序 */
export const reorderMemberFields = (items: FieldOrderItem[]) => http.put<void>('/api/v1/member-fields/order', { items });
