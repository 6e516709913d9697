import { DataTypes, Model, type InferAttributes, type InferCreationAttributes, type Sequelize, type Transaction } from 'sequelize';
import type { z } from 'zod';

/** How long a node trusts what it read; another node's change shows within this. */
const CACHE_MS = 2_000;

function defineSettingModel(sequelize: Sequelize) {
  class LoyaltySetting extends Model<InferAttributes<LoyaltySetting>, InferCreationAttributes<LoyaltySetting>> {
    declare key: string;
    declare value: string;
    declare updatedBy: number | null;
    declare updatedAt: Date;
  }
  LoyaltySetting.init(
    {
      key: { type: DataTypes.STRING(64), primaryKey: true },
      value: { type: DataTypes.TEXT, allowNull: false },
      updatedBy: DataTypes.INTEGER,
      updatedAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { sequelize, tableName: 'loyalty_settings', timestamps: false, underscored: true },
  );
  return LoyaltySetting;
}

/**
 * Points and stored-value settings, one JSON document per key, each validated by the
 * module that owns it. A document missing keys (written by an older version) is read
 * over its defaults, so adding a setting needs no migration.
 */
export class LoyaltySettings {
  private readonly model: ReturnType<typeof defineSettingModel>;
  private readonly cache = new Map<string, { value: unknown; at: number }>();

  constructor(sequelize: Sequelize) {
    this.model = defineSettingModel(sequelize);
  }

  async read<S extends z.ZodType>(key: string, schema: S, defaults: z.output<S>, transaction?: Transaction): Promise<z.output<S>> {
    const cached = this.cache.get(key);
    if (!transaction && cached && Date.now() - cached.at < CACHE_MS) return cached.value as z.output<S>;
    const row = await this.model.findByPk(key, { transaction });
    const stored = row ? (JSON.parse(row.value) as object) : {};
    const parsed = schema.safeParse({ ...(defaults as object), ...stored });
    // A document that no longer validates (a setting renamed by hand in the table) falls back whole.
    const value = parsed.success ? parsed.data : defaults;
    this.cache.set(key, { value, at: Date.now() });
    return value;
  }

  /** Writes in the caller's transaction; the caller audits the change beside it. */
  async write(key: string, value: unknown, userId: number | null, transaction: Transaction): Promise<void> {
    await this.model.upsert({ key, value: JSON.stringify(value), updatedBy: userId || null, updatedAt: new Date() }, { transaction });
    transaction.afterCommit(() => {
      this.cache.delete(key);
    });
  }
}
