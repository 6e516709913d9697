import { idAttribute, numberColumn, refAttribute } from '../../platform/db/number-columns.js';
import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

export type TierStatus = 'active' | 'retired';
export const TIER_DIRECTIONS = ['up', 'down', 'manual', 'initial'] as const;
export type TierDirection = (typeof TIER_DIRECTIONS)[number];
/** Why a member's tier changed; `refund`: the order that earned it was refunded. */
export const TIER_REASONS = ['order', 'retention', 'manual', 'manual_expired', 'rule_change', 'refund'] as const;
export type TierReason = (typeof TIER_REASONS)[number];

export function defineTierModels(sequelize: Sequelize) {
  /** One level: what earns and keeps it, and what it gives. */
  class Tier extends Model<InferAttributes<Tier>, InferCreationAttributes<Tier>> {
    declare id: CreationOptional<number>;
    declare level: number;
    declare name: string;
    declare entryThreshold: number;
    declare retentionThreshold: number | null;
    declare discountRate: number;
    declare pointsMultiplierPct: number;
    declare birthdayTemplateId: number | null;
    declare monthlyTemplateId: number | null;
    declare perks: string | null;
    declare color: string | null;
    declare status: TierStatus;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;
  }
  Tier.init(
    {
      id: idAttribute(),
      level: { type: DataTypes.INTEGER, allowNull: false },
      name: { type: DataTypes.STRING(32), allowNull: false },
      entryThreshold: numberColumn('entryThreshold'),
      retentionThreshold: numberColumn('retentionThreshold', { allowNull: true }),
      discountRate: { type: DataTypes.INTEGER, allowNull: false },
      pointsMultiplierPct: { type: DataTypes.INTEGER, allowNull: false },
      birthdayTemplateId: numberColumn('birthdayTemplateId', { allowNull: true }),
      monthlyTemplateId: numberColumn('monthlyTemplateId', { allowNull: true }),
      perks: DataTypes.STRING(500),
      color: DataTypes.STRING(16),
      status: { type: DataTypes.STRING(16), allowNull: false },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      updatedAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { sequelize, tableName: 'tiers', underscored: true },
  );

  /** A placed member's tier and its clock. */
  class MemberTier extends Model<InferAttributes<MemberTier>, InferCreationAttributes<MemberTier>> {
    declare memberId: number;
    declare tierId: number;
    declare since: Date;
    declare reviewAt: Date | null;
    declare renewedAt: Date | null;
    declare manual: boolean;
    declare manualUntil: Date | null;
    declare manualReason: string | null;
    declare warnedAt: Date | null;
    declare updatedAt: Date;
  }
  MemberTier.init(
    {
      memberId: { ...refAttribute('memberId', false), primaryKey: true },
      tierId: refAttribute('tierId', false),
      since: { type: DataTypes.DATE(3), allowNull: false },
      reviewAt: DataTypes.DATE(3),
      renewedAt: DataTypes.DATE(3),
      manual: { type: DataTypes.BOOLEAN, allowNull: false },
      manualUntil: DataTypes.DATE(3),
      manualReason: DataTypes.STRING(200),
      warnedAt: DataTypes.DATE(3),
      updatedAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { sequelize, tableName: 'member_tiers', timestamps: false, underscored: true },
  );

  /** One change of one member's tier, with the numbers behind it. Append-only. */
  class TierHistory extends Model<InferAttributes<TierHistory>, InferCreationAttributes<TierHistory>> {
    declare id: CreationOptional<number>;
    declare memberId: number;
    declare fromTierId: number | null;
    declare toTierId: number;
    declare direction: TierDirection;
    declare reason: TierReason;
    declare orderId: number | null;
    declare basis: string | null;
    declare metric: number | null;
    declare threshold: number | null;
    declare windowFrom: Date | null;
    declare windowTo: Date | null;
    declare operatorId: number | null;
    declare note: string | null;
    declare at: Date;
  }
  TierHistory.init(
    {
      id: idAttribute(),
      memberId: refAttribute('memberId', false),
      fromTierId: refAttribute('fromTierId'),
      toTierId: refAttribute('toTierId', false),
      direction: { type: DataTypes.STRING(16), allowNull: false },
      reason: { type: DataTypes.STRING(24), allowNull: false },
      orderId: refAttribute('orderId'),
      basis: DataTypes.STRING(16),
      metric: numberColumn('metric', { allowNull: true }),
      threshold: numberColumn('threshold', { allowNull: true }),
      windowFrom: DataTypes.DATE(3),
      windowTo: DataTypes.DATE(3),
      operatorId: refAttribute('operatorId'),
      note: DataTypes.STRING(255),
      at: { type: DataTypes.DATE(3), allowNull: false },
    },
    { sequelize, tableName: 'tier_history', timestamps: false, underscored: true },
  );

  return { Tier, MemberTier, TierHistory };
}

export type TierModels = ReturnType<typeof defineTierModels>;
export type TierRecord = InstanceType<TierModels['Tier']>;
export type MemberTierRecord = InstanceType<TierModels['MemberTier']>;
export type TierHistoryRecord = InstanceType<TierModels['TierHistory']>;
