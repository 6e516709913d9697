import { idAttribute, numberColumn, refAttribute } from '../../platform/db/number-columns.js';
import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

export const TEMPLATE_KINDS = ['full_reduction', 'voucher', 'discount', 'exchange', 'punch'] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];
export const TEMPLATE_STATUSES = ['draft', 'active', 'paused', 'ended'] as const;
export type TemplateStatus = (typeof TEMPLATE_STATUSES)[number];
export const VALIDITY_TYPES = ['fixed', 'relative'] as const;
export type ValidityType = (typeof VALIDITY_TYPES)[number];
export const COUPON_STATUSES = ['available', 'used', 'expired', 'voided'] as const;
export type CouponStatus = (typeof COUPON_STATUSES)[number];
export const COUPON_SOURCES = ['manual', 'batch', 'topup', 'claim', 'tier', 'automation'] as const;
export type CouponSource = (typeof COUPON_SOURCES)[number];
export const COUPON_EVENT_TYPES = ['issued', 'redeemed', 'returned', 'return_expired', 'voided', 'expired'] as const;
export type CouponEventType = (typeof COUPON_EVENT_TYPES)[number];
export type RedemptionStatus = 'applied' | 'returned';
export type BatchStatus = 'queued' | 'running' | 'done' | 'failed';

const id = idAttribute;
const ref = refAttribute;
const int = (name: string, allowNull = true, defaultValue?: number) => numberColumn(name, { allowNull, defaultValue, type: 'integer' });
const fen = (name: string, allowNull = true) => numberColumn(name, { allowNull });
const time = (allowNull = true) => ({ type: DataTypes.DATE(3), allowNull });

/**
 * A JSON array column read and written as an array; stored as TEXT so both databases keep
 * the same bytes (MySQL allows no default on TEXT, hence the setter's `[]`).
 */
function listColumn(name: string) {
  return {
    type: DataTypes.TEXT,
    allowNull: false,
    defaultValue: '[]',
    get(this: Model): unknown[] {
      const raw = this.getDataValue(name) as unknown;
      if (Array.isArray(raw)) return raw;
      const parsed = typeof raw === 'string' && raw !== '' ? (JSON.parse(raw) as unknown) : [];
      return Array.isArray(parsed) ? parsed : [];
    },
    set(this: Model, value: unknown[] | null | undefined) {
      this.setDataValue(name, JSON.stringify(value ?? []));
    },
  };
}

export function defineCouponModels(sequelize: Sequelize) {
  /** The rules of a coupon; see CONTEXT.md for which fields each kind uses. */
  class CouponTemplate extends Model<InferAttributes<CouponTemplate>, InferCreationAttributes<CouponTemplate>> {
    declare id: CreationOptional<number>;
    declare name: string;
    declare kind: TemplateKind;
    declare amountOff: number | null;
    declare threshold: number | null;
    /** 1..99: the percent the member pays (85 = 8.5折). */
    declare discountRate: number | null;
    declare maxOff: number | null;
    declare itemSku: string | null;
    declare itemName: string | null;
    declare punchUses: number | null;
    declare validityType: ValidityType;
    declare validFrom: Date | null;
    declare validUntil: Date | null;
    declare validDays: number | null;
    declare delayDays: CreationOptional<number>;
    /** Null: unlimited. */
    declare stock: number | null;
    declare issuedCount: CreationOptional<number>;
    declare perMemberLimit: number | null;
    declare perDayLimit: number | null;
    declare storeIds: CreationOptional<number[]>;
    declare channels: CreationOptional<string[]>;
    declare categories: CreationOptional<string[]>;
    declare skus: CreationOptional<string[]>;
    /** Null: exclusive, combines with no other coupon. */
    declare stackGroup: string | null;
    declare maxPerOrder: CreationOptional<number>;
    declare withTierDiscount: CreationOptional<boolean>;
    declare withPoints: CreationOptional<boolean>;
    declare claimCode: string | null;
    /** Null: the per-member limit. */
    declare claimPerMember: number | null;
    declare status: CreationOptional<TemplateStatus>;
    declare description: string | null;
    declare createdBy: number | null;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;
  }
  CouponTemplate.init(
    {
      id: id(),
      name: { type: DataTypes.STRING(64), allowNull: false },
      kind: { type: DataTypes.STRING(16), allowNull: false },
      amountOff: fen('amountOff'),
      threshold: fen('threshold'),
      discountRate: int('discountRate'),
      maxOff: fen('maxOff'),
      itemSku: DataTypes.STRING(64),
      itemName: DataTypes.STRING(128),
      punchUses: int('punchUses'),
      validityType: { type: DataTypes.STRING(16), allowNull: false },
      validFrom: time(),
      validUntil: time(),
      validDays: int('validDays'),
      delayDays: int('delayDays', false, 0),
      stock: int('stock'),
      issuedCount: int('issuedCount', false, 0),
      perMemberLimit: int('perMemberLimit'),
      perDayLimit: int('perDayLimit'),
      storeIds: listColumn('storeIds'),
      channels: listColumn('channels'),
      categories: listColumn('categories'),
      skus: listColumn('skus'),
      stackGroup: DataTypes.STRING(32),
      maxPerOrder: int('maxPerOrder', false, 1),
      withTierDiscount: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      withPoints: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      claimCode: DataTypes.STRING(32),
      claimPerMember: int('claimPerMember'),
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'draft' },
      description: DataTypes.STRING(500),
      createdBy: ref('createdBy'),
      createdAt: DataTypes.DATE(3),
      updatedAt: DataTypes.DATE(3),
    },
    { sequelize, tableName: 'coupon_templates', timestamps: true, underscored: true },
  );

  /** One coupon of one member. */
  class Coupon extends Model<InferAttributes<Coupon>, InferCreationAttributes<Coupon>> {
    declare id: CreationOptional<number>;
    declare templateId: number;
    declare memberId: number;
    declare code: string;
    declare status: CreationOptional<CouponStatus>;
    declare usesTotal: number;
    declare usesLeft: number;
    declare validFrom: Date;
    declare validUntil: Date;
    declare source: CouponSource;
    declare sourceRef: string | null;
    /** The n-th coupon (from 0) one source gave this member of this template. */
    declare sourceSeq: CreationOptional<number>;
    declare issuedBy: number | null;
    /** The issuing store. */
    declare storeId: number | null;
    declare voidReason: CreationOptional<string | null>;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;
  }
  Coupon.init(
    {
      id: id(),
      templateId: ref('templateId', false),
      memberId: ref('memberId', false),
      code: { type: DataTypes.STRING(12), allowNull: false },
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'available' },
      usesTotal: int('usesTotal', false),
      usesLeft: int('usesLeft', false),
      validFrom: time(false),
      validUntil: time(false),
      source: { type: DataTypes.STRING(16), allowNull: false },
      sourceRef: DataTypes.STRING(64),
      sourceSeq: int('sourceSeq', false, 0),
      issuedBy: ref('issuedBy'),
      storeId: ref('storeId'),
      voidReason: DataTypes.STRING(255),
      createdAt: DataTypes.DATE(3),
      updatedAt: DataTypes.DATE(3),
    },
    { sequelize, tableName: 'coupons', timestamps: true, underscored: true },
  );

  /** One use of a coupon on one order line (the amount it took there). */
  class CouponRedemption extends Model<InferAttributes<CouponRedemption>, InferCreationAttributes<CouponRedemption>> {
    declare id: CreationOptional<number>;
    declare couponId: number;
    declare orderId: number;
    declare memberId: number;
    declare storeId: number;
    declare lineNo: number | null;
    declare uses: CreationOptional<number>;
    declare amount: number;
    declare status: CreationOptional<RedemptionStatus>;
    declare returnedRefundId: CreationOptional<number | null>;
    declare createdAt: Date;
    declare returnedAt: CreationOptional<Date | null>;
  }
  CouponRedemption.init(
    {
      id: id(),
      couponId: ref('couponId', false),
      orderId: ref('orderId', false),
      memberId: ref('memberId', false),
      storeId: ref('storeId', false),
      lineNo: int('lineNo'),
      uses: int('uses', false, 1),
      amount: numberColumn('amount', { defaultValue: 0 }),
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'applied' },
      returnedRefundId: ref('returnedRefundId'),
      createdAt: time(false),
      returnedAt: time(),
    },
    { sequelize, tableName: 'coupon_redemptions', timestamps: false, underscored: true },
  );

  /** Every state change of a coupon, appended. */
  class CouponEvent extends Model<InferAttributes<CouponEvent>, InferCreationAttributes<CouponEvent>> {
    declare id: CreationOptional<number>;
    declare couponId: number;
    declare type: CouponEventType;
    declare orderId: number | null;
    declare refundId: number | null;
    declare operatorId: number | null;
    declare reason: string | null;
    declare at: Date;
  }
  CouponEvent.init(
    {
      id: id(),
      couponId: ref('couponId', false),
      type: { type: DataTypes.STRING(24), allowNull: false },
      orderId: ref('orderId'),
      refundId: ref('refundId'),
      operatorId: ref('operatorId'),
      reason: DataTypes.STRING(255),
      at: time(false),
    },
    { sequelize, tableName: 'coupon_events', timestamps: false, underscored: true },
  );

  /** How many coupons of a template were issued on one business day (per-day limit). */
  class CouponDailyCount extends Model<InferAttributes<CouponDailyCount>, InferCreationAttributes<CouponDailyCount>> {
    declare templateId: number;
    declare day: string;
    declare issued: number;
  }
  CouponDailyCount.init(
    {
      templateId: { ...ref('templateId', false), primaryKey: true },
      day: { type: DataTypes.STRING(10), allowNull: false, primaryKey: true },
      issued: int('issued', false, 0),
    },
    { sequelize, tableName: 'coupon_daily_counts', timestamps: false, underscored: true },
  );

  /** One batch issue (a background job); `target` and `skipped` are JSON. */
  class CouponBatch extends Model<InferAttributes<CouponBatch>, InferCreationAttributes<CouponBatch>> {
    declare id: CreationOptional<number>;
    declare templateId: number;
    declare target: string;
    declare status: CreationOptional<BatchStatus>;
    declare matched: CreationOptional<number>;
    declare issued: CreationOptional<number>;
    declare skipped: CreationOptional<string | null>;
    declare taskId: CreationOptional<number | null>;
    declare createdBy: number | null;
    declare createdAt: Date;
    declare finishedAt: CreationOptional<Date | null>;
  }
  CouponBatch.init(
    {
      id: id(),
      templateId: ref('templateId', false),
      target: { type: DataTypes.TEXT('medium'), allowNull: false },
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'queued' },
      matched: int('matched', false, 0),
      issued: int('issued', false, 0),
      skipped: DataTypes.TEXT,
      taskId: ref('taskId'),
      createdBy: ref('createdBy'),
      createdAt: time(false),
      finishedAt: time(),
    },
    { sequelize, tableName: 'coupon_batches', timestamps: false, underscored: true },
  );

  /** The SMS codes of the self-claim page; the shape of registration_codes. */
  class CouponClaimCode extends Model<InferAttributes<CouponClaimCode>, InferCreationAttributes<CouponClaimCode>> {
    declare id: CreationOptional<number>;
    declare templateId: number;
    declare phoneBidx: string;
    declare codeHash: string;
    declare attempts: CreationOptional<number>;
    declare expiresAt: Date;
    declare usedAt: Date | null;
    declare ip: string | null;
    declare createdAt: Date;
  }
  CouponClaimCode.init(
    {
      id: id(),
      templateId: ref('templateId', false),
      phoneBidx: { type: DataTypes.CHAR(64), allowNull: false },
      codeHash: { type: DataTypes.CHAR(64), allowNull: false },
      attempts: int('attempts', false, 0),
      expiresAt: time(false),
      usedAt: time(),
      ip: DataTypes.STRING(45),
      createdAt: time(false),
    },
    { sequelize, tableName: 'coupon_claim_codes', timestamps: false, underscored: true },
  );

  return { CouponTemplate, Coupon, CouponRedemption, CouponEvent, CouponDailyCount, CouponBatch, CouponClaimCode };
}

export type CouponModels = ReturnType<typeof defineCouponModels>;
export type TemplateRecord = InstanceType<CouponModels['CouponTemplate']>;
export type CouponRecord = InstanceType<CouponModels['Coupon']>;
export type RedemptionRecord = InstanceType<CouponModels['CouponRedemption']>;
export type CouponEventRecord = InstanceType<CouponModels['CouponEvent']>;
export type BatchRecord = InstanceType<CouponModels['CouponBatch']>;
export type ClaimCodeRecord = InstanceType<CouponModels['CouponClaimCode']>;
