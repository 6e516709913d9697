import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DataTypes, type QueryInterface, type Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug, type MigrationFn } from 'umzug';
import type { Logger } from '../logger/index.js';
import { ensureAuditGuards } from '../../migrations/routines/audit-guards.js';
import { ensureAuditPurgeRoutine } from '../../migrations/routines/audit-purge.js';
import { withMigrationLock } from './migration-lock.js';

export type Migration = MigrationFn<MigrationContext>;

export interface MigrationContext {
  queryInterface: QueryInterface;
  sequelize: Sequelize;
}

const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');
export const MIGRATIONS_TABLE = 'huiji_migrations';
/** `20261123100000-create-users.ts` (or .js); the routines/ folder and declarations are not migrations. */
const MIGRATION_FILE = /^\d{14}-[^.]+\.(js|ts)$/;

interface ListedMigration {
  name: string;
  up: () => Promise<unknown>;
  down: () => Promise<unknown>;
}

/**
 * Stored routines and triggers are code: put in place from this release after every
 * migration run (and so after every restore, which ends with one) rather than carried in
 * backups.
 */
async function ensureRoutines(sequelize: Sequelize): Promise<void> {
  await ensureAuditGuards(sequelize);
  await ensureAuditPurgeRoutine(sequelize);
}

/** The migration names this release knows, in order; a backup naming others comes from a newer Huiji. */
export function knownMigrations(): string[] {
  return fs
    .readdirSync(MIGRATIONS_DIR)
    .filter((file) => MIGRATION_FILE.test(file))
    .map((file) => file.replace(/\.(js|ts)$/, ''))
    .sort();
}

function listMigrations(context: MigrationContext): ListedMigration[] {
  const files = fs.readdirSync(MIGRATIONS_DIR).filter((file) => MIGRATION_FILE.test(file));
  // The same migration is named alike whether run from .ts sources or compiled .js.
  const migrations: ListedMigration[] = files.sort().map((file) => {
    const full = path.join(MIGRATIONS_DIR, file);
    const name = file.replace(/\.(js|ts)$/, '');
    const load = async () => (await import(pathToFileURL(full).href)) as { up: Migration; down?: Migration };
    return {
      name,
      up: async () => (await load()).up({ name, path: full, context }),
      down: async () => {
        const { down } = await load();
        if (!down) throw new Error(`Migration ${name} cannot be reverted`);
        return down({ name, path: full, context });
      },
    };
  });
  const injected = process.env.HUIJI_INJECT_FAILING_MIGRATION;
  if (injected) migrations.push(failingMigration(injected, context));
  return migrations;
}

/**
 * For the upgrade and restore tests only: a last migration that changes the schema and
 * then fails, as a real broken migration on MySQL would (DDL cannot be rolled back there).
 */
function failingMigration(name: string, context: MigrationContext): ListedMigration {
  return {
    name,
    up: async () => {
      await context.queryInterface.createTable('injected_failure_probe', { id: { type: DataTypes.INTEGER, primaryKey: true } });
      throw new Error(`injected failure in migration ${name} (HUIJI_INJECT_FAILING_MIGRATION)`);
    },
    down: async () => context.queryInterface.dropTable('injected_failure_probe'),
  };
}

function createUmzug(sequelize: Sequelize, logger?: Logger) {
  const context: MigrationContext = { queryInterface: sequelize.getQueryInterface(), sequelize };
  return new Umzug<MigrationContext>({
    migrations: listMigrations(context),
    context,
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
    await ensureRoutines(sequelize);
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
