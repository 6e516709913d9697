import type { FormRules } from 'element-plus';
import type { ComposerTranslation } from 'vue-i18n';
import { DEFAULT_CONSENT_TEXT, type Channel, type ChannelField, type ChannelStatus } from '@/api/registration-channels';

export interface ChannelForm {
  code: string;
  name: string;
  storeId: number | null;
  status: ChannelStatus;
  fields: ChannelField[];
  privacyNotice: string;
  consentText: string;
}

export const CHANNEL_FORM_FIELDS = ['code', 'name', 'storeId', 'status', 'fields', 'privacyNotice', 'consentText'] as const;

export function emptyChannelForm(storeId: number | null = null): ChannelForm {
  return { code: '', name: '', storeId, status: 'active', fields: ['name'], privacyNotice: '', consentText: DEFAULT_CONSENT_TEXT };
}

export function channelFormOf(channel: Channel): ChannelForm {
  const { code, name, storeId, status, fields, privacyNotice, consentText } = channel;
  return { code, name, storeId, status, fields: [...fields], privacyNotice, consentText };
}

/** Mirrors the server's ChannelBody: code 1-32 of [A-Za-z0-9_-], name 1-64, privacy notice up to 20,000, consent text up to 500. */
export function channelRules(t: ComposerTranslation): FormRules<ChannelForm> {
  const max = (length: number) => ({ max: length, message: t('validation.maxLength', { max: length }), trigger: 'blur' });
  const required = (message: string) => ({ required: true, whitespace: true, message, trigger: 'blur' });
  return {
    code: [required(t('memberChannels.rules.codeRequired')), { pattern: /^\s*[A-Za-z0-9_-]{1,32}\s*$/, message: t('memberChannels.rules.codePattern'), trigger: 'blur' }],
    name: [required(t('memberChannels.rules.nameRequired')), max(64)],
    storeId: [{ required: true, type: 'number', message: t('memberChannels.rules.storeRequired'), trigger: 'change' }],
    privacyNotice: [required(t('memberChannels.rules.privacyRequired')), max(20_000)],
    consentText: [required(t('memberChannels.rules.consentRequired')), max(500)],
  };
}
