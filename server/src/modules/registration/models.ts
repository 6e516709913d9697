import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

export type ChannelStatus = 'active' | 'paused';

/** The built-in member fields a channel may ask for besides the phone; see CONTEXT.md. */
export const CHANNEL_BUILTIN_FIELDS = ['name', 'nickname', 'gender', 'birthday', 'region', 'email'] as const;
export type ChannelBuiltinField = (typeof CHANNEL_BUILTIN_FIELDS)[number];

export function defineRegistrationModels(sequelize: Sequelize) {
  class RegistrationChannel extends Model<InferAttributes<RegistrationChannel>, InferCreationAttributes<RegistrationChannel>> {
    declare id: CreationOptional<number>;
    declare code: string;
    declare name: string;
    declare storeId: number;
    declare status: CreationOptional<ChannelStatus>;
    declare privacyNotice: string;
    declare consentText: string;
    /** JSON list of ChannelBuiltinField; read it through `channelFields`. */
    declare fields: string;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;
  }
  RegistrationChannel.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      code: { type: DataTypes.STRING(32), allowNull: false },
      name: { type: DataTypes.STRING(64), allowNull: false },
      storeId: { type: DataTypes.INTEGER, allowNull: false },
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'active' },
      privacyNotice: { type: DataTypes.TEXT, allowNull: false },
      consentText: { type: DataTypes.STRING(500), allowNull: false },
      fields: { type: DataTypes.TEXT, allowNull: false },
      createdAt: DataTypes.DATE(3),
      updatedAt: DataTypes.DATE(3),
    },
    { sequelize, tableName: 'registration_channels', timestamps: true },
  );

  class RegistrationCode extends Model<InferAttributes<RegistrationCode>, InferCreationAttributes<RegistrationCode>> {
    declare id: CreationOptional<number>;
    declare channelId: number;
    declare phoneBidx: string;
    declare codeHash: string;
    declare attempts: CreationOptional<number>;
    declare expiresAt: Date;
    declare usedAt: Date | null;
    declare ip: string | null;
    declare createdAt: Date;
  }
  RegistrationCode.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      channelId: { type: DataTypes.INTEGER, allowNull: false },
      phoneBidx: { type: DataTypes.CHAR(64), allowNull: false },
      codeHash: { type: DataTypes.CHAR(64), allowNull: false },
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      expiresAt: { type: DataTypes.DATE(3), allowNull: false },
      usedAt: DataTypes.DATE(3),
      ip: DataTypes.STRING(45),
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { sequelize, tableName: 'registration_codes' },
  );
  return { RegistrationChannel, RegistrationCode };
}

export type RegistrationModels = ReturnType<typeof defineRegistrationModels>;
export type ChannelRecord = InstanceType<RegistrationModels['RegistrationChannel']>;
export type CodeRecord = InstanceType<RegistrationModels['RegistrationCode']>;

/** A channel's built-in form fields, in the stored order. */
export function channelFields(channel: Pick<ChannelRecord, 'fields'>): ChannelBuiltinField[] {
  const parsed = JSON.parse(channel.fields) as unknown;
  return Array.isArray(parsed) ? parsed.filter((key): key is ChannelBuiltinField => (CHANNEL_BUILTIN_FIELDS as readonly string[]).includes(key)) : [];
}
