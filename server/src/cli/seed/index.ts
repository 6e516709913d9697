import type { Sequelize } from 'sequelize';
import { defineAccessModels } from '../../modules/access/models.js';
import { AccessService } from '../../modules/access/service.js';
import { ensureBootstrapAdmin, type BootstrapResult } from '../../modules/auth/bootstrap.js';
import { defineAuthModels } from '../../modules/auth/models.js';
import { hashPassword } from '../../modules/auth/password.js';
import { countRows, type BatchProgress } from './batch.js';
import type { SeedContext } from './context.js';
import { Random } from './random.js';
import { seedStaff } from './staff.js';
import { seedStores } from './stores.js';

export const DEFAULTS = {
  stores: 8,
  staffPerStore: 4,
  seed: 20261123,
  staffPassword: 'Demo#2026huiji',
} as const;

/** Accepted ranges, shared with the CLI's option parsing. */
export const LIMITS = {
  stores: { min: 1, max: 1000 },
  staffPerStore: { min: 1, max: 50 },
  members: { min: 0, max: 10_000_000 },
  seed: { min: 0, max: 2 ** 32 - 1 },
} as const;

/**
 * What "empty" allows: the first admin the server creates at start-up, nothing else.
 * A later domain adds its table here (members: 0) together with its seeder.
 */
const EMPTY_ALLOWS: ReadonlyArray<{ table: string; rows: number }> = [
  { table: 'stores', rows: 0 },
  { table: 'users', rows: 1 },
];

/** Tables the summary counts, in the order they are filled. */
const SUMMARY_TABLES = ['stores', 'users', 'user_roles', 'user_stores'] as const;

export class DatabaseNotEmptyError extends Error {
  override name = 'DatabaseNotEmptyError';
}

export interface SeedDemoOptions {
  /** A migrated database. */
  sequelize: Sequelize;
  stores?: number;
  staffPerStore?: number;
  /** Accepted and range-checked; ignored until the members module exists. */
  members?: number;
  seed?: number;
  staffPassword?: string;
  /**
   * Where the server keeps its data. On a database no server has started on yet, the
   * first admin is created here exactly as at server start (its generated password goes
   * to this directory), because once staff exist the server would no longer create it.
   */
  dataDir: string;
  /** The first admin's password, as `auth.bootstrapAdminPassword` would give it. */
  adminPassword?: string;
  now?: Date;
  chunkSize?: number;
  log?: (line: string) => void;
  onProgress?: (progress: BatchProgress) => void;
}

export interface SeedSummary {
  seed: number;
  brand: string;
  counts: Record<(typeof SUMMARY_TABLES)[number], number>;
  elapsedMs: number;
  staffPassword: string;
  admin: BootstrapResult;
  /** A few accounts worth trying first: a manager, a cashier, the auditor. */
  sampleLogins: string[];
  notices: string[];
}

/** Fills an empty, migrated database with demo stores and staff; refuses any other. */
export async function seedDemo(options: SeedDemoOptions): Promise<SeedSummary> {
  const started = Date.now();
  const settings = {
    stores: checked('stores', options.stores ?? DEFAULTS.stores),
    staffPerStore: checked('staffPerStore', options.staffPerStore ?? DEFAULTS.staffPerStore),
    members: options.members === undefined ? undefined : checked('members', options.members),
    seed: checked('seed', options.seed ?? DEFAULTS.seed),
    staffPassword: options.staffPassword ?? DEFAULTS.staffPassword,
  };
  const { sequelize } = options;
  const log = options.log ?? (() => undefined);
  await assertEmpty(sequelize);

  const notices: string[] = [];
  if (settings.members !== undefined) {
    notices.push(
      `--members ${settings.members} is ignored for now: members are seeded once the members module exists; this run seeds stores and staff only.`,
    );
  }

  const access = new AccessService(defineAccessModels(sequelize));
  const admin = await ensureBootstrapAdmin({
    sequelize,
    models: defineAuthModels(sequelize),
    access,
    dataDir: options.dataDir,
    password: options.adminPassword,
  });

  const ctx: SeedContext = {
    sequelize,
    random: new Random(String(settings.seed)),
    now: options.now ?? new Date(),
    chunkSize: options.chunkSize,
    log,
    onProgress: options.onProgress,
  };
  const passwordHash = await hashPassword(settings.staffPassword);
  const { brand, stores } = await seedStores(ctx, settings.stores);
  await seedStaff(ctx, { stores, perStore: settings.staffPerStore, passwordHash });

  const counts = {} as SeedSummary['counts'];
  for (const table of SUMMARY_TABLES) counts[table] = await countRows(sequelize, table);
  // The first stores never close (see planStores), so these accounts are active.
  const firstStore = stores[0].code;
  const sampleLogins = [`${firstStore}-mgr`, ...(settings.staffPerStore > 1 ? [`${firstStore}-c1`] : []), 'auditor'];
  return {
    seed: settings.seed,
    brand,
    counts,
    elapsedMs: Date.now() - started,
    staffPassword: settings.staffPassword,
    admin,
    sampleLogins,
    notices,
  };
}

async function assertEmpty(sequelize: Sequelize): Promise<void> {
  for (const { table, rows } of EMPTY_ALLOWS) {
    const found = await countRows(sequelize, table);
    if (found > rows) {
      throw new DatabaseNotEmptyError(
        `database is not empty (${table} has ${found} row${found === 1 ? '' : 's'}); demo data goes into a fresh database only, nothing was written.`,
      );
    }
  }
}

function checked(name: keyof typeof LIMITS, value: number): number {
  const { min, max } = LIMITS[name];
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be a whole number from ${min} to ${max}, got ${value}`);
  }
  return value;
}
