import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

export type ActorType = 'user' | 'api_key' | 'system' | 'anonymous';
export type AuditResult = 'success' | 'failure' | 'denied';

function defineAuditLog(sequelize: Sequelize) {
  class AuditLog extends Model<InferAttributes<AuditLog>, InferCreationAttributes<AuditLog>> {
    declare id: CreationOptional<number>;
    declare uid: string;
    declare occurredAt: Date;
    declare actorType: ActorType;
    declare actorId: number | null;
    declare actorName: string | null;
    declare actorRoles: string | null;
    declare storeId: number | null;
    declare ip: string | null;
    declare userAgent: string | null;
    declare requestId: string | null;
    declare action: string;
    declare entityType: string | null;
    declare entityId: string | null;
    declare result: AuditResult;
    declare summary: string;
    declare diff: string | null;
    declare mac: string;
  }
  AuditLog.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      uid: { type: DataTypes.CHAR(32), allowNull: false },
      occurredAt: { type: DataTypes.DATE(3), allowNull: false },
      actorType: { type: DataTypes.STRING(16), allowNull: false },
      actorId: DataTypes.INTEGER,
      actorName: DataTypes.STRING(64),
      actorRoles: DataTypes.STRING(255),
      storeId: DataTypes.INTEGER,
      ip: DataTypes.STRING(45),
      userAgent: DataTypes.STRING(255),
      requestId: DataTypes.STRING(64),
      action: { type: DataTypes.STRING(64), allowNull: false },
      entityType: DataTypes.STRING(32),
      entityId: DataTypes.STRING(64),
      result: { type: DataTypes.STRING(16), allowNull: false },
      summary: { type: DataTypes.STRING(500), allowNull: false },
      diff: DataTypes.TEXT,
      mac: { type: DataTypes.CHAR(64), allowNull: false },
    },
    { sequelize, tableName: 'audit_logs' },
  );
  return AuditLog;
}

function defineAuditChain(sequelize: Sequelize) {
  class AuditChain extends Model<InferAttributes<AuditChain>, InferCreationAttributes<AuditChain>> {
    declare seq: number;
    declare recordId: number;
    declare prevHash: string;
    declare hash: string;
    declare sealedAt: Date;
  }
  AuditChain.init(
    {
      seq: { type: DataTypes.INTEGER, primaryKey: true },
      recordId: { type: DataTypes.INTEGER, allowNull: false },
      prevHash: { type: DataTypes.CHAR(64), allowNull: false },
      hash: { type: DataTypes.CHAR(64), allowNull: false },
      sealedAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { sequelize, tableName: 'audit_chain' },
  );
  return AuditChain;
}

function defineAuditCheckpoint(sequelize: Sequelize) {
  class AuditCheckpoint extends Model<InferAttributes<AuditCheckpoint>, InferCreationAttributes<AuditCheckpoint>> {
    declare id: CreationOptional<number>;
    declare kind: 'periodic' | 'purge';
    declare seqTo: number;
    declare chainHash: string;
    declare purgedBefore: Date | null;
    declare createdAt: Date;
    declare keyId: string;
    declare signature: string;
  }
  AuditCheckpoint.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      kind: { type: DataTypes.STRING(16), allowNull: false },
      seqTo: { type: DataTypes.INTEGER, allowNull: false },
      chainHash: { type: DataTypes.CHAR(64), allowNull: false },
      purgedBefore: DataTypes.DATE(3),
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      keyId: { type: DataTypes.STRING(16), allowNull: false },
      signature: { type: DataTypes.TEXT, allowNull: false },
    },
    { sequelize, tableName: 'audit_checkpoints' },
  );
  return AuditCheckpoint;
}

export function defineAuditModels(sequelize: Sequelize) {
  return {
    AuditLog: defineAuditLog(sequelize),
    AuditChain: defineAuditChain(sequelize),
    AuditCheckpoint: defineAuditCheckpoint(sequelize),
  };
}

export type AuditModels = ReturnType<typeof defineAuditModels>;
export type AuditLogRecord = InstanceType<AuditModels['AuditLog']>;
