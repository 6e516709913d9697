import type { FormRules } from 'element-plus';
import type { ComposerTranslation } from 'vue-i18n';

export interface ApiKeyForm {
  name: string;
  scopes: string[];
  /** '' for every store the key's creator may reach */
  storeId: number | '';
  /** 'YYYY-MM-DD' in the business timezone, '' for never */
  expiresOn: string;
  rateLimitPerMinute: number;
}

export const API_KEY_FORM_FIELDS = ['name', 'scopes', 'storeId', 'expiresAt', 'rateLimitPerMinute'] as const;

export const DEFAULT_RATE_LIMIT = 600;
export const MAX_RATE_LIMIT = 100_000;

export function emptyApiKeyForm(): ApiKeyForm {
  return { name: '', scopes: [], storeId: '', expiresOn: '', rateLimitPerMinute: DEFAULT_RATE_LIMIT };
}

/** Mirrors the server's ApiKeyBody: name 1-64, at least one scope, 1-100000 requests a minute. */
export function apiKeyRules(t: ComposerTranslation): FormRules<ApiKeyForm> {
  return {
    name: [
      { required: true, whitespace: true, message: t('apiKeys.rules.nameRequired'), trigger: 'blur' },
      { max: 64, message: t('validation.maxLength', { max: 64 }), trigger: 'blur' },
    ],
    scopes: [{ type: 'array', required: true, min: 1, message: t('apiKeys.rules.scopesRequired'), trigger: 'change' }],
    rateLimitPerMinute: [
      { type: 'integer', required: true, min: 1, max: MAX_RATE_LIMIT, message: t('apiKeys.rules.rateLimit', { max: MAX_RATE_LIMIT }), trigger: 'change' },
    ],
  };
}
