import type { FormRules } from 'element-plus';
import type { ComposerTranslation } from 'vue-i18n';

/** The order list's filters as the URL keeps them (dates are business-timezone days). */
export interface OrderFilters {
  keyword: string;
  storeId: string;
  status: string;
  from: string;
  to: string;
  [key: string]: string;
}

export function emptyOrderFilters(): OrderFilters {
  return { keyword: '', storeId: '', status: '', from: '', to: '' };
}

export function orderFilterRules(t: ComposerTranslation): FormRules<OrderFilters> {
  return {
    keyword: [{ max: 64, message: t('validation.maxLength', { max: 64 }), trigger: 'blur' }],
  };
}
