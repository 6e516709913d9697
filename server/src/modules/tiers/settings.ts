import type { Transaction } from 'sequelize';
import { localized } from '../../platform/http/validation.js';
import { z } from '../../platform/http/zod.js';
import type { LoyaltySettings } from '../loyalty/settings-store.js';

export const TIER_BASES = ['spend', 'points', 'growth'] as const;
export type TierBasis = (typeof TIER_BASES)[number];
export const TIER_DOWNGRADES = ['one_level', 'to_base'] as const;
export type TierDowngrade = (typeof TIER_DOWNGRADES)[number];

const int = (min: number, max: number) => z.number().int().min(min).max(max);

export const TierWindowSchema = z
  .discriminatedUnion('type', [z.strictObject({ type: z.literal('lifetime') }), z.strictObject({ type: z.literal('rolling'), months: int(1, 60) })])
  .openapi('TierWindow', { description: 'Over what time the entry metric counts: all time, or the last N months' });

const fields = {
  /** What the thresholds count: net spend paid (fen), points earned from orders, or growth value. */
  basis: z.enum(TIER_BASES),
  window: TierWindowSchema,
  /** How long a reached level lasts before its retention threshold is checked. */
  retentionMonths: int(1, 60),
  downgrade: z.enum(TIER_DOWNGRADES),
  /** Days after the review date the member still has to reach the retention threshold. */
  graceDays: int(0, 365),
  /** Days before the review date a member short of the threshold is warned (0: never). */
  warnDays: int(0, 365),
  /** Growth value (basis growth): per whole yuan of net spend, and per order paid. */
  growth: z.strictObject({ perYuan: int(0, 1000), perOrder: int(0, 100_000) }),
};

function growthCounts(settings: { basis: TierBasis; growth: { perYuan: number; perOrder: number } }, ctx: z.RefinementCtx): void {
  if (settings.basis === 'growth' && settings.growth.perYuan === 0 && settings.growth.perOrder === 0) {
    ctx.addIssue({ code: 'custom', path: ['growth', 'perYuan'], message: localized('按成长值定级时，每元或每单成长值至少一项大于 0', 'With the growth basis, growth per yuan or per order must be above 0')() });
  }
}

/** The rules as a PUT sends them: the whole document, nothing unknown. */
export const TierSettingsSchema = z.strictObject(fields).superRefine(growthCounts).openapi('TierSettings');
/** What is read back from the table: a key written by a newer version is ignored. */
const StoredSettings = z.object(fields).superRefine(growthCounts);

export type TierSettings = z.output<typeof TierSettingsSchema>;

export const DEFAULT_TIER_SETTINGS: TierSettings = {
  basis: 'spend',
  window: { type: 'rolling', months: 12 },
  retentionMonths: 12,
  downgrade: 'one_level',
  graceDays: 7,
  warnDays: 30,
  growth: { perYuan: 1, perOrder: 0 },
};

export const TIER_SETTINGS_KEY = 'tiers';

/** The tier rules document in loyalty_settings, read over its defaults. */
export class TierSettingsStore {
  constructor(private readonly store: LoyaltySettings) {}

  read(transaction?: Transaction): Promise<TierSettings> {
    return this.store.read(TIER_SETTINGS_KEY, StoredSettings, DEFAULT_TIER_SETTINGS, transaction);
  }

  write(value: TierSettings, userId: number | null, transaction: Transaction): Promise<void> {
    return this.store.write(TIER_SETTINGS_KEY, value, userId, transaction);
  }
}
