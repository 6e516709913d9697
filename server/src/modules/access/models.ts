import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

function defineRole(sequelize: Sequelize) {
  class Role extends Model<InferAttributes<Role>, InferCreationAttributes<Role>> {
    declare id: CreationOptional<number>;
    declare code: string;
    declare nameZh: string;
    declare nameEn: string;
    declare builtin: boolean;
    /** A JSON array of permission codes. */
    declare permissions: string;
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
      createdAt: DataTypes.DATE(3),
      updatedAt: DataTypes.DATE(3),
    },
    { sequelize, tableName: 'roles', timestamps: true },
  );
  return Role;
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
  return { Role: defineRole(sequelize), UserRole: defineUserRole(sequelize) };
}

export type AccessModels = ReturnType<typeof defineAccessModels>;
