import { DataTypes } from 'sequelize';
import { TABLE_OPTIONS, timeColumn } from '../platform/db/columns.js';
import type { Migration } from '../platform/db/migrate.js';

/** Named counters (member card numbers, later order numbers); see platform/ids/sequence.ts. */
export const up: Migration = async ({ context: { queryInterface: qi } }) => {
  await qi.createTable(
    'sequences',
    {
      name: { type: DataTypes.STRING(64), primaryKey: true, allowNull: false },
      value: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      updated_at: timeColumn(),
    },
    TABLE_OPTIONS,
  );
};

export const down: Migration = async ({ context: { queryInterface: qi } }) => {
  await qi.dropTable('sequences');
};
