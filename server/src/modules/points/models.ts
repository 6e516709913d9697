import { idAttribute, numberColumn, refAttribute } from '../../platform/db/number-columns.js';
import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

const id = idAttribute;
const big = (name: string) => numberColumn(name);
const ref = refAttribute;

export function definePointModels(sequelize: Sequelize) {
  /** What is left of one earning, and when it expires (null: never). */
  class PointLot extends Model<InferAttributes<PointLot>, InferCreationAttributes<PointLot>> {
    declare id: CreationOptional<number>;
    declare memberId: number;
    declare sourceType: string;
    declare sourceId: number | null;
    declare amount: number;
    declare remaining: number;
    declare earnedAt: Date;
    declare expiresAt: Date | null;
    declare expiryNotifiedAt: CreationOptional<Date | null>;
    declare createdAt: Date;
  }
  PointLot.init(
    {
      id: id(),
      memberId: ref('memberId', false),
      sourceType: { type: DataTypes.STRING(24), allowNull: false },
      sourceId: numberColumn('sourceId', { allowNull: true }),
      amount: big('amount'),
      remaining: big('remaining'),
      earnedAt: { type: DataTypes.DATE(3), allowNull: false },
      expiresAt: DataTypes.DATE(3),
      expiryNotifiedAt: DataTypes.DATE(3),
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { sequelize, tableName: 'point_lots', timestamps: false, underscored: true },
  );

  /** One change of one member's balance (per lot touched), with the balance after it. */
  class PointLedgerEntry extends Model<InferAttributes<PointLedgerEntry>, InferCreationAttributes<PointLedgerEntry>> {
    declare id: CreationOptional<number>;
    declare memberId: number;
    declare lotId: number | null;
    declare kind: string;
    declare sourceType: string;
    declare sourceId: number | null;
    declare delta: number;
    declare balanceAfter: number;
    declare storeId: number | null;
    declare operatorId: number | null;
    declare reason: string | null;
    declare createdAt: Date;
  }
  PointLedgerEntry.init(
    {
      id: id(),
      memberId: ref('memberId', false),
      lotId: ref('lotId'),
      kind: { type: DataTypes.STRING(24), allowNull: false },
      sourceType: { type: DataTypes.STRING(24), allowNull: false },
      sourceId: numberColumn('sourceId', { allowNull: true }),
      delta: big('delta'),
      balanceAfter: big('balanceAfter'),
      storeId: ref('storeId'),
      operatorId: ref('operatorId'),
      reason: DataTypes.STRING(255),
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { sequelize, tableName: 'point_ledger', timestamps: false, underscored: true },
  );

  return { PointLot, PointLedgerEntry };
}

export type PointModels = ReturnType<typeof definePointModels>;
export type PointLotRecord = InstanceType<PointModels['PointLot']>;
export type PointLedgerRecord = InstanceType<PointModels['PointLedgerEntry']>;
