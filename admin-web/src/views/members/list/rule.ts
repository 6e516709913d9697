import type { FormRules } from 'element-plus';
import type { ComposerTranslation } from 'vue-i18n';

/**
 * The member list's filters as the URL keeps them. Spend is typed in yuan (the URL too, so
 * a shared link reads like the screen) and sent in fen. `after` is the keyset cursors of the
 * pages before this one, comma-separated: 上一页 drops the last. Searchable custom fields
 * add `custom.<key>` filters of their own.
 */
export interface MemberFilters {
  keyword: string;
  storeId: string;
  status: string;
  channel: string;
  registeredFrom: string;
  registeredTo: string;
  birthdayMonth: string;
  spendMin: string;
  spendMax: string;
  sort: string;
  order: string;
  after: string;
  [key: string]: string;
}

export function emptyMemberFilters(): MemberFilters {
  return {
    keyword: '',
    storeId: '',
    status: '',
    channel: '',
    registeredFrom: '',
    registeredTo: '',
    birthdayMonth: '',
    spendMin: '',
    spendMax: '',
    sort: '',
    order: '',
    after: '',
  };
}

/** Filters past the first three, folded away until opened (or in use). */
export const ADVANCED_FILTERS = ['channel', 'registeredFrom', 'registeredTo', 'birthdayMonth', 'spendMin', 'spendMax'] as const;

/** Keys that page or sort rather than filter. */
export const VIEW_KEYS = new Set(['sort', 'order', 'after']);

const YUAN = /^\s*\d{1,10}(\.\d{1,2})?\s*$/;

export function memberFilterRules(t: ComposerTranslation, filters: MemberFilters): FormRules<MemberFilters> {
  const amount = { pattern: YUAN, message: t('members.list.rules.amount'), trigger: 'blur' };
  return {
    keyword: [{ max: 64, message: t('validation.maxLength', { max: 64 }), trigger: 'blur' }],
    channel: [{ pattern: /^\s*[A-Za-z0-9_-]{0,32}\s*$/, message: t('members.rules.channel'), trigger: 'blur' }],
    spendMin: [amount],
    spendMax: [
      amount,
      {
        trigger: 'blur',
        validator: (_rule, value: string, callback) => {
          const low = Number(filters.spendMin);
          const ok = !value || !filters.spendMin || !YUAN.test(filters.spendMin) || Number(value) >= low;
          if (ok) callback();
          else callback(new Error(t('members.list.rules.spendRange')));
        },
      },
    ],
  };
}
