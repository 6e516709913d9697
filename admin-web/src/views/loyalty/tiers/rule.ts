import type { FormItemRule, FormRules } from 'element-plus';
import type { ComposerTranslation } from 'vue-i18n';
import type { Tier, TierBasis, TierConfig, TierSettings } from '@/api/tiers';
import { fenToYuan, yuanToFen } from '@/utils/format';
import { intRule, type IntBounds } from '../shared/rules';

/** Mirrors the server's tier schemas. Thresholds in the basis's unit (fen for spend). */
export const TIER_BOUNDS = {
  levels: { min: 1, max: 10 },
  name: { min: 1, max: 32 },
  perks: { min: 0, max: 500 },
  threshold: { min: 0, max: 100_000_000_000 },
  discountRate: { min: 1, max: 100 },
  multiplierPct: { min: 100, max: 1000 },
  windowMonths: { min: 1, max: 60 },
  retentionMonths: { min: 1, max: 60 },
  graceDays: { min: 0, max: 365 },
  warnDays: { min: 0, max: 365 },
  growthPerYuan: { min: 0, max: 1000 },
  growthPerOrder: { min: 0, max: 100_000 },
} satisfies Record<string, IntBounds>;

/** The colours a level may take at one click (金, 银, 铂金, 钻石 …); any other is a pick away. */
export const TIER_COLORS = ['#8c939d', '#a8b4c4', '#c9a227', '#6d7b8d', '#3a7bd5', '#8e44ad', '#d35400'];

/** What the page shows before the server answered (a fresh install has the base level 普通会员 only). */
export function defaultTierConfig(): TierConfig {
  return { tiers: [], settings: defaultTierSettings() };
}

export function defaultTierSettings(): TierSettings {
  return {
    basis: 'spend',
    window: { type: 'rolling', months: 12 },
    retentionMonths: 12,
    downgrade: 'one_level',
    graceDays: 7,
    warnDays: 30,
    growth: { perYuan: 1, perOrder: 0 },
  };
}

/**
 * One level as its dialog edits it: thresholds in yuan when the basis is spend (two
 * decimals), the discount in 折 (9.5), the multiplier as a factor (1.5).
 */
export interface LevelForm {
  name: string;
  color: string;
  entry: number;
  keepForLife: boolean;
  retention: number;
  zhe: number;
  multiplier: number;
  birthdayTemplateId: number | null;
  monthlyTemplateId: number | null;
  perks: string;
}

/** The threshold as the dialog's input shows it. */
export const toInput = (basis: TierBasis, value: number) => (basis === 'spend' ? fenToYuan(value) : value);
/** The input's number back as the server counts it. */
export const fromInput = (basis: TierBasis, value: number) => (basis === 'spend' ? yuanToFen(value) : Math.round(value));

export function toLevelForm(tier: Tier, basis: TierBasis): LevelForm {
  return {
    name: tier.name,
    color: tier.color ?? TIER_COLORS[0],
    entry: toInput(basis, tier.entryThreshold),
    keepForLife: tier.retentionThreshold === null,
    retention: toInput(basis, tier.retentionThreshold ?? 0),
    zhe: tier.discountRate / 10,
    multiplier: tier.pointsMultiplierPct / 100,
    birthdayTemplateId: tier.birthdayTemplateId,
    monthlyTemplateId: tier.monthlyTemplateId,
    perks: tier.perks ?? '',
  };
}

/** The level as the server takes it; `id` and `level` stay the row's. */
export function fromLevelForm(form: LevelForm, basis: TierBasis, base: boolean): Omit<Tier, 'id' | 'level' | 'memberCount'> {
  return {
    name: form.name.trim(),
    color: form.color || null,
    entryThreshold: base ? 0 : fromInput(basis, form.entry),
    retentionThreshold: base || form.keepForLife ? null : fromInput(basis, form.retention),
    discountRate: Math.round(form.zhe * 10),
    pointsMultiplierPct: Math.round(form.multiplier * 100),
    birthdayTemplateId: form.birthdayTemplateId,
    monthlyTemplateId: form.monthlyTemplateId,
    perks: form.perks.trim() || null,
  };
}

/** A new level on top: it starts at twice the entry of the level below, so the thresholds already climb. */
export function emptyLevelForm(basis: TierBasis, below: number | undefined): LevelForm {
  const entry = below === undefined ? 0 : Math.max(below * 2, basis === 'spend' ? 100_000 : 1000);
  return {
    name: '',
    color: TIER_COLORS[2],
    entry: toInput(basis, entry),
    keepForLife: false,
    retention: toInput(basis, Math.round(entry * 0.8)),
    zhe: 10,
    multiplier: 1,
    birthdayTemplateId: null,
    monthlyTemplateId: null,
    perks: '',
  };
}

/**
 * The level dialog's rules: the entry threshold must sit strictly between the levels below
 * and above it (in the server's unit), and keeping a level may not ask more than earning it.
 */
export function levelRules(t: ComposerTranslation, form: LevelForm, basis: TierBasis, neighbours: { below?: number; above?: number }): FormRules {
  const required = (message: string): FormItemRule => ({ required: true, type: 'number', message, trigger: 'change' });
  return {
    name: [
      { required: true, whitespace: true, message: t('tiers.level.rules.name'), trigger: 'blur' },
      { max: TIER_BOUNDS.name.max, message: t('tiers.level.rules.nameLength', { max: TIER_BOUNDS.name.max }), trigger: 'blur' },
    ],
    entry: [
      required(t('tiers.level.rules.entry')),
      {
        validator: (_rule, value: unknown, callback) => {
          if (typeof value !== 'number') return callback();
          const entry = fromInput(basis, value);
          if (neighbours.below !== undefined && entry <= neighbours.below) return callback(new Error(t('tiers.level.rules.entryAboveBelow')));
          if (neighbours.above !== undefined && entry >= neighbours.above) return callback(new Error(t('tiers.level.rules.entryBelowAbove')));
          callback();
        },
        trigger: 'change',
      },
    ],
    retention: [
      {
        validator: (_rule, value: unknown, callback) => {
          if (form.keepForLife || typeof value !== 'number') return callback();
          if (value > form.entry) return callback(new Error(t('tiers.level.rules.retentionAboveEntry')));
          callback();
        },
        trigger: 'change',
      },
    ],
    zhe: [required(t('tiers.level.rules.discount'))],
    multiplier: [required(t('tiers.level.rules.multiplier'))],
  };
}

/** The rules section's items, by path like the server's error paths. */
export function settingsRules(t: ComposerTranslation): FormRules {
  const b = TIER_BOUNDS;
  return {
    'window.months': intRule(t, b.windowMonths),
    retentionMonths: intRule(t, b.retentionMonths),
    graceDays: intRule(t, b.graceDays),
    warnDays: intRule(t, b.warnDays),
    'growth.perYuan': intRule(t, b.growthPerYuan),
    'growth.perOrder': intRule(t, b.growthPerOrder),
  };
}
