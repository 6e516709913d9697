import type { ComposerTranslation } from 'vue-i18n';
import type { Coupon, TemplateRules } from '@/api/coupons';
import { formatDate, formatMoney } from '@/utils/format';

/** The fields the rule's words are made of. */
export type RuleFields = Pick<TemplateRules, 'kind' | 'amountOff' | 'threshold' | 'discountRate' | 'maxOff' | 'itemName' | 'punchUses'>;
export type ValidityFields = Pick<TemplateRules, 'validityType' | 'validFrom' | 'validUntil' | 'validDays' | 'delayDays'>;

/** Fen as the bare yuan of a coupon's face: 20000 -> '200', 1550 -> '15.5', 1505 -> '15.05'. */
export function yuanShort(fen: number): string {
  const yuan = Math.round(fen) / 100;
  return Number.isInteger(yuan) ? String(yuan) : String(Number(yuan.toFixed(2)));
}

/** A rate of 85 (pay 85%) as the 折 people say: '8.5'; 80 -> '8'. */
export function zheText(rate: number): string {
  return yuanShort(rate * 10);
}

const positive = (value: number | null | undefined): value is number => typeof value === 'number' && value > 0;

/**
 * How the coupon reads on its face, the way the console's live preview and lists show it
 * ("满200减30", "8.5折 最多减50"); '' while the kind's own fields are not filled in.
 */
export function ruleText(t: ComposerTranslation, rules: RuleFields): string {
  switch (rules.kind) {
    case 'full_reduction':
      if (!positive(rules.amountOff) || !positive(rules.threshold)) return '';
      return t('coupons.rule.fullReduction', { threshold: yuanShort(rules.threshold), amount: yuanShort(rules.amountOff) });
    case 'voucher':
      return positive(rules.amountOff) ? t('coupons.rule.voucher', { amount: yuanShort(rules.amountOff) }) : '';
    case 'discount': {
      if (!positive(rules.discountRate)) return '';
      const rate = { rate: zheText(rules.discountRate), off: 100 - rules.discountRate };
      const main = positive(rules.threshold)
        ? t('coupons.rule.discountThreshold', { ...rate, threshold: yuanShort(rules.threshold) })
        : t('coupons.rule.discount', rate);
      return positive(rules.maxOff) ? main + t('coupons.rule.cap', { max: yuanShort(rules.maxOff) }) : main;
    }
    case 'exchange':
      return rules.itemName?.trim() ? t('coupons.rule.exchange', { item: rules.itemName.trim() }) : '';
    case 'punch':
      return rules.itemName?.trim() && positive(rules.punchUses) ? t('coupons.rule.punch', { item: rules.itemName.trim(), n: rules.punchUses }) : '';
    default:
      return '';
  }
}

/** When a coupon of these rules may be used: the fixed dates, or the days counted from issue. */
export function validityText(t: ComposerTranslation, rules: ValidityFields): string {
  if (rules.validityType === 'fixed') {
    if (!rules.validFrom || !rules.validUntil) return t('coupons.validity.incomplete');
    // Business days as the server keeps them (YYYY-MM-DD): shown as they are, never shifted by a time zone.
    return t('coupons.validity.fixed', { from: rules.validFrom, until: rules.validUntil });
  }
  if (!positive(rules.validDays)) return t('coupons.validity.incomplete');
  return rules.delayDays > 0
    ? t('coupons.validity.relativeDelay', { delay: rules.delayDays, days: rules.validDays })
    : t('coupons.validity.relative', { days: rules.validDays });
}

/** An order amount that shows the rule at work: a little above the threshold, or a round sum. */
export function exampleOrder(rules: RuleFields): number {
  if (positive(rules.threshold)) return Math.ceil((rules.threshold * 1.25) / 100) * 100;
  if (rules.kind === 'voucher' && positive(rules.amountOff)) return Math.max(10_000, Math.ceil((rules.amountOff * 3) / 100) * 100);
  return 20_000;
}

export interface ExampleResult {
  order: number;
  off: number;
  /** below the threshold: the coupon does not apply */
  notMet: boolean;
  /** the discount's cap cut the saving */
  capped: boolean;
}

/** What the coupon takes off an order of `order` fen (the whole order eligible); null for item kinds. */
export function exampleSaving(rules: RuleFields, order: number): ExampleResult | null {
  const threshold = rules.threshold ?? 0;
  const notMet = threshold > 0 && order < threshold;
  if (rules.kind === 'full_reduction' || rules.kind === 'voucher') {
    if (!positive(rules.amountOff)) return null;
    return { order, off: notMet ? 0 : Math.min(rules.amountOff, order), notMet, capped: false };
  }
  if (rules.kind === 'discount') {
    if (!positive(rules.discountRate)) return null;
    // As the checkout rounds: what the member pays is rounded half up to the fen, the coupon takes the rest.
    const full = order - Math.floor((order * rules.discountRate + 50) / 100);
    const capped = positive(rules.maxOff) && full > rules.maxOff;
    return { order, off: notMet ? 0 : capped ? (rules.maxOff as number) : full, notMet, capped: !notMet && capped };
  }
  return null;
}

/** The worked example as one line: "订单 ¥250.00 → 减 ¥30.00，实付 ¥220.00". */
export function exampleText(t: ComposerTranslation, rules: RuleFields, order: number): string {
  if (rules.kind === 'exchange') return rules.itemName?.trim() ? t('coupons.example.exchange', { item: rules.itemName.trim() }) : '';
  if (rules.kind === 'punch') {
    return rules.itemName?.trim() && positive(rules.punchUses) ? t('coupons.example.punch', { item: rules.itemName.trim(), n: rules.punchUses }) : '';
  }
  const result = exampleSaving(rules, order);
  if (!result) return '';
  if (result.notMet) return t('coupons.example.notMet', { order: formatMoney(order), threshold: formatMoney(rules.threshold ?? 0) });
  const line = t('coupons.example.saving', { order: formatMoney(order), off: formatMoney(result.off), pay: formatMoney(order - result.off) });
  return result.capped ? line + t('coupons.example.capped', { max: formatMoney(rules.maxOff ?? 0) }) : line;
}

/** A coupon's rule as the server words it, in the console's language. */
export function couponRule(coupon: Pick<Coupon, 'rule'>, locale: string): string {
  return locale === 'en' ? coupon.rule.en : coupon.rule.zh;
}

/** A coupon's valid days, 'YYYY-MM-DD ~ YYYY-MM-DD' in the business timezone. */
export function couponValidity(coupon: Pick<Coupon, 'validFrom' | 'validUntil'>): string {
  return `${formatDate(coupon.validFrom)} ~ ${formatDate(coupon.validUntil)}`;
}
