import { DataTypes, type ModelAttributeColumnOptions, type QueryInterfaceCreateTableOptions, type Sequelize } from 'sequelize';
import { dialectOf } from './connect.js';

/**
 * Column shapes shared by migrations, so both dialects get the same meaning:
 * SQLite only auto-increments an INTEGER PRIMARY KEY, MySQL gets BIGINT UNSIGNED.
 */
export function idColumn(sequelize: Sequelize): ModelAttributeColumnOptions {
  return {
    type: dialectOf(sequelize) === 'mysql' ? DataTypes.BIGINT.UNSIGNED : DataTypes.INTEGER,
    primaryKey: true,
    autoIncrement: true,
    allowNull: false,
  };
}

export function refColumn(sequelize: Sequelize, options: Partial<ModelAttributeColumnOptions> = {}): ModelAttributeColumnOptions {
  return {
    type: dialectOf(sequelize) === 'mysql' ? DataTypes.BIGINT.UNSIGNED : DataTypes.INTEGER,
    allowNull: false,
    ...options,
  };
}

/** Millisecond precision in UTC; Sequelize converts with the connection's +00:00 zone. */
export function timeColumn(allowNull = false): ModelAttributeColumnOptions {
  return { type: DataTypes.DATE(3), allowNull };
}

export const TABLE_OPTIONS: QueryInterfaceCreateTableOptions = {
  charset: 'utf8mb4',
  collate: 'utf8mb4_unicode_ci',
  engine: 'InnoDB',
};
