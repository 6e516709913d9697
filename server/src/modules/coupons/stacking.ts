import { AppError } from '../../platform/errors/app-error.js';
import type { CouponInHand } from './rules.js';

/**
 * Which coupons may be used together on one order. Coupons of one template are limited
 * only by its `max_per_order`; coupons of different templates combine when both belong
 * to the same stack group. A template without a group is exclusive: it combines with no
 * coupon of another template (several of its own, up to its maximum, are fine).
 */
export function stackingRefusal(coupons: readonly CouponInHand[]): AppError | null {
  const perTemplate = new Map<number, number>();
  for (const coupon of coupons) {
    const count = (perTemplate.get(coupon.template.id) ?? 0) + 1;
    perTemplate.set(coupon.template.id, count);
    if (count > coupon.template.maxPerOrder) {
      return new AppError('COUPON_TOO_MANY', { params: { template: coupon.template.name, max: coupon.template.maxPerOrder } });
    }
  }
  for (let i = 0; i < coupons.length; i++) {
    for (let j = i + 1; j < coupons.length; j++) {
      const [a, b] = [coupons[i], coupons[j]];
      if (a.template.id === b.template.id) continue;
      if (a.template.stackGroup === null) return notStackable(a, b, exclusive(a));
      if (b.template.stackGroup === null) return notStackable(b, a, exclusive(b));
      if (a.template.stackGroup !== b.template.stackGroup) {
        return notStackable(a, b, {
          zh: `叠加组不同（${a.template.stackGroup} / ${b.template.stackGroup}）`,
          en: `they are in different stacking groups (${a.template.stackGroup} / ${b.template.stackGroup})`,
        });
      }
    }
  }
  return null;
}

/** The first code entered twice (after normalizing), or null. */
export function duplicateRefusal(codes: readonly string[]): AppError | null {
  const seen = new Set<string>();
  for (const code of codes) {
    if (seen.has(code)) return new AppError('COUPON_DUPLICATE', { params: { code } });
    seen.add(code);
  }
  return null;
}

function exclusive(coupon: CouponInHand) {
  return { zh: `「${coupon.template.name}」不与其他券同享`, en: `"${coupon.template.name}" does not combine with other coupons` };
}

function notStackable(a: CouponInHand, b: CouponInHand, reason: { zh: string; en: string }): AppError {
  return new AppError('COUPON_NOT_STACKABLE', {
    params: { code: a.code, template: a.template.name, other: b.code, otherTemplate: b.template.name, reason },
  });
}
