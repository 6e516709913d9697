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
  /** The coupons each top-up on the plan gives: a template and how many. */
  couponTemplateId: number | null;
  couponCount: number | null;
}

export const PLAN_FORM_FIELDS = ['name', 'amount', 'bonus', 'points', 'sortOrder', 'couponTemplateId', 'couponCount'] as const;

/** Mirrors the server's PlanBody: name 1-64, amount 1 fen to 10 million yuan, bonus and points from 0. */
export const PLAN_LIMITS = { nameMax: 64, yuanMax: 10_000_000, pointsMax: 10_000_000, sortMax: 9999, couponsMax: 20 } as const;

export function planForm(plan: TopupPlan | null): PlanForm {
  if (!plan) return { name: '', amount: null, bonus: 0, points: 0, sortOrder: 0, couponTemplateId: null, couponCount: 1 };
  return {
    name: plan.name,
    amount: fenToYuan(plan.amount),
    bonus: fenToYuan(plan.bonus),
    points: plan.points,
    sortOrder: plan.sortOrder,
    couponTemplateId: plan.couponTemplateId,
    couponCount: plan.couponTemplateId === null ? 1 : plan.couponCount,
  };
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
    couponCount: [{ type: 'number', min: 1, max: PLAN_LIMITS.couponsMax, message: t('plans.rules.couponCount', { max: PLAN_LIMITS.couponsMax }), trigger: 'change' }],
  };
}
