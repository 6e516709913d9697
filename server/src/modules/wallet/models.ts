import { idAttribute, numberColumn } from '../../platform/db/number-columns.js';
import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

export const PLAN_STATUSES = ['active', 'retired'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];
export const TOPUP_PAY_METHODS = ['cash', 'wechat', 'alipay', 'card', 'other'] as const;
export type TopupPayMethod = (typeof TOPUP_PAY_METHODS)[number];
export type TopupStatus = 'active' | 'partially_refunded' | 'refunded';

export function defineWalletModels(sequelize: Sequelize) {
  const num = (name: string, allowNull = false, defaultValue?: number) => numberColumn(name, { allowNull, defaultValue });
  const id = idAttribute;

  class WalletPlan extends Model<InferAttributes<WalletPlan>, InferCreationAttributes<WalletPlan>> {
    declare id: CreationOptional<number>;
    declare name: string;
    /** What the member pays, fen; never changes once a top-up used the plan. */
    declare amount: number;
    declare bonus: number;
    declare points: number;
    /** The coupons a top-up on the plan issues: a template and how many (0: none). */
    declare couponTemplateId: CreationOptional<number | null>;
    declare couponCount: CreationOptional<number>;
    declare status: CreationOptional<PlanStatus>;
    declare sortOrder: CreationOptional<number>;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;
  }
  WalletPlan.init(
    {
      id: id(),
      name: { type: DataTypes.STRING(64), allowNull: false },
      amount: num('amount'),
      bonus: num('bonus', false, 0),
      points: num('points', false, 0),
      couponTemplateId: numberColumn('couponTemplateId', { allowNull: true, type: 'integer' }),
      couponCount: numberColumn('couponCount', { defaultValue: 0, type: 'integer' }),
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'active' },
      sortOrder: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      createdAt: DataTypes.DATE(3),
      updatedAt: DataTypes.DATE(3),
    },
    { sequelize, tableName: 'wallet_plans', timestamps: true, underscored: true },
  );

  class WalletTopup extends Model<InferAttributes<WalletTopup>, InferCreationAttributes<WalletTopup>> {
    declare id: CreationOptional<number>;
    declare topupNo: string;
    declare memberId: number;
    /** The store that sold it: the liability is its until spent. */
    declare storeId: number;
    declare planId: number | null;
    declare payMethod: TopupPayMethod;
    declare principal: number;
    declare bonus: number;
    declare points: number;
    declare principalRemaining: number;
    declare bonusRemaining: number;
    declare refundedPrincipal: CreationOptional<number>;
    declare voidedBonus: CreationOptional<number>;
    declare status: CreationOptional<TopupStatus>;
    declare operatorId: number | null;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;
  }
  WalletTopup.init(
    {
      id: id(),
      topupNo: { type: DataTypes.STRING(32), allowNull: false },
      memberId: num('memberId'),
      storeId: num('storeId'),
      planId: num('planId', true),
      payMethod: { type: DataTypes.STRING(16), allowNull: false },
      principal: num('principal'),
      bonus: num('bonus', false, 0),
      points: num('points', false, 0),
      principalRemaining: num('principalRemaining'),
      bonusRemaining: num('bonusRemaining'),
      refundedPrincipal: num('refundedPrincipal', false, 0),
      voidedBonus: num('voidedBonus', false, 0),
      status: { type: DataTypes.STRING(24), allowNull: false, defaultValue: 'active' },
      operatorId: num('operatorId', true),
      createdAt: DataTypes.DATE(3),
      updatedAt: DataTypes.DATE(3),
    },
    { sequelize, tableName: 'wallet_topups', timestamps: true, underscored: true },
  );

  class WalletLedgerRow extends Model<InferAttributes<WalletLedgerRow>, InferCreationAttributes<WalletLedgerRow>> {
    declare id: CreationOptional<number>;
    declare memberId: number;
    declare topupId: number;
    declare topupStoreId: number;
    /** Where it happened. */
    declare storeId: number;
    declare kind: string;
    declare sourceType: string;
    declare sourceId: number | null;
    declare principalDelta: number;
    declare bonusDelta: number;
    /** The member's totals after this row, rows of one operation in order. */
    declare principalAfter: number;
    declare bonusAfter: number;
    declare operatorId: number | null;
    declare reason: string | null;
    declare createdAt: Date;
  }
  WalletLedgerRow.init(
    {
      id: id(),
      memberId: num('memberId'),
      topupId: num('topupId'),
      topupStoreId: num('topupStoreId'),
      storeId: num('storeId'),
      kind: { type: DataTypes.STRING(24), allowNull: false },
      sourceType: { type: DataTypes.STRING(24), allowNull: false },
      sourceId: num('sourceId', true),
      principalDelta: num('principalDelta'),
      bonusDelta: num('bonusDelta'),
      principalAfter: num('principalAfter'),
      bonusAfter: num('bonusAfter'),
      operatorId: num('operatorId', true),
      reason: DataTypes.STRING(255),
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { sequelize, tableName: 'wallet_ledger', timestamps: false, underscored: true },
  );

  return { WalletPlan, WalletTopup, WalletLedgerRow };
}

export type WalletModels = ReturnType<typeof defineWalletModels>;
export type PlanRecord = InstanceType<WalletModels['WalletPlan']>;
export type TopupRecord = InstanceType<WalletModels['WalletTopup']>;
export type WalletLedgerRecord = InstanceType<WalletModels['WalletLedgerRow']>;
