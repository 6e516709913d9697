import path from 'node:path';
import type { Sequelize } from 'sequelize';
import { defineAccessModels } from '../../modules/access/models.js';
import { AccessService } from '../../modules/access/service.js';
import { ensureBootstrapAdmin, type BootstrapResult } from '../../modules/auth/bootstrap.js';
import { defineAuthModels } from '../../modules/auth/models.js';
import { hashPassword } from '../../modules/auth/password.js';
import { loadAuditKeys } from '../../modules/audit/keys.js';
import { defineAuditModels } from '../../modules/audit/models.js';
import { AuditSealer } from '../../modules/audit/sealer.js';
import { AuditService, SYSTEM_ACTOR } from '../../modules/audit/service.js';
import { configSchema, type HuijiConfig } from '../../platform/config/schema.js';
import { FieldCipher } from '../../platform/crypto/field-cipher.js';
import { FIELD_KEY_FILE, loadFieldKeys } from '../../platform/crypto/field-keys.js';
import { countRows, withSeedingCache, type BatchProgress } from './batch.js';
import type { SeedContext } from './context.js';
import { seedMembers } from './members.js';
import { Random } from './random.js';
import { NAMED_ACCOUNTS, NAMED_ACCOUNTS_NEED, seedStaff } from './staff.js';
import { seedStores } from './stores.js';

export const DEFAULTS = {
  stores: 8,
  staffPerStore: 4,
  /** Members per store when `members` is not given: 8 stores, 480 members. */
  membersPerStore: 60,
  seed: 20261123,
  /** What docs and checks log in with; HUIJI_DEMO_PASSWORD overrides it (see demoPassword). */
  staffPassword: 'Huiji@2026',
  /** `members.cardPrefix` as the server defaults it, read from the schema so the two cannot drift. */
  cardPrefix: configSchema.shape.members.parse(undefined).cardPrefix,
} as const;

/** Accepted ranges, shared with the CLI's option parsing; `why` explains a minimum people trip over. */
export const LIMITS: Record<'stores' | 'staffPerStore' | 'members' | 'seed', { min: number; max: number; why?: string }> = {
  stores: {
    min: NAMED_ACCOUNTS_NEED.stores,
    max: 1000,
    why: 'S001 and S002 hold the named demo accounts (manager1, cashier1, auditor1, itops1; manager2, cashier2)',
  },
  staffPerStore: {
    min: NAMED_ACCOUNTS_NEED.perStore,
    max: 50,
    why: 'each store needs its manager and at least one cashier (cashier1 in S001, cashier2 in S002)',
  },
  members: { min: 0, max: 10_000_000 },
  seed: { min: 0, max: 2 ** 32 - 1 },
};

/** The demo staff password: HUIJI_DEMO_PASSWORD when set, else `Huiji@2026`. */
export function demoPassword(env: NodeJS.ProcessEnv = process.env): string {
  return env.HUIJI_DEMO_PASSWORD || DEFAULTS.staffPassword;
}

/**
 * What "empty" allows: the first admin the server creates at start-up, nothing else.
 * A later domain adds its table here together with its seeder. Members are numbered from
 * id 1 (see seedMembers), which this guarantees.
 */
const EMPTY_ALLOWS: ReadonlyArray<{ table: string; rows: number }> = [
  { table: 'stores', rows: 0 },
  { table: 'users', rows: 1 },
  { table: 'members', rows: 0 },
];

/** Tables the summary counts, in the order they are filled. */
const SUMMARY_TABLES = ['stores', 'users', 'user_roles', 'user_stores', 'members', 'member_consents'] as const;

export class DatabaseNotEmptyError extends Error {
  override name = 'DatabaseNotEmptyError';
}

export interface SeedDemoOptions {
  /** A migrated database. */
  sequelize: Sequelize;
  stores?: number;
  staffPerStore?: number;
  /** Defaults to DEFAULTS.membersPerStore for each store; 0 seeds none. */
  members?: number;
  seed?: number;
  /** Defaults to demoPassword(). */
  staffPassword?: string;
  /**
   * Where the server keeps its data. On a database no server has started on yet, the
   * first admin is created here exactly as at server start (its generated password goes
   * to this directory), because once staff exist the server would no longer create it.
   */
  dataDir: string;
  /** The first admin's password, as `auth.bootstrapAdminPassword` would give it. */
  adminPassword?: string;
  /** `audit.hmacKey` from the config; unset, the key in `dataDir` is used, as the server does. */
  auditHmacKey?: string;
  /**
   * The config's `crypto` section. Without field keys in it, members' contact data is
   * sealed with `<dataDir>/keys/field-keys.json`, created if missing, as the server does:
   * the server must be able to read what the seeder wrote.
   */
  crypto?: HuijiConfig['crypto'];
  /** `members.cardPrefix` from the config; defaults to the server's default. */
  cardPrefix?: string;
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
  /** The named accounts, one per built-in role in S001, then S002's manager and cashier. */
  sampleLogins: string[];
  notices: string[];
}

/** Fills an empty, migrated database with demo stores, staff and members; refuses any other. */
export async function seedDemo(options: SeedDemoOptions): Promise<SeedSummary> {
  const started = Date.now();
  const storeCount = checked('stores', options.stores ?? DEFAULTS.stores);
  const settings = {
    stores: storeCount,
    staffPerStore: checked('staffPerStore', options.staffPerStore ?? DEFAULTS.staffPerStore),
    members: checked('members', options.members ?? storeCount * DEFAULTS.membersPerStore),
    seed: checked('seed', options.seed ?? DEFAULTS.seed),
    staffPassword: options.staffPassword ?? demoPassword(),
  };
  const { sequelize } = options;
  const log = options.log ?? (() => undefined);
  await assertEmpty(sequelize);
  // Before anything is written: a damaged key file stops the run on an untouched database.
  const fieldKeys = loadFieldKeys(options.dataDir, options.crypto ?? {});
  const cipher = new FieldCipher(fieldKeys);
  const notices: string[] = [];
  if (settings.members > 0 && fieldKeys.source === 'file') {
    notices.push(
      `members' phones and e-mails are encrypted with the field keys in ${path.join(options.dataDir, 'keys', FIELD_KEY_FILE)}; a server started with another data directory (and no crypto keys in its config) cannot read them.`,
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
  const { brand, stores, staff, members } = await withSeedingCache(sequelize, async () => {
    const seeded = await seedStores(ctx, settings.stores);
    const { staff } = await seedStaff(ctx, { stores: seeded.stores, perStore: settings.staffPerStore, passwordHash });
    const members = await seedMembers(ctx, {
      stores: seeded.stores,
      staff,
      count: settings.members,
      cipher,
      cardPrefix: options.cardPrefix ?? DEFAULTS.cardPrefix,
    });
    return { ...seeded, staff, members };
  });

  const counts = {} as SeedSummary['counts'];
  for (const table of SUMMARY_TABLES) counts[table] = await countRows(sequelize, table);
  await auditSeeding(options, {
    summary: `生成演示数据：${stores.length} 家门店、${staff.length} 名员工、${members.members} 名会员（${brand}，随机种子 ${settings.seed}）`,
    diff: { seed: settings.seed, brand, stores: settings.stores, staffPerStore: settings.staffPerStore, members: settings.members, counts },
  });
  // S001 and S002 never close (see planStores), so these accounts are active.
  const sampleLogins = [
    NAMED_ACCOUNTS.managers[0],
    NAMED_ACCOUNTS.cashiers[0],
    NAMED_ACCOUNTS.auditor,
    NAMED_ACCOUNTS.itOps,
    NAMED_ACCOUNTS.managers[1],
    NAMED_ACCOUNTS.cashiers[1],
  ];
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

/**
 * One `seed.demo` record for the whole run. The rows went in through many chunk
 * transactions (insertBatches), so the record cannot share a transaction with them: it is
 * written once the last chunk has committed, and a crash in between leaves demo data
 * without its record. Acceptable for a demo seeder on a fresh database. It is sealed at
 * once, so `npm run audit -- verify` passes before a server has ever run its sealer.
 */
async function auditSeeding(options: SeedDemoOptions, entry: { summary: string; diff: unknown }): Promise<void> {
  const { sequelize } = options;
  const models = defineAuditModels(sequelize);
  const keys = loadAuditKeys(options.dataDir, options.auditHmacKey);
  await new AuditService(models, keys).record({ action: 'seed.demo', actor: SYSTEM_ACTOR, ...entry }, { transaction: null });
  await new AuditSealer(sequelize, models, keys).sealPending({ fullScan: true });
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
  const { min, max, why } = LIMITS[name];
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be a whole number from ${min} to ${max}, got ${value}${why && value < min ? `: ${why}` : ''}`);
  }
  return value;
}
