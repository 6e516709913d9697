import type { ComposerTranslation } from 'vue-i18n';
import type { MemberTier, Texts } from '@/api/tiers';
import { formatDate } from '@/utils/format';

/**
 * The sentences that explain a member's tier are the server's ("2027-03-31 前再消费 ¥1,240.00
 * 可保留金卡，否则将降为银卡"): it knows the grace, the manual end date and where a member
 * would move down to, and the cashier and the API read the same words. The console picks
 * the language it shows and draws the numbers around them.
 */

export type TierLanguage = 'zh' | 'en';

export const languageOf = (locale: string): TierLanguage => (locale === 'en' ? 'en' : 'zh');

const pick = (texts: Texts | null, language: TierLanguage) => (texts ? texts[language] : '');

/** Keeping the current tier (or why nothing has to be kept). */
export const keepSentence = (tier: MemberTier, language: TierLanguage) => pick(tier.texts.keep, language);

/** Reaching the next level, or being at the top. */
export const nextSentence = (tier: MemberTier, language: TierLanguage) => pick(tier.texts.next, language);

/** Where the member stands; for a tier set by hand it carries the reason and the end date. */
export const statusSentence = (tier: MemberTier, language: TierLanguage) => pick(tier.texts.status, language);

/**
 * The one short line under the tier in the header: set by hand (until when), else what is
 * most urgent, keeping before climbing. The tab has the whole explanation.
 */
export function headlineSentence(t: ComposerTranslation, tier: MemberTier, language: TierLanguage): string {
  if (tier.manual) {
    // The manual tier holds to the end of its last day: the instant is the next day's start.
    const until = tier.manualUntil ? formatDate(Date.parse(tier.manualUntil) - 1) : null;
    return until ? t('tiers.member.manualUntil', { until }) : t('tiers.member.manualForever');
  }
  if (tier.retention && tier.retention.missing > 0) return keepSentence(tier, language);
  return nextSentence(tier, language) || keepSentence(tier, language);
}

/** How far along the member is, 0–100: towards the next level, or at the top towards keeping it. */
export function progressPercent(tier: MemberTier): number {
  const target = tier.next ? { metric: tier.metric, threshold: tier.next.threshold } : tier.retention;
  if (!target || target.threshold <= 0) return 100;
  return Math.max(0, Math.min(100, Math.floor((target.metric / target.threshold) * 100)));
}
