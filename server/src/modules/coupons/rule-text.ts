import type { TemplateKind } from './models.js';

/** The fields of a template its one-line rule reads. */
export interface RuleFields {
  kind: TemplateKind;
  amountOff: number | null;
  threshold: number | null;
  discountRate: number | null;
  maxOff: number | null;
  itemName: string | null;
  punchUses: number | null;
}

export interface RuleText {
  zh: string;
  en: string;
}

/** Yuan without the noise of a price tag: 20000 -> "200", 19950 -> "199.5", 5 -> "0.05". */
export function shortYuan(fen: number): string {
  const whole = Math.floor(fen / 100);
  const cents = fen % 100;
  if (cents === 0) return String(whole);
  return `${whole}.${String(cents).padStart(2, '0').replace(/0$/, '')}`;
}

/** 85 (pay 85%) -> "8.5折", 80 -> "8折", 5 -> "0.5折". */
export function zheText(rate: number): string {
  return `${rate % 10 === 0 ? rate / 10 : (rate / 10).toFixed(1)}折`;
}

/**
 * The rule of a template as one line a cashier reads aloud and a member sees on the
 * coupon: 满200减30 / ¥30 off orders over ¥200. Validity, stores and stacking are shown
 * beside it, not in it.
 */
export function ruleText(template: RuleFields): RuleText {
  const y = (fen: number | null) => shortYuan(fen ?? 0);
  switch (template.kind) {
    case 'full_reduction':
      return { zh: `满${y(template.threshold)}减${y(template.amountOff)}`, en: `¥${y(template.amountOff)} off orders over ¥${y(template.threshold)}` };
    case 'voucher':
      return { zh: `无门槛减${y(template.amountOff)}元`, en: `¥${y(template.amountOff)} off` };
    case 'discount': {
      const rate = template.discountRate ?? 100;
      const over = template.threshold ? { zh: `满${y(template.threshold)}享`, en: ` on orders over ¥${y(template.threshold)}` } : { zh: '', en: '' };
      const cap = template.maxOff ? { zh: `，最多减¥${y(template.maxOff)}`, en: `, up to ¥${y(template.maxOff)}` } : { zh: '', en: '' };
      return { zh: `${over.zh}${zheText(rate)}${cap.zh}`, en: `${100 - rate}% off${over.en}${cap.en}` };
    }
    case 'exchange':
      return { zh: `兑换：${template.itemName ?? ''}`, en: `Free: ${template.itemName ?? ''}` };
    case 'punch':
      return { zh: `次卡：${template.itemName ?? ''} ${template.punchUses ?? 0} 次`, en: `Punch card: ${template.punchUses ?? 0} × ${template.itemName ?? ''}` };
  }
}

export const KIND_LABELS: Record<TemplateKind, RuleText> = {
  full_reduction: { zh: '满减券', en: 'spend-and-save' },
  voucher: { zh: '代金券', en: 'voucher' },
  discount: { zh: '折扣券', en: 'discount' },
  exchange: { zh: '兑换券', en: 'free item' },
  punch: { zh: '次卡', en: 'punch card' },
};
