import { http } from './http';

// Member tiers: the levels and their rules, the simulation before publishing a change, and a
// member's tier with its explanation and history. Thresholds are fen when the basis is spend,
// otherwise points or growth value; discount rates are percents paid (95 = 9.5折).

export const TIER_BASES = ['spend', 'points', 'growth'] as const;
export type TierBasis = (typeof TIER_BASES)[number];
export const TIER_DOWNGRADES = ['one_level', 'to_base'] as const;
export type TierDowngrade = (typeof TIER_DOWNGRADES)[number];

export interface Tier {
  /** absent for a level added in this change */
  id?: number;
  /** 1 = the base level, ascending */
  level: number;
  name: string;
  /** the metric over the window that earns the level; 0 for the base level */
  entryThreshold: number;
  /** the metric per retention period that keeps it; null = kept for life */
  retentionThreshold: number | null;
  /** percent of the price paid: 100 = no discount, 95 = 9.5折 */
  discountRate: number;
  /** 150 = points earned ×1.5 */
  pointsMultiplierPct: number;
  birthdayTemplateId: number | null;
  monthlyTemplateId: number | null;
  perks: string | null;
  /** '#c0a062' */
  color: string | null;
  /** members at this level now (read only) */
  memberCount?: number;
}

export type TierWindow = { type: 'lifetime' } | { type: 'rolling'; months: number };

export interface TierSettings {
  basis: TierBasis;
  window: TierWindow;
  /** how long a level lasts before its retention is reviewed */
  retentionMonths: number;
  downgrade: TierDowngrade;
  /** days after the review date before a downgrade takes effect */
  graceDays: number;
  /** days before the review date the member is warned */
  warnDays: number;
  /** growth value per whole yuan paid, and per order (basis growth) */
  growth: { perYuan: number; perOrder: number };
}

export interface TierConfig {
  tiers: Tier[];
  settings: TierSettings;
}

export interface TierMoveCounts {
  tierId: number | null;
  level: number;
  name: string;
  /** members at this level now, and under the new rules */
  before: number;
  after: number;
  /** members who would arrive here from a lower level, or from a higher one */
  up: number;
  down: number;
  /** members kept here below its new entry threshold until their review date */
  belowEntry: number;
  /** a level the change removes (listed after the others; its members are placed again) */
  removed: boolean;
}

/** Both languages of a server-made sentence. */
export interface Texts {
  zh: string;
  en: string;
}

export interface TierSimulation {
  levels: TierMoveCounts[];
  totals: { members: number; up: number; down: number; unchanged: number; belowEntry: number };
  /** what publishing does with members below their level's new threshold */
  notes: Texts;
}

export interface TierPublishResult extends TierConfig {
  /** what the publishing moved: equal to the simulation of the same change */
  applied: TierSimulation;
}

export interface TierRef {
  id: number;
  level: number;
  name: string;
  color: string | null;
}

export interface MemberTier {
  memberId: number;
  tier: TierRef & { discountRate: number; pointsMultiplierPct: number; perks: string | null };
  since: string | null;
  /** when the current retention period is reviewed; null when the tier is kept for life */
  reviewAt: string | null;
  /** the last day of the retention period, business calendar */
  reviewDate: string | null;
  /** when the grace after a missed review ends (the downgrade happens then) */
  graceUntil: string | null;
  manual: boolean;
  manualUntil: string | null;
  manualReason: string | null;
  basis: TierBasis;
  /** the member's metric over the entry window */
  metric: number;
  windowFrom: string | null;
  windowTo: string;
  /** what keeping the tier takes this period; null when nothing does */
  retention: { threshold: number; metric: number; missing: number; by: string; periodFrom: string } | null;
  /** the next level up and what it takes; null at the top */
  next: { tier: TierRef; threshold: number; missing: number } | null;
  /** the explanation in the caller's language */
  explanation: string;
  /** its parts in both languages: where the member stands, the next level, keeping this one */
  texts: { status: Texts; next: Texts | null; keep: Texts | null };
}

export const TIER_DIRECTIONS = ['up', 'down', 'manual', 'initial'] as const;
export type TierDirection = (typeof TIER_DIRECTIONS)[number];
export const TIER_REASONS = ['order', 'retention', 'manual', 'manual_expired', 'rule_change', 'refund'] as const;
export type TierReason = (typeof TIER_REASONS)[number];

export interface TierHistoryEntry {
  id: number;
  memberId: number;
  from: TierRef | null;
  to: TierRef | null;
  direction: TierDirection;
  reason: TierReason;
  orderId: number | null;
  basis: TierBasis | null;
  /** the number behind the change, and the threshold it was held against */
  metric: number | null;
  threshold: number | null;
  windowFrom: string | null;
  windowTo: string | null;
  operatorId: number | null;
  operatorName: string | null;
  note: string | null;
  at: string;
}

export interface TierHistoryPage {
  items: TierHistoryEntry[];
  nextCursor: string | null;
}

export interface TierAdjustment {
  tierId: number;
  reason: string;
  /** business-timezone date the manual tier lasts until (then the rules apply again) */
  until?: string;
}

/** 等级设置（全部等级与规则） */
export const getTiers = () => http.get<TierConfig>('/api/v1/tiers');

/** 发布等级变更（整套等级与规则，返回实际变动人数） */
export const publishTiers = (data: TierConfig) => http.put<TierPublishResult>('/api/v1/tiers', data);

/** 模拟等级变更：每个等级变更前后人数与升降人数 */
export const simulateTiers = (data: TierConfig) => http.post<TierSimulation>('/api/v1/tiers/simulate', data);

/** 会员当前等级、进度与说明 */
export const getMemberTier = (memberId: number) => http.get<MemberTier>(`/api/v1/members/${memberId}/tier`);

/** 会员等级变化记录（新的在前，按 cursor 翻页） */
export const listMemberTierHistory = (memberId: number, query: { cursor?: string; limit?: number } = {}) =>
  http.get<TierHistoryPage>(`/api/v1/members/${memberId}/tier-history`, { query: { ...query } });

/** 手工调整会员等级（须填原因，可设到期日） */
export const adjustMemberTier = (memberId: number, data: TierAdjustment) => http.post<MemberTier>(`/api/v1/members/${memberId}/tier`, data);
