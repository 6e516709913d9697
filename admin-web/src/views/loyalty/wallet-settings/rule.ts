import type { FormItemRule, FormRules } from 'element-plus';
import type { ComposerTranslation } from 'vue-i18n';
import type { SpendOrder, WalletSettings } from '@/api/loyalty';
import { fenToYuan, formatMoney, yuanToFen } from '@/utils/format';
import { intRule, type IntBounds } from '../shared/rules';

/** The form: as the server has it, but money in yuan (two decimals). */
export interface WalletSettingsForm {
  spendOrder: SpendOrder;
  customBonusMaxPercent: number;
  pin: { maxAttempts: number; lockMinutes: number };
  minTopup: number;
  maxTopup: number;
}

/** Mirrors the server's WalletSettings schema. Top-up limits in fen. */
export const WALLET_BOUNDS = {
  customBonusMaxPercent: { min: 0, max: 100 },
  maxAttempts: { min: 1, max: 20 },
  lockMinutes: { min: 1, max: 1440 },
  topup: { min: 1, max: 1_000_000_000 },
} satisfies Record<string, IntBounds>;

export function defaultWalletForm(): WalletSettingsForm {
  return { spendOrder: 'proportional', customBonusMaxPercent: 0, pin: { maxAttempts: 5, lockMinutes: 15 }, minTopup: 1, maxTopup: 100000 };
}

export function toWalletForm(settings: WalletSettings): WalletSettingsForm {
  return {
    spendOrder: settings.spendOrder,
    customBonusMaxPercent: settings.customBonusMaxPercent,
    pin: { ...settings.pin },
    minTopup: fenToYuan(settings.minTopup),
    maxTopup: fenToYuan(settings.maxTopup),
  };
}

export function fromWalletForm(form: WalletSettingsForm): WalletSettings {
  return { ...form, pin: { ...form.pin }, minTopup: yuanToFen(form.minTopup), maxTopup: yuanToFen(form.maxTopup) };
}

export function walletRules(t: ComposerTranslation, form: WalletSettingsForm): FormRules {
  const b = WALLET_BOUNDS;
  const range = { min: formatMoney(b.topup.min), max: formatMoney(b.topup.max) };
  const money: FormItemRule[] = [
    { required: true, type: 'number', message: t('loyalty.pointsSettings.rules.required'), trigger: 'change' },
    {
      validator: (_rule, value: unknown, callback) => {
        if (typeof value !== 'number') return callback();
        const fen = yuanToFen(value);
        if (fen < b.topup.min || fen > b.topup.max) return callback(new Error(t('loyalty.pointsSettings.rules.range', range)));
        callback();
      },
      trigger: 'change',
    },
  ];
  return {
    customBonusMaxPercent: intRule(t, b.customBonusMaxPercent),
    'pin.maxAttempts': intRule(t, b.maxAttempts),
    'pin.lockMinutes': intRule(t, b.lockMinutes),
    minTopup: money,
    maxTopup: [
      ...money,
      {
        validator: (_rule, value: unknown, callback) => {
          if (typeof value === 'number' && typeof form.minTopup === 'number' && yuanToFen(value) < yuanToFen(form.minTopup)) {
            return callback(new Error(t('loyalty.walletSettings.limits.maxBelowMin')));
          }
          callback();
        },
        trigger: 'change',
      },
    ],
  };
}
