import { sum } from '../../platform/money/allocate.js';
import type { MemberRecord } from '../members/models.js';
import { spreadOverLines, type Discount, type EarningMultiplier, type PricingInput, type PricingStep } from '../orders/pricing.js';
import type { TierCatalogStore } from './catalog.js';
import { discountLabel, discountOff, levelOf } from './rules.js';
import type { TierUpgrades } from './upgrades.js';

/**
 * The checkout's first pricing step: the member's tier price ("金卡 9.5折") spread over the
 * lines, so a refund of some lines reverses their share. A walk-in customer gets none; a
 * member with no tier row is at the base level. The tier comes from `members.tier_id` on
 * the row the checkout already holds, so pricing reads nothing but the cached levels.
 * `placed` upgrades the member in the order's transaction; `refunded` takes back an
 * upgrade the refunded order alone had earned.
 */
export function tierPricingStep(catalog: TierCatalogStore, upgrades: TierUpgrades): PricingStep {
  return {
    name: 'tier',
    async price(input: PricingInput): Promise<Discount[]> {
      if (!input.member) return [];
      const { levels } = await catalog.get(input.transaction);
      if (levels.length === 0) return [];
      const level = levelOf(levels, input.member.tierId);
      const off = discountOff(sum(input.lines.map((line) => line.payable)), level.discountRate);
      if (off <= 0) return [];
      return [{ step: 'tier', reference: String(level.id), label: discountLabel(level), lines: spreadOverLines(off, input.lines) }];
    },
    async placed(order, _discounts, transaction) {
      if (order.member) await upgrades.afterOrder(order, transaction);
    },
    async refunded(refund, transaction) {
      if (refund.memberId) await upgrades.afterRefund(refund, transaction);
    },
  };
}

/** The tier's points multiplier for the checkout's earning (150 -> 1.5). */
export function tierMultiplier(catalog: TierCatalogStore): EarningMultiplier {
  return async (member: MemberRecord, transaction) => {
    const { levels } = await catalog.get(transaction);
    if (levels.length === 0) return 1;
    return levelOf(levels, member.tierId).pointsMultiplierPct / 100;
  };
}
