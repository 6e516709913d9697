import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

// BIGINT and MySQL's BIGINT UNSIGNED ids come back from mysql2 as strings past 2^53 (or
// always, for some column types); points stay far below that, so the getters read numbers.
function numberGetter<M extends Model>(name: string, nullable: boolean) {
  return function get(this: M) {
    const value = this.getDataValue(name as never) as unknown;
    return nullable && (value === null || value === undefined) ? null : Number(value);
  };
}
const id = (name = 'id') => ({ type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, get: numberGetter(name, false) });
const big = (name: string) => ({ type: DataTypes.BIGINT, allowNull: false, get: numberGetter(name, false) });
const ref = (name: string, allowNull = true) => ({ type: DataTypes.INTEGER, allowNull, get: numberGetter(name, allowNull) });

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
      sourceId: { type: DataTypes.BIGINT, allowNull: true, get: numberGetter('sourceId', true) },
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
      sourceId: { type: DataTypes.BIGINT, allowNull: true, get: numberGetter('sourceId', true) },
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
