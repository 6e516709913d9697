import type { ComposerTranslation } from 'vue-i18n';
import type { CustomFieldDefinition } from '@/api/member-fields';
import { formatCount, formatDateTime, formatMoney } from '@/utils/format';
import { localLabel } from '@/utils/label';
import { regionText } from '@/utils/region';

/**
 * Member values as text for people: the 360 page's 资料 tab, read-only items of the edit
 * form and the activity diffs. Masked values arrive masked and stay as they are. Ids show
 * as names where the page knows them.
 */
export interface DisplayContext {
  t: ComposerTranslation;
  storeName?: (id: number) => string;
  staffName?: (id: number) => string;
}

const TIMES = new Set(['registeredAt', 'lastVisitAt', 'createdAt', 'updatedAt']);
const MONEY = new Set(['storedValueBalance', 'totalSpent']);

export function builtinText(key: string, value: unknown, ctx: DisplayContext): string {
  if (value === null || value === undefined || value === '') return '';
  const { t } = ctx;
  if (key === 'gender' && typeof value === 'string') return t(`members.genders.${value}`);
  if (key === 'status' && typeof value === 'string') return t(`members.statuses.${value}`);
  if (key === 'region' && typeof value === 'string') return regionText(value);
  if (TIMES.has(key)) return formatDateTime(String(value));
  if (MONEY.has(key) && typeof value === 'number') return formatMoney(value);
  if (key === 'pointsBalance' && typeof value === 'number') return formatCount(value);
  if (key === 'homeStoreId' && typeof value === 'number') return ctx.storeName?.(value) ?? `#${value}`;
  if (key === 'managerId' && typeof value === 'number') return ctx.staffName?.(value) ?? `#${value}`;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function customText(field: Pick<CustomFieldDefinition, 'type' | 'options' | 'rules'>, value: unknown, ctx: DisplayContext): string {
  if (value === null || value === undefined || value === '') return '';
  const { t } = ctx;
  const optionLabel = (code: unknown) => {
    const option = field.options?.find((candidate) => candidate.value === code);
    return option ? localLabel(option.label, option.value) : String(code);
  };
  switch (field.type) {
    case 'money':
      return typeof value === 'number' ? formatMoney(value) : String(value);
    case 'datetime':
      return formatDateTime(String(value)) || String(value);
    case 'switch':
      return value === true ? t('common.yes') : value === false ? t('common.no') : String(value);
    case 'select':
    case 'radio':
      return optionLabel(value);
    case 'multiselect':
    case 'checkbox':
      return Array.isArray(value) ? value.map(optionLabel).join('、') : optionLabel(value);
    case 'region':
      return regionText(String(value));
    case 'rating':
      return t('members.detail.rating', { n: value, max: field.rules?.maxRating ?? 5 });
    case 'staff_ref':
      return typeof value === 'number' ? (ctx.staffName?.(value) ?? `#${value}`) : String(value);
    case 'member_ref':
      return `#${String(value)}`;
    default:
      return Array.isArray(value) ? value.join('、') : String(value);
  }
}
