import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

export type DataScope = 'all' | 'assigned' | 'own';

function defineRole(sequelize: Sequelize) {
  class Role extends Model<InferAttributes<Role>, InferCreationAttributes<Role>> {
    declare id: CreationOptional<number>;
    declare code: string;
    declare nameZh: string;
    declare nameEn: string;
    declare builtin: boolean;
    /** A JSON array of permission codes. */
    declare permissions: string;
    declare dataScope: DataScope;
    /** A JSON RoleFieldPolicy; null for a role made before field policies existed. */
    declare fieldPolicy: string | null;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;
  }
  Role.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      code: { type: DataTypes.STRING(64), allowNull: false },
      nameZh: { type: DataTypes.STRING(64), allowNull: false },
      nameEn: { type: DataTypes.STRING(64), allowNull: false },
      builtin: { type: DataTypes.BOOLEAN, allowNull: false },
      permissions: { type: DataTypes.TEXT, allowNull: false },
      dataScope: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'assigned' },
      fieldPolicy: { type: DataTypes.TEXT, allowNull: true },
      createdAt: DataTypes.DATE(3),
      updatedAt: DataTypes.DATE(3),
    },
    { sequelize, tableName: 'roles', timestamps: true },
  );
  return Role;
}

function defineUserStore(sequelize: Sequelize) {
  class UserStore extends Model<InferAttributes<UserStore>, InferCreationAttributes<UserStore>> {
    declare userId: number;
    declare storeId: number;
  }
  UserStore.init(
    {
      userId: { type: DataTypes.INTEGER, primaryKey: true },
      storeId: { type: DataTypes.INTEGER, primaryKey: true },
    },
    { sequelize, tableName: 'user_stores' },
  );
  return UserStore;
}

function defineApiKey(sequelize: Sequelize) {
  class ApiKey extends Model<InferAttributes<ApiKey>, InferCreationAttributes<ApiKey>> {
    declare id: CreationOptional<number>;
    declare name: string;
    declare prefix: string;
    declare secretHash: string;
    /** A JSON array of permission codes. */
    declare scopes: string;
    declare storeId: number | null;
    declare rateLimitPerMinute: number;
    declare createdBy: number;
    declare createdAt: Date;
    declare expiresAt: Date | null;
    declare lastUsedAt: CreationOptional<Date | null>;
    declare revokedAt: CreationOptional<Date | null>;
  }
  ApiKey.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      name: { type: DataTypes.STRING(64), allowNull: false },
      prefix: { type: DataTypes.CHAR(8), allowNull: false },
      secretHash: { type: DataTypes.CHAR(64), allowNull: false },
      scopes: { type: DataTypes.TEXT, allowNull: false },
      storeId: DataTypes.INTEGER,
      rateLimitPerMinute: { type: DataTypes.INTEGER, allowNull: false },
      createdBy: { type: DataTypes.INTEGER, allowNull: false },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      expiresAt: DataTypes.DATE(3),
      lastUsedAt: DataTypes.DATE(3),
      revokedAt: DataTypes.DATE(3),
    },
    { sequelize, tableName: 'api_keys' },
  );
  return ApiKey;
}

function defineApiKeyUsage(sequelize: Sequelize) {
  class ApiKeyUsage extends Model<InferAttributes<ApiKeyUsage>, InferCreationAttributes<ApiKeyUsage>> {
    declare apiKeyId: number;
    declare windowStart: Date;
    declare requests: number;
  }
  ApiKeyUsage.init(
    {
      apiKeyId: { type: DataTypes.INTEGER, primaryKey: true },
      windowStart: { type: DataTypes.DATE(3), primaryKey: true },
      requests: { type: DataTypes.INTEGER, allowNull: false },
    },
    { sequelize, tableName: 'api_key_usage' },
  );
  return ApiKeyUsage;
}

function defineUserRole(sequelize: Sequelize) {
  class UserRole extends Model<InferAttributes<UserRole>, InferCreationAttributes<UserRole>> {
    declare userId: number;
    declare roleId: number;
  }
  UserRole.init(
    {
      userId: { type: DataTypes.INTEGER, primaryKey: true },
      roleId: { type: DataTypes.INTEGER, primaryKey: true },
    },
    { sequelize, tableName: 'user_roles' },
  );
  return UserRole;
}

export function defineAccessModels(sequelize: Sequelize) {
  return {
    Role: defineRole(sequelize),
    UserRole: defineUserRole(sequelize),
    UserStore: defineUserStore(sequelize),
    ApiKey: defineApiKey(sequelize),
    ApiKeyUsage: defineApiKeyUsage(sequelize),
  };
}

export type AccessModels = ReturnType<typeof defineAccessModels>;

export type RoleRecord = InstanceType<AccessModels['Role']>;
export type ApiKeyRecord = InstanceType<AccessModels['ApiKey']>;
