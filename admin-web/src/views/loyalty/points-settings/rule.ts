import type { FormItemRule, FormRules } from 'element-plus';
import type { ComposerTranslation } from 'vue-i18n';
import { POINTS_EVENTS, type PointsSettings } from '@/api/loyalty';
import { intRule, type IntBounds } from '../shared/rules';

/** Mirrors the server's PointsSettings schema: whole numbers within these bounds. */
export const POINTS_BOUNDS = {
  earnPointsPerYuan: { min: 0, max: 1000 },
  redeemPointsPerYuan: { min: 1, max: 10000 },
  maxSharePercent: { min: 0, max: 100 },
  minPoints: { min: 1, max: 10000000 },
  days: { min: 1, max: 3650 },
  graceMonths: { min: 0, max: 12 },
  months: { min: 1, max: 120 },
  notifyDaysBefore: { min: 0, max: 90 },
  eventPoints: { min: 1, max: 1000000 },
  dailyCap: { min: 1, max: 100 },
} satisfies Record<string, IntBounds>;

/** What the form shows before the server answered (and the server's own defaults). */
export function defaultPointsSettings(): PointsSettings {
  return {
    earn: { enabled: true, pointsPerYuan: 1, methods: ['cash', 'wechat', 'alipay', 'card', 'wallet_principal'], rounding: 'floor' },
    redeem: { enabled: true, pointsPerYuan: 100, maxSharePercent: 50, minPoints: 100 },
    expiry: { policy: 'year_end', days: 365, graceMonths: 0, months: 12, notifyDaysBefore: 7 },
    events: {
      sign_in: { enabled: true, points: 5, dailyCap: 1 },
      profile_completed: { enabled: true, points: 50, dailyCap: 1 },
      referral: { enabled: true, points: 100, dailyCap: 10 },
    },
  };
}

export function pointsRules(t: ComposerTranslation): FormRules {
  const b = POINTS_BOUNDS;
  const rules: Record<string, FormItemRule[]> = {
    'earn.pointsPerYuan': intRule(t, b.earnPointsPerYuan),
    'redeem.pointsPerYuan': intRule(t, b.redeemPointsPerYuan),
    'redeem.maxSharePercent': intRule(t, b.maxSharePercent),
    'redeem.minPoints': intRule(t, b.minPoints),
    'expiry.days': intRule(t, b.days),
    'expiry.graceMonths': intRule(t, b.graceMonths),
    'expiry.months': intRule(t, b.months),
    'expiry.notifyDaysBefore': intRule(t, b.notifyDaysBefore),
  };
  for (const event of POINTS_EVENTS) {
    rules[`events.${event}.points`] = intRule(t, b.eventPoints);
    rules[`events.${event}.dailyCap`] = intRule(t, b.dailyCap);
  }
  return rules;
}
