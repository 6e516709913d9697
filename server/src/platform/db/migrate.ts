import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { QueryInterface, Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug, type MigrationFn } from 'umzug';
import type { Logger } from '../logger/index.js';
import { withMigrationLock } from './migration-lock.js';

export type Migration = MigrationFn<MigrationContext>;

export interface MigrationContext {
  queryInterface: QueryInterface;
  sequelize: Sequelize;
}

const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');
export const MIGRATIONS_TABLE = 'huiji_migrations';

function createUmzug(sequelize: Sequelize, logger?: Logger) {
  return new Umzug<MigrationContext>({
    migrations: {
      glob: ['*.{js,ts}', { cwd: MIGRATIONS_DIR, ignore: ['*.d.ts'] }],
      // The same migration is named alike whether run from .ts sources or compiled .js.
      resolve: ({ name, path: file, context }) => {
        const load = async () =>
          (await import(pathToFileURL(file as string).href)) as { up: Migration; down?: Migration };
        return {
          name: name.replace(/\.(js|ts)$/, ''),
          up: async () => (await load()).up({ name, path: file, context }),
          down: async () => {
            const { down } = await load();
            if (!down) throw new Error(`Migration ${name} cannot be reverted`);
            return down({ name, path: file, context });
          },
        };
      },
    },
    context: { queryInterface: sequelize.getQueryInterface(), sequelize },
    storage: new SequelizeStorage({ sequelize, tableName: MIGRATIONS_TABLE }),
    logger: logger
      ? {
          info: (event) => logger.info('migration', event),
          warn: (event) => logger.warn('migration', event),
          error: (event) => logger.error('migration', event),
          debug: (event) => logger.debug('migration', event),
        }
      : undefined,
  });
}

export async function runMigrations(sequelize: Sequelize, logger?: Logger): Promise<string[]> {
  return withMigrationLock(sequelize, async () => {
    const applied = await createUmzug(sequelize, logger).up();
    return applied.map((migration) => migration.name);
  });
}

export async function revertAllMigrations(sequelize: Sequelize, logger?: Logger): Promise<void> {
  await withMigrationLock(sequelize, async () => {
    await createUmzug(sequelize, logger).down({ to: 0 });
  });
}

export async function revertLastMigration(sequelize: Sequelize, logger?: Logger): Promise<string | null> {
  return withMigrationLock(sequelize, async () => {
    const [reverted] = await createUmzug(sequelize, logger).down();
    return reverted?.name ?? null;
  });
}

export async function migrationStatus(sequelize: Sequelize): Promise<{ applied: number; pending: number }> {
  const umzug = createUmzug(sequelize);
  const [executed, pending] = await Promise.all([umzug.executed(), umzug.pending()]);
  return { applied: executed.length, pending: pending.length };
}
