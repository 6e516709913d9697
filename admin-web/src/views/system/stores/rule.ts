import type { FormRules } from 'element-plus';
import type { ComposerTranslation } from 'vue-i18n';
import type { StoreStatus } from '@/api/stores';

export interface StoreForm {
  code: string;
  name: string;
  region: string;
  address: string;
  phone: string;
  status: StoreStatus;
}

export const STORE_FORM_FIELDS = ['code', 'name', 'region', 'address', 'phone', 'status'] as const;

export function emptyStoreForm(): StoreForm {
  return { code: '', name: '', region: '', address: '', phone: '', status: 'open' };
}

/** Mirrors the server's StoreBody: code 1-32 of [A-Za-z0-9_-], name 1-64, optional texts by column width. */
export function storeRules(t: ComposerTranslation): FormRules<StoreForm> {
  const max = (length: number) => ({ max: length, message: t('validation.maxLength', { max: length }), trigger: 'blur' });
  return {
    code: [
      { required: true, whitespace: true, message: t('stores.rules.codeRequired'), trigger: 'blur' },
      { pattern: /^\s*[A-Za-z0-9_-]{1,32}\s*$/, message: t('stores.rules.codePattern'), trigger: 'blur' },
    ],
    name: [{ required: true, whitespace: true, message: t('stores.rules.nameRequired'), trigger: 'blur' }, max(64)],
    region: [max(64)],
    address: [max(255)],
    phone: [max(32)],
  };
}
