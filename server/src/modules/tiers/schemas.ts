import { IdParams, isoDate, nullableIsoDate } from '../../platform/http/common-schemas.js';
import { localized } from '../../platform/http/validation.js';
import { z } from '../../platform/http/zod.js';
import { TIER_DIRECTIONS, TIER_REASONS } from './models.js';
import { TIER_BASES, TierSettingsSchema } from './settings.js';

export { IdParams, TierSettingsSchema };

export const MAX_LEVELS = 10;
/** 1 billion yuan in fen: past any threshold a merchant sets, far below 2^53. */
const Threshold = z.number().int().min(0).max(100_000_000_000);
const TemplateId = z.number().int().positive().nullable().default(null);

export const TierLevelInput = z
  .strictObject({
    /** An existing level keeps its id (and its members); a level without one is new. */
    id: z.number().int().positive().optional(),
    /** Its position, 1 = base; optional, and when sent it must match the position in the list. */
    level: z.number().int().min(1).max(MAX_LEVELS).optional(),
    name: z.string().trim().min(1).max(32),
    entryThreshold: Threshold,
    retentionThreshold: Threshold.nullable().default(null),
    discountRate: z.number().int().min(1).max(100).default(100),
    pointsMultiplierPct: z.number().int().min(100).max(1000).default(100),
    birthdayTemplateId: TemplateId,
    monthlyTemplateId: TemplateId,
    perks: z
      .string()
      .trim()
      .max(500)
      .nullable()
      .default(null)
      .transform((v) => (v === '' ? null : v)),
    color: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, { error: localized('颜色须为 #RRGGBB', 'A colour is #RRGGBB') })
      .nullable()
      .default(null),
  })
  .openapi('TierLevelInput');

export type TierLevelInput = z.output<typeof TierLevelInput>;

const issue = (ctx: z.RefinementCtx, path: Array<string | number>, zh: string, en: string) => ctx.addIssue({ code: 'custom', path, message: localized(zh, en)() });

/**
 * The whole set of levels (ascending: the first is the base) and the rules: what a PUT
 * publishes and a simulation tries. Each rule a person can break names its field.
 */
export const TierConfigBody = z
  .strictObject({
    tiers: z.array(TierLevelInput).min(1, { error: localized('至少需要一个等级', 'At least one level is needed') }).max(MAX_LEVELS),
    settings: TierSettingsSchema,
  })
  .superRefine(({ tiers }, ctx) => {
    const names = new Map<string, number>();
    const ids = new Set<number>();
    tiers.forEach((tier, i) => {
      if (tier.level !== undefined && tier.level !== i + 1) issue(ctx, ['tiers', i, 'level'], `等级顺序须为 ${i + 1}`, `The level order must be ${i + 1}`);
      const key = tier.name.toLowerCase();
      if (names.has(key)) issue(ctx, ['tiers', i, 'name'], `等级名称「${tier.name}」重复`, `The name "${tier.name}" is used twice`);
      names.set(key, i);
      if (tier.id !== undefined) {
        if (ids.has(tier.id)) issue(ctx, ['tiers', i, 'id'], '同一等级出现了两次', 'The same level is listed twice');
        ids.add(tier.id);
      }
      if (i === 0) {
        if (tier.entryThreshold !== 0) issue(ctx, ['tiers', 0, 'entryThreshold'], '基础等级的门槛须为 0', 'The base level\'s threshold must be 0');
        if (tier.retentionThreshold !== null) issue(ctx, ['tiers', 0, 'retentionThreshold'], '基础等级无需保级', 'The base level has no retention threshold');
      } else if (tier.entryThreshold <= tiers[i - 1].entryThreshold) {
        const below = tiers[i - 1].name;
        issue(ctx, ['tiers', i, 'entryThreshold'], `门槛须高于上一等级「${below}」`, `The threshold must be above that of "${below}", the level below`);
      }
    });
  })
  .openapi('TierConfigBody');

export type TierConfigBody = z.output<typeof TierConfigBody>;

export const TierView = z
  .object({
    id: z.number().int(),
    level: z.number().int(),
    name: z.string(),
    entryThreshold: z.number().int(),
    retentionThreshold: z.number().int().nullable(),
    discountRate: z.number().int(),
    pointsMultiplierPct: z.number().int(),
    birthdayTemplateId: z.number().int().nullable(),
    monthlyTemplateId: z.number().int().nullable(),
    perks: z.string().nullable(),
    color: z.string().nullable(),
    /** Members at this level now (the base counts members never placed). */
    memberCount: z.number().int(),
  })
  .openapi('Tier');

export const TierConfigView = z.object({ tiers: z.array(TierView), settings: TierSettingsSchema }).openapi('TierConfig');

const LevelCounts = z.object({
  tierId: z.number().int().nullable(),
  level: z.number().int(),
  name: z.string(),
  before: z.number().int(),
  after: z.number().int(),
  up: z.number().int(),
  down: z.number().int(),
  belowEntry: z.number().int(),
  removed: z.boolean(),
});

export const TierSimulation = z
  .object({
    levels: z.array(LevelCounts),
    totals: z.object({ members: z.number().int(), up: z.number().int(), down: z.number().int(), unchanged: z.number().int(), belowEntry: z.number().int() }),
    /** What publishing does with members below their level's new threshold, in both languages. */
    notes: z.object({ zh: z.string(), en: z.string() }),
  })
  .openapi('TierSimulation');

export const TierPublishResult = z.object({ tiers: z.array(TierView), settings: TierSettingsSchema, applied: TierSimulation }).openapi('TierPublishResult');

const TierRef = z.object({ id: z.number().int(), level: z.number().int(), name: z.string(), color: z.string().nullable() });
const Texts = z.object({ zh: z.string(), en: z.string() });

export const MemberTierView = z
  .object({
    memberId: z.number().int(),
    tier: TierRef.extend({ discountRate: z.number().int(), pointsMultiplierPct: z.number().int(), perks: z.string().nullable() }),
    since: nullableIsoDate,
    reviewAt: nullableIsoDate,
    /** The last day of the retention period, on the business calendar. */
    reviewDate: z.string().nullable(),
    /** When the grace after a missed review ends (the downgrade happens then). */
    graceUntil: nullableIsoDate,
    manual: z.boolean(),
    manualUntil: nullableIsoDate,
    manualReason: z.string().nullable(),
    basis: z.enum(TIER_BASES),
    metric: z.number().int(),
    windowFrom: nullableIsoDate,
    windowTo: isoDate,
    retention: z.object({ threshold: z.number().int(), metric: z.number().int(), missing: z.number().int(), by: z.string(), periodFrom: isoDate }).nullable(),
    next: z.object({ tier: TierRef, threshold: z.number().int(), missing: z.number().int() }).nullable(),
    /** The explanation in the caller's language, and in both. */
    explanation: z.string(),
    texts: z.object({ status: Texts, next: Texts.nullable(), keep: Texts.nullable() }),
  })
  .openapi('MemberTier');

export const TierHistoryEntry = z
  .object({
    id: z.number().int(),
    memberId: z.number().int(),
    from: TierRef.nullable(),
    to: TierRef.nullable(),
    direction: z.enum(TIER_DIRECTIONS),
    reason: z.enum(TIER_REASONS),
    orderId: z.number().int().nullable(),
    basis: z.enum(TIER_BASES).nullable(),
    metric: z.number().int().nullable(),
    threshold: z.number().int().nullable(),
    windowFrom: nullableIsoDate,
    windowTo: nullableIsoDate,
    operatorId: z.number().int().nullable(),
    operatorName: z.string().nullable(),
    note: z.string().nullable(),
    at: isoDate,
  })
  .openapi('TierHistoryEntry');

export const TierHistoryPage = z.object({ items: z.array(TierHistoryEntry), nextCursor: z.string().nullable() }).openapi('TierHistoryPage');

export const HistoryQuery = z.strictObject({
  cursor: z
    .string()
    .regex(/^[1-9]\d{0,15}$/, { error: localized('翻页游标无效', 'Not a valid page cursor') })
    .transform(Number)
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const ManualTierBody = z
  .strictObject({
    tierId: z.number().int().positive(),
    reason: z.string().trim().min(1).max(200),
    /** The last day (business calendar) the manual tier holds; then the rules place the member again. */
    until: z.iso.date({ error: localized('日期格式须为 YYYY-MM-DD', 'A date is YYYY-MM-DD') }).optional(),
  })
  .openapi('ManualTierBody');

export type ManualTierBody = z.output<typeof ManualTierBody>;
