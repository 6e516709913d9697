import { DataTypes, type Model, type ModelAttributeColumnOptions } from 'sequelize';

/**
 * Model attributes that read as JavaScript numbers. mysql2 returns BIGINT (fen, points)
 * and BIGINT UNSIGNED ids as strings; every amount Huiji keeps stays far below 2^53, so
 * the getter turns them into numbers on both databases.
 */
export function numberColumn(name: string, options: { allowNull?: boolean; defaultValue?: number; type?: 'bigint' | 'integer' } = {}): ModelAttributeColumnOptions {
  const allowNull = options.allowNull ?? false;
  return {
    type: options.type === 'integer' ? DataTypes.INTEGER : DataTypes.BIGINT,
    allowNull,
    ...(options.defaultValue === undefined ? {} : { defaultValue: options.defaultValue }),
    get(this: Model) {
      const value = this.getDataValue(name) as unknown;
      return value === null || value === undefined ? null : Number(value);
    },
  };
}

/** An amount that starts at zero (refunded so far, points used). */
export const zeroColumn = (name: string) => numberColumn(name, { defaultValue: 0 });

/** A reference to another row's id; nullable unless told otherwise. */
export const refAttribute = (name: string, allowNull = true) => numberColumn(name, { allowNull, type: 'integer' });

export function idAttribute(): ModelAttributeColumnOptions {
  return { ...numberColumn('id', { type: 'integer' }), primaryKey: true, autoIncrement: true };
}
