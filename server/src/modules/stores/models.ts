import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

export type StoreStatus = 'open' | 'closed';

export function defineStoreModels(sequelize: Sequelize) {
  class Store extends Model<InferAttributes<Store>, InferCreationAttributes<Store>> {
    declare id: CreationOptional<number>;
    declare code: string;
    declare name: string;
    declare region: string | null;
    declare address: string | null;
    declare phone: string | null;
    declare status: CreationOptional<StoreStatus>;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;
  }
  Store.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      code: { type: DataTypes.STRING(32), allowNull: false },
      name: { type: DataTypes.STRING(64), allowNull: false },
      region: DataTypes.STRING(64),
      address: DataTypes.STRING(255),
      phone: DataTypes.STRING(32),
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'open' },
      createdAt: DataTypes.DATE(3),
      updatedAt: DataTypes.DATE(3),
    },
    { sequelize, tableName: 'stores', timestamps: true },
  );
  return { Store };
}

export type StoreModels = ReturnType<typeof defineStoreModels>;
export type StoreRecord = InstanceType<StoreModels['Store']>;
