import type { TierLevel } from '../../../server/src/modules/tiers/rules.js';

/** A level as the rules see it, with no benefits beyond the discount. */
export function level(id: number, levelNo: number, name: string, entryThreshold: number, retentionThreshold: number | null = null, discountRate = 100): TierLevel {
  return { id, level: levelNo, name, entryThreshold, retentionThreshold, discountRate, pointsMultiplierPct: 100, birthdayTemplateId: null, monthlyTemplateId: null, perks: null, color: null };
}
