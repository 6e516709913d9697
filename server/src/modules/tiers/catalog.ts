import type { Transaction } from 'sequelize';
import type { TierModels, TierRecord } from './models.js';
import type { TierCatalog, TierLevel } from './rules.js';
import type { TierSettingsStore } from './settings.js';

/** How long a node trusts what it read; another node's publish shows within this. */
const CACHE_MS = 2_000;

export type LevelTerms = Omit<TierLevel, 'id' | 'level'>;

/** What a level grants and asks, without its id and place: a stored level's, or one the settings page sends. */
export function levelTerms(tier: LevelTerms): LevelTerms {
  return {
    name: tier.name,
    entryThreshold: tier.entryThreshold,
    retentionThreshold: tier.retentionThreshold,
    discountRate: tier.discountRate,
    pointsMultiplierPct: tier.pointsMultiplierPct,
    birthdayTemplateId: tier.birthdayTemplateId,
    monthlyTemplateId: tier.monthlyTemplateId,
    perks: tier.perks,
    color: tier.color,
  };
}

export function levelView(tier: TierRecord): TierLevel {
  return { id: tier.id, level: tier.level, ...levelTerms(tier) };
}

/**
 * The published levels and rules, cached for a moment: every checkout prices with them.
 * Inside a transaction a stale cache is reloaded on that transaction's connection (a
 * second pooled connection could wait behind the checkouts holding the others).
 */
export class TierCatalogStore {
  private cached: { value: TierCatalog; at: number } | null = null;

  constructor(
    private readonly models: TierModels,
    private readonly settings: TierSettingsStore,
  ) {}

  async get(transaction?: Transaction): Promise<TierCatalog> {
    if (this.cached && Date.now() - this.cached.at < CACHE_MS) return this.cached.value;
    return this.load(transaction);
  }

  /** Read fresh, bypassing the cache (publishing, the daily review). */
  async load(transaction?: Transaction): Promise<TierCatalog> {
    const [tiers, settings] = await Promise.all([
      this.models.Tier.findAll({ where: { status: 'active' }, order: [['level', 'ASC']], transaction }),
      this.settings.read(transaction),
    ]);
    const value: TierCatalog = { levels: tiers.map(levelView), settings };
    this.cached = { value, at: Date.now() };
    return value;
  }

  /** Every level ever published, retired ones too, by id: history rows name them. */
  async allById(transaction?: Transaction): Promise<Map<number, TierRecord>> {
    const tiers = await this.models.Tier.findAll({ transaction });
    return new Map(tiers.map((t) => [t.id, t]));
  }

  forget(): void {
    this.cached = null;
  }
}
