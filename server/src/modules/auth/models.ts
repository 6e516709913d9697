import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

export type UserStatus = 'active' | 'disabled';

export interface AuthModels {
  User: ReturnType<typeof defineUser>;
  Session: ReturnType<typeof defineSession>;
  PasswordHistory: ReturnType<typeof definePasswordHistory>;
  AuthThrottle: ReturnType<typeof defineAuthThrottle>;
  LoginNonce: ReturnType<typeof defineLoginNonce>;
}

// Ids are numbers: MySQL's BIGINT UNSIGNED comes back as a number while below 2^53.
const id = { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true };
const ref = { type: DataTypes.INTEGER, allowNull: false };

function defineUser(sequelize: Sequelize) {
  class User extends Model<InferAttributes<User>, InferCreationAttributes<User>> {
    declare id: CreationOptional<number>;
    declare username: string;
    declare displayName: string;
    declare passwordHash: string;
    declare mustChangePassword: boolean;
    declare status: CreationOptional<UserStatus>;
    declare locale: CreationOptional<string>;
    declare passwordChangedAt: Date | null;
    declare lastLoginAt: CreationOptional<Date | null>;
    declare lastLoginIp: CreationOptional<string | null>;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;
  }
  User.init(
    {
      id,
      username: { type: DataTypes.STRING(64), allowNull: false },
      displayName: { type: DataTypes.STRING(64), allowNull: false },
      passwordHash: { type: DataTypes.STRING(255), allowNull: false },
      mustChangePassword: { type: DataTypes.BOOLEAN, allowNull: false },
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'active' },
      locale: { type: DataTypes.STRING(8), allowNull: false, defaultValue: 'zh-CN' },
      passwordChangedAt: { type: DataTypes.DATE(3), allowNull: true },
      lastLoginAt: { type: DataTypes.DATE(3), allowNull: true },
      lastLoginIp: { type: DataTypes.STRING(45), allowNull: true },
      createdAt: DataTypes.DATE(3),
      updatedAt: DataTypes.DATE(3),
    },
    { sequelize, tableName: 'users', timestamps: true },
  );
  return User;
}

function defineSession(sequelize: Sequelize) {
  class Session extends Model<InferAttributes<Session>, InferCreationAttributes<Session>> {
    declare id: CreationOptional<number>;
    declare userId: number;
    declare tokenHash: string;
    declare ip: string | null;
    declare userAgent: string | null;
    declare createdAt: Date;
    declare lastSeenAt: Date;
    declare expiresAt: Date;
    declare revokedAt: CreationOptional<Date | null>;
    declare revokedReason: CreationOptional<string | null>;
  }
  Session.init(
    {
      id,
      userId: ref,
      tokenHash: { type: DataTypes.CHAR(64), allowNull: false },
      ip: DataTypes.STRING(45),
      userAgent: DataTypes.STRING(255),
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      lastSeenAt: { type: DataTypes.DATE(3), allowNull: false },
      expiresAt: { type: DataTypes.DATE(3), allowNull: false },
      revokedAt: DataTypes.DATE(3),
      revokedReason: DataTypes.STRING(32),
    },
    { sequelize, tableName: 'sessions' },
  );
  return Session;
}

function definePasswordHistory(sequelize: Sequelize) {
  class PasswordHistory extends Model<InferAttributes<PasswordHistory>, InferCreationAttributes<PasswordHistory>> {
    declare id: CreationOptional<number>;
    declare userId: number;
    declare passwordHash: string;
    declare createdAt: Date;
  }
  PasswordHistory.init(
    {
      id,
      userId: ref,
      passwordHash: { type: DataTypes.STRING(255), allowNull: false },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { sequelize, tableName: 'password_history' },
  );
  return PasswordHistory;
}

function defineAuthThrottle(sequelize: Sequelize) {
  class AuthThrottle extends Model<InferAttributes<AuthThrottle>, InferCreationAttributes<AuthThrottle>> {
    declare throttleKey: string;
    declare failures: number;
    declare windowStartedAt: Date;
    declare lockedUntil: Date | null;
    declare updatedAt: Date;
  }
  AuthThrottle.init(
    {
      throttleKey: { type: DataTypes.STRING(191), primaryKey: true },
      failures: { type: DataTypes.INTEGER, allowNull: false },
      windowStartedAt: { type: DataTypes.DATE(3), allowNull: false },
      lockedUntil: DataTypes.DATE(3),
      updatedAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { sequelize, tableName: 'auth_throttles' },
  );
  return AuthThrottle;
}

function defineLoginNonce(sequelize: Sequelize) {
  class LoginNonce extends Model<InferAttributes<LoginNonce>, InferCreationAttributes<LoginNonce>> {
    declare nonce: string;
    declare expiresAt: Date;
    declare usedAt: CreationOptional<Date | null>;
  }
  LoginNonce.init(
    {
      nonce: { type: DataTypes.STRING(64), primaryKey: true },
      expiresAt: { type: DataTypes.DATE(3), allowNull: false },
      usedAt: DataTypes.DATE(3),
    },
    { sequelize, tableName: 'login_nonces' },
  );
  return LoginNonce;
}

export function defineAuthModels(sequelize: Sequelize): AuthModels {
  return {
    User: defineUser(sequelize),
    Session: defineSession(sequelize),
    PasswordHistory: definePasswordHistory(sequelize),
    AuthThrottle: defineAuthThrottle(sequelize),
    LoginNonce: defineLoginNonce(sequelize),
  };
}

export type UserRecord = InstanceType<AuthModels['User']>;
