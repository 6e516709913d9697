import readline from 'node:readline/promises';
import { Command, InvalidArgumentError } from 'commander';
import { characterClasses, PASSWORD_MAX_LENGTH, REQUIRED_CHARACTER_CLASSES } from '../modules/auth/password.js';
import { ConfigError, loadConfig } from '../platform/config/load.js';
import { parseDatabaseUrl } from '../platform/config/schema.js';
import { createSequelize } from '../platform/db/connect.js';
import { runMigrations } from '../platform/db/migrate.js';
import { consoleProgress } from './seed/batch.js';
import { DatabaseNotEmptyError, DEFAULTS, demoPassword, LIMITS, seedDemo, type SeedSummary } from './seed/index.js';

/** A bad option value or an unconfirmed run: told in one line, exit code 2. */
class UsageError extends Error {}

function wholeNumber(name: keyof typeof LIMITS) {
  const { min, max, why } = LIMITS[name];
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}${why && n < min ? ` (${why})` : ''}.`);
    }
    return n;
  };
}

const program = new Command()
  .name('seed:demo')
  .description('Fill an empty Huiji database with realistic Chinese demo stores, staff and members')
  .option('--stores <n>', 'stores to create, coded S001, S002, … (at least 2)', wholeNumber('stores'), DEFAULTS.stores)
  .option('--staff-per-store <n>', 'accounts per store: one manager, the rest cashiers', wholeNumber('staffPerStore'), DEFAULTS.staffPerStore)
  .option('--members <n>', `members to create, with encrypted contact data and card numbers from the server's sequence (default: ${DEFAULTS.membersPerStore} per store; 0 for none)`, wholeNumber('members'))
  .option('--seed <n>', 'random seed: the same seed gives the same data', wholeNumber('seed'), DEFAULTS.seed)
  .option('--staff-password <password>', `the password of every demo staff account (default: $HUIJI_DEMO_PASSWORD, else ${DEFAULTS.staffPassword})`)
  .option('--database-url <url>', 'the database to fill (default: huiji.config.json or HUIJI_DATABASE_URL)')
  .option('-y, --yes', 'do not ask before writing')
  // Bad option values exit 2 like the other usage errors below; help still exits 0.
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
  .parse();

const options = program.opts<{
  stores: number;
  staffPerStore: number;
  members?: number;
  seed: number;
  staffPassword?: string;
  databaseUrl?: string;
  yes?: boolean;
}>();

async function main(): Promise<void> {
  if (options.databaseUrl !== undefined && !parseDatabaseUrl(options.databaseUrl)) {
    throw new UsageError(`--database-url ${options.databaseUrl} is not a database URL: expected sqlite:<path> or mysql://user:password@host:3306/database.`);
  }
  const env = options.databaseUrl ? { ...process.env, HUIJI_DATABASE_URL: options.databaseUrl } : process.env;
  const config = loadConfig({ env });
  const staffPassword = options.staffPassword ?? demoPassword();
  checkPassword(staffPassword, config.auth.passwordMinLength);
  const target = redacted(config.databaseUrl);
  if (!options.yes) await confirm(`Seed demo data into ${target}? [y/N] `);

  const sequelize = createSequelize({ url: config.databaseUrl });
  try {
    const applied = await runMigrations(sequelize);
    if (applied.length > 0) process.stdout.write(`applied ${applied.length} migration(s)\n`);
    process.stdout.write(`seeding ${target} (seed ${options.seed})\n`);
    const summary = await seedDemo({
      sequelize,
      stores: options.stores,
      staffPerStore: options.staffPerStore,
      members: options.members,
      seed: options.seed,
      staffPassword,
      dataDir: config.dataDir,
      adminPassword: config.auth.bootstrapAdminPassword,
      auditHmacKey: config.audit.hmacKey,
      crypto: config.crypto,
      cardPrefix: config.members.cardPrefix,
      log: (line) => process.stdout.write(`${line}\n`),
      onProgress: consoleProgress(process.stdout),
    });
    process.stdout.write(render(summary));
  } finally {
    await sequelize.close();
  }
}

/** The server would refuse this password at the next change, so refuse it here too. */
function checkPassword(password: string, minLength: number): void {
  const length = [...password].length;
  if (length < minLength || length > PASSWORD_MAX_LENGTH || characterClasses(password) < REQUIRED_CHARACTER_CLASSES) {
    throw new UsageError(
      `the staff password (--staff-password or HUIJI_DEMO_PASSWORD) must be ${minLength}–${PASSWORD_MAX_LENGTH} characters and mix ${REQUIRED_CHARACTER_CLASSES} of: lower case, upper case, digits, symbols.`,
    );
  }
}

async function confirm(question: string): Promise<void> {
  if (!process.stdin.isTTY) throw new UsageError('not a terminal, so no one can confirm: pass --yes to seed without asking.');
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  const answer = await rl.question(question);
  rl.close();
  if (!/^y(es)?$/i.test(answer.trim())) throw new UsageError('cancelled, nothing was written.');
}

function redacted(url: string): string {
  if (url.startsWith('sqlite:')) return url;
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

function render(summary: SeedSummary): string {
  const rows = Object.entries(summary.counts).map(([table, n]) => `  ${table.padEnd(14)}${String(n).padStart(10)}`);
  const lines = [
    '',
    `Demo data for ${summary.brand} seeded in ${(summary.elapsedMs / 1000).toFixed(1)} s (seed ${summary.seed}).`,
    `  ${'table'.padEnd(14)}${'rows'.padStart(10)}`,
    ...rows,
    '',
    `Staff password (every demo account): ${summary.staffPassword}`,
    `Try logging in as: ${summary.sampleLogins.join(', ')}`,
  ];
  if (summary.admin.generatedPassword) {
    lines.push(
      `First administrator created: admin / ${summary.admin.generatedPassword} (also in ${summary.admin.passwordFile}; change it at first login)`,
    );
  } else if (summary.admin.created) {
    lines.push('First administrator created: admin, with the password from auth.bootstrapAdminPassword');
  }
  for (const notice of summary.notices) lines.push(`Note: ${notice}`);
  return `${lines.join('\n')}\n`;
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof DatabaseNotEmptyError) {
    process.stderr.write(`seed:demo refused: ${message}\n`);
    process.exit(3);
  }
  if (error instanceof ConfigError || error instanceof UsageError || error instanceof RangeError) {
    process.stderr.write(`${error instanceof ConfigError ? '' : 'seed:demo: '}${message}\n`);
    process.exit(2);
  }
  process.stderr.write(
    `seed:demo failed: ${message}\nThe database may now hold part of the demo data; seed again into a fresh database.\n`,
  );
  process.exit(1);
});
