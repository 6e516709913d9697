import { idAttribute, refAttribute, zeroColumn } from '../../platform/db/number-columns.js';
import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

export type MemberStatus = 'normal' | 'frozen' | 'erased';
export type Gender = 'male' | 'female' | 'other';
export const CONSENT_CHANNELS = ['sms', 'email', 'wechat'] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];

export function defineMemberModels(sequelize: Sequelize) {
  class Member extends Model<InferAttributes<Member>, InferCreationAttributes<Member>> {
    declare id: CreationOptional<number>;
    declare cardNo: string | null;
    declare name: string | null;
    declare nickname: string | null;
    declare gender: Gender | null;
    /** YYYY-MM-DD. */
    declare birthday: string | null;
    declare birthMonth: number | null;
    /** A division code from element-china-area-data: province (2), city (4) or district (6 digits). */
    declare region: string | null;
    declare phoneEnc: string | null;
    declare phoneBidx: string | null;
    declare phoneLast4: string | null;
    declare emailEnc: string | null;
    declare emailBidx: string | null;
    declare wechatId: string | null;
    declare idNumberEnc: string | null;
    declare idNumberBidx: string | null;
    declare status: CreationOptional<MemberStatus>;
    declare frozenReason: string | null;
    declare frozenAt: Date | null;
    declare homeStoreId: number;
    declare channel: string | null;
    declare referrerId: number | null;
    declare managerId: number | null;
    declare registeredAt: Date;
    declare lastVisitAt: Date | null;
    declare notes: string | null;
    declare pointsBalance: CreationOptional<number>;
    declare storedValueBalance: CreationOptional<number>;
    /** Stored value by bucket; storedValueBalance is their sum, kept for sorting and filters. */
    declare walletPrincipal: CreationOptional<number>;
    declare walletBonus: CreationOptional<number>;
    declare walletPinHash: CreationOptional<string | null>;
    declare walletPinFailures: CreationOptional<number>;
    declare walletPinLockedUntil: CreationOptional<Date | null>;
    declare totalSpent: CreationOptional<number>;
    declare tierId: number | null;
    /** JSON object of custom field values by field key. */
    declare custom: string | null;
    declare erasedAt: Date | null;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;
  }
  const bigint = zeroColumn;
  const ref = refAttribute;
  Member.init(
    {
      id: idAttribute(),
      cardNo: DataTypes.STRING(32),
      name: DataTypes.STRING(64),
      nickname: DataTypes.STRING(64),
      gender: DataTypes.STRING(8),
      birthday: DataTypes.DATEONLY,
      birthMonth: DataTypes.TINYINT,
      region: DataTypes.STRING(12),
      phoneEnc: DataTypes.STRING(255),
      phoneBidx: DataTypes.CHAR(64),
      phoneLast4: DataTypes.CHAR(4),
      emailEnc: DataTypes.STRING(512),
      emailBidx: DataTypes.CHAR(64),
      wechatId: DataTypes.STRING(64),
      idNumberEnc: DataTypes.STRING(255),
      idNumberBidx: DataTypes.CHAR(64),
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'normal' },
      frozenReason: DataTypes.STRING(200),
      frozenAt: DataTypes.DATE(3),
      homeStoreId: ref('homeStoreId', false),
      channel: DataTypes.STRING(32),
      referrerId: ref('referrerId'),
      managerId: ref('managerId'),
      registeredAt: { type: DataTypes.DATE(3), allowNull: false },
      lastVisitAt: DataTypes.DATE(3),
      notes: DataTypes.TEXT,
      pointsBalance: bigint('pointsBalance'),
      storedValueBalance: bigint('storedValueBalance'),
      walletPrincipal: bigint('walletPrincipal'),
      walletBonus: bigint('walletBonus'),
      walletPinHash: DataTypes.STRING(255),
      walletPinFailures: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      walletPinLockedUntil: DataTypes.DATE(3),
      totalSpent: bigint('totalSpent'),
      tierId: DataTypes.INTEGER,
      custom: DataTypes.TEXT,
      erasedAt: DataTypes.DATE(3),
      createdAt: DataTypes.DATE(3),
      updatedAt: DataTypes.DATE(3),
    },
    { sequelize, tableName: 'members', timestamps: true, underscored: true },
  );
  class MemberConsent extends Model<InferAttributes<MemberConsent>, InferCreationAttributes<MemberConsent>> {
    declare id: CreationOptional<number>;
    declare memberId: number;
    declare channel: ConsentChannel;
    declare granted: boolean;
    /** Where the member said so: counter, self_registration, import, api, console. */
    declare source: string;
    declare actorUserId: number | null;
    declare occurredAt: Date;
  }
  MemberConsent.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      memberId: { type: DataTypes.INTEGER, allowNull: false },
      channel: { type: DataTypes.STRING(16), allowNull: false },
      granted: {
        type: DataTypes.BOOLEAN,
        allowNull: false,
        get(this: MemberConsent) {
          return Boolean(this.getDataValue('granted'));
        },
      },
      source: { type: DataTypes.STRING(32), allowNull: false },
      actorUserId: DataTypes.INTEGER,
      occurredAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { sequelize, tableName: 'member_consents', timestamps: false, underscored: true },
  );
  class MemberField extends Model<InferAttributes<MemberField>, InferCreationAttributes<MemberField>> {
    declare id: CreationOptional<number>;
    declare fieldKey: string;
    /** JSON of the form engine's CustomFieldDefinition. */
    declare definition: string;
    declare retired: CreationOptional<boolean>;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;
  }
  MemberField.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      fieldKey: { type: DataTypes.STRING(64), allowNull: false },
      definition: { type: DataTypes.TEXT, allowNull: false },
      retired: {
        type: DataTypes.BOOLEAN,
        allowNull: false,
        defaultValue: false,
        get(this: MemberField) {
          return Boolean(this.getDataValue('retired'));
        },
      },
      createdAt: DataTypes.DATE(3),
      updatedAt: DataTypes.DATE(3),
    },
    { sequelize, tableName: 'member_fields', timestamps: true, underscored: true },
  );

  class MemberCustomValue extends Model<InferAttributes<MemberCustomValue>, InferCreationAttributes<MemberCustomValue>> {
    declare id: CreationOptional<number>;
    declare memberId: number;
    declare fieldKey: string;
    declare value: string;
    declare uniqueKey: string | null;
  }
  MemberCustomValue.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      memberId: { type: DataTypes.INTEGER, allowNull: false },
      fieldKey: { type: DataTypes.STRING(64), allowNull: false },
      value: { type: DataTypes.STRING(255), allowNull: false },
      uniqueKey: DataTypes.STRING(64),
    },
    { sequelize, tableName: 'member_custom_values', timestamps: false, underscored: true },
  );
  class MemberView extends Model<InferAttributes<MemberView>, InferCreationAttributes<MemberView>> {
    declare id: CreationOptional<number>;
    declare ownerUserId: number;
    declare name: string;
    /** JSON of the list's filters and sort (the member query without paging). */
    declare query: string;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;
  }
  MemberView.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      ownerUserId: { type: DataTypes.INTEGER, allowNull: false },
      name: { type: DataTypes.STRING(64), allowNull: false },
      query: { type: DataTypes.TEXT, allowNull: false },
      createdAt: DataTypes.DATE(3),
      updatedAt: DataTypes.DATE(3),
    },
    { sequelize, tableName: 'member_views', timestamps: true, underscored: true },
  );
  return { Member, MemberConsent, MemberField, MemberCustomValue, MemberView };
}

export type MemberModels = ReturnType<typeof defineMemberModels>;
export type MemberRecord = InstanceType<MemberModels['Member']>;
export type MemberConsentRecord = InstanceType<MemberModels['MemberConsent']>;
