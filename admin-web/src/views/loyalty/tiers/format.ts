import type { ComposerTranslation } from 'vue-i18n';
import type { TierBasis } from '@/api/tiers';
import { formatCount, formatMoney } from '@/utils/format';

/**
 * How tier numbers read, on the tiers page and on the member's page alike: a threshold in
 * the basis's unit (¥5,000.00, 5,000 积分, 5,000 成长值), a discount the way shops say it
 * (9.5折), a points multiplier (1.5倍).
 */

/** A metric or threshold in its basis's unit: fen for spend, points or growth value otherwise. */
export function metricText(t: ComposerTranslation, basis: TierBasis, value: number): string {
  if (basis === 'spend') return formatMoney(value);
  return t(`tiers.units.${basis}`, { n: formatCount(value) });
}

/** 95 -> '9.5折' ('5% off'); 100 -> '无折扣'. */
export function discountText(t: ComposerTranslation, rate: number): string {
  if (rate >= 100) return t('tiers.discount.none');
  return t('tiers.discount.rate', { zhe: trimmed(rate / 10, 1), off: 100 - rate });
}

/** 150 -> '1.5倍' ('×1.5'); 100 -> '无加倍'. */
export function multiplierText(t: ComposerTranslation, pct: number): string {
  if (pct === 100) return t('tiers.multiplier.none');
  return t('tiers.multiplier.rate', { n: trimmed(pct / 100, 2) });
}

/** 9.50 -> '9.5', 10 -> '10'. */
function trimmed(value: number, digits: number): string {
  return value.toFixed(digits).replace(/\.?0+$/, '');
}
