import type { FormRules } from 'element-plus';
import type { ComposerTranslation } from 'vue-i18n';
import type { TopupPlan } from '@/api/loyalty';
import { fenToYuan } from '@/utils/format';

/** The plan form: money in yuan with two decimals, sent as fen. */
export interface PlanForm {
  name: string;
  amount: number | null;
  bonus: number | null;
  points: number | null;
  sortOrder: number | null;
}

export const PLAN_FORM_FIELDS = ['name', 'amount', 'bonus', 'points', 'sortOrder'] as const;

/** Mirrors the server's PlanBody: name 1-64, amount 1 fen to 10 million yuan, bonus and points from 0. */
export const PLAN_LIMITS = { nameMax: 64, yuanMax: 10_000_000, pointsMax: 10_000_000, sortMax: 9999 } as const;

export function planForm(plan: TopupPlan | null): PlanForm {
  if (!plan) return { name: '', amount: null, bonus: 0, points: 0, sortOrder: 0 };
  return { name: plan.name, amount: fenToYuan(plan.amount), bonus: fenToYuan(plan.bonus), points: plan.points, sortOrder: plan.sortOrder };
}

export function planRules(t: ComposerTranslation): FormRules<PlanForm> {
  const notNegative = { type: 'number' as const, min: 0, message: t('plans.rules.notNegative'), trigger: 'change' };
  return {
    name: [
      { required: true, whitespace: true, message: t('plans.rules.nameRequired'), trigger: 'blur' },
      { max: PLAN_LIMITS.nameMax, message: t('validation.maxLength', { max: PLAN_LIMITS.nameMax }), trigger: 'blur' },
    ],
    amount: [
      { required: true, type: 'number', message: t('plans.rules.amountRequired'), trigger: 'change' },
      { type: 'number', min: 0.01, message: t('plans.rules.amountMin'), trigger: 'change' },
    ],
    bonus: [notNegative],
    points: [notNegative],
    sortOrder: [notNegative],
  };
}
