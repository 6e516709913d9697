import { metricText } from './rules.js';
import type { TierBasis, TierSettings } from './settings.js';

export interface Texts {
  zh: string;
  en: string;
}

/** The numbers an explanation is made of; dates are business-calendar days (YYYY-MM-DD). */
export interface ExplainFacts {
  tier: string;
  basis: TierBasis;
  window: TierSettings['window'];
  metric: number;
  manual: { until: string | null; reason: string | null } | null;
  /** The next level up; null at the top. */
  next: { name: string; missing: number } | null;
  /** What keeping the tier takes; null for the base level and manual tiers. */
  keep:
    | { forLife: true }
    | { forLife: false; missing: number; by: string; reviewDate: string; inGrace: boolean; downTo: string | null }
    | null;
}

const WHAT: Record<TierBasis, Texts> = { spend: { zh: '消费', en: 'spend' }, points: { zh: '获得积分', en: 'points earned' }, growth: { zh: '成长值', en: 'growth' } };

/** "再消费 ¥1,240.00" / "Spend ¥1,240.00 more": what is missing, as a verb phrase. */
function more(basis: TierBasis, missing: number): Texts {
  const amount = metricText(basis, missing);
  // A sum is followed by a space before the next word ("再消费 ¥1,240.00 升级"); a unit word is not.
  if (basis === 'spend') return { zh: `再消费 ${amount.zh} `, en: `Spend ${amount.en} more` };
  if (basis === 'points') return { zh: `再获得 ${amount.zh}`, en: `Earn ${missing.toLocaleString('en-US')} more points` };
  return { zh: `再获得 ${amount.zh}`, en: `Gain ${missing.toLocaleString('en-US')} more growth` };
}

function windowWords(window: TierSettings['window']): Texts {
  return window.type === 'lifetime' ? { zh: '累计', en: 'all-time' } : { zh: `近 ${window.months} 个月`, en: `last ${window.months} months'` };
}

/**
 * The sentences a member 360 and the cashier read: where the member stands, what the
 * next level takes, and what keeping this one takes by when. A manual tier says so,
 * and until when, so it never reads as a level the member earned.
 */
export function explainTexts(facts: ExplainFacts): { status: Texts; next: Texts | null; keep: Texts | null } {
  const { tier, basis } = facts;
  const metric = metricText(basis, facts.metric);
  const words = windowWords(facts.window);
  // "近 12 个月消费 ¥3,760.00", "累计获得 1,240 积分"; in English the unit is the word before the number.
  const count = facts.metric.toLocaleString('en-US');
  const measured: Texts =
    basis === 'spend'
      ? { zh: `${words.zh}消费 ${metric.zh}`, en: `${words.en} spend ${metric.en}` }
      : { zh: `${words.zh}获得 ${metric.zh}`, en: `${words.en} ${WHAT[basis].en} ${count}` };
  let status: Texts;
  if (facts.manual) {
    const reason = facts.manual.reason ? { zh: `，原因：${facts.manual.reason}`, en: `, reason: ${facts.manual.reason}` } : { zh: '', en: '' };
    status = facts.manual.until
      ? {
          zh: `当前等级：${tier}（手动设置${reason.zh}，有效期至 ${facts.manual.until}，到期后按规则重新评定）；${measured.zh}`,
          en: `Current tier: ${tier} (set by hand${reason.en}, until ${facts.manual.until}; then placed by the rules again); ${measured.en}`,
        }
      : {
          zh: `当前等级：${tier}（手动设置${reason.zh}，长期有效，直到再次调整）；${measured.zh}`,
          en: `Current tier: ${tier} (set by hand${reason.en}, until changed again); ${measured.en}`,
        };
  } else {
    status = { zh: `当前等级：${tier}；${measured.zh}`, en: `Current tier: ${tier}; ${measured.en}` };
  }

  let next: Texts;
  if (!facts.next) next = { zh: '已是最高等级', en: 'Already at the highest tier' };
  else if (facts.next.missing <= 0) next = { zh: `已达到${facts.next.name}的门槛`, en: `Meets the threshold of ${facts.next.name}` };
  else {
    const phrase = more(basis, facts.next.missing);
    next = { zh: `${phrase.zh}升级为${facts.next.name}`, en: `${phrase.en} to reach ${facts.next.name}` };
  }

  let keep: Texts | null = null;
  const rule = facts.keep;
  if (rule?.forLife) keep = { zh: `${tier}长期有效`, en: `${tier} is kept for life` };
  else if (rule && rule.missing <= 0) keep = { zh: `已满足保级条件，${tier}将于 ${rule.reviewDate} 后自动续期`, en: `Already qualifies to keep ${tier}; it renews after ${rule.reviewDate}` };
  else if (rule) {
    const phrase = more(basis, rule.missing);
    const down = rule.downTo ? { zh: `，否则将降为${rule.downTo}`, en: `, or move down to ${rule.downTo}` } : { zh: '', en: '' };
    keep = rule.inGrace
      ? {
          zh: `保级考核已于 ${rule.reviewDate} 到期，宽限至 ${rule.by}：${phrase.zh}可保留${tier}${down.zh}`,
          en: `The review was due on ${rule.reviewDate}; within the grace until ${rule.by}: ${phrase.en.charAt(0).toLowerCase()}${phrase.en.slice(1)} to keep ${tier}${down.en}`,
        }
      : { zh: `${rule.by} 前${phrase.zh}可保留${tier}${down.zh}`, en: `${phrase.en} by ${rule.by} to keep ${tier}${down.en}` };
  }
  return { status, next, keep };
}

/** The texts as one line in one language. */
export function joinTexts(texts: { status: Texts; next: Texts | null; keep: Texts | null }, locale: 'zh-CN' | 'en'): string {
  const parts = [texts.status, texts.next, texts.keep].filter((t): t is Texts => t !== null);
  return locale === 'en' ? parts.map((t) => t.en).join('. ') + '.' : parts.map((t) => t.zh).join('；') + '。';
}
