import { Command } from 'commander';
import { createContext } from '../context.js';
import { ensureBootstrapAdmin } from '../modules/auth/bootstrap.js';
import { ConfigError, loadConfig } from '../platform/config/load.js';
import { createSequelize } from '../platform/db/connect.js';
import { migrationStatus, revertLastMigration, runMigrations } from '../platform/db/migrate.js';
import { createLogger } from '../platform/logger/index.js';

const program = new Command()
  .name('migrate')
  .description('Apply pending database migrations (the server also does this at start-up unless database.migrateOnStart is false)')
  .option('--status', 'only show how many migrations are applied and pending')
  .option('--down', 'revert the most recent migration (for development)')
  .option(
    '--bootstrap-admin',
    'also create the first administrator when there is none: the password comes from HUIJI_BOOTSTRAP_ADMIN_PASSWORD, or is generated and printed on the last line as "admin password: <password>"',
  )
  .parse();

const options = program.opts<{ status?: boolean; down?: boolean; bootstrapAdmin?: boolean }>();

async function bootstrapAdmin(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: 'warn', logDir: config.logDir, retentionDays: config.logRetentionDays, env: config.env });
  const ctx = await createContext(config, logger);
  try {
    const result = await ensureBootstrapAdmin({
      sequelize: ctx.sequelize,
      models: ctx.models.auth,
      access: ctx.services.access,
      dataDir: config.dataDir,
      password: config.auth.bootstrapAdminPassword,
    });
    if (!result.created) process.stdout.write('first administrator: already there\n');
    else if (result.generatedPassword) process.stdout.write(`first administrator created: admin\nadmin password: ${result.generatedPassword}\n`);
    else process.stdout.write('first administrator created: admin (password from HUIJI_BOOTSTRAP_ADMIN_PASSWORD)\n');
  } finally {
    await ctx.sequelize.close();
    logger.close();
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  const sequelize = createSequelize({ url: config.databaseUrl });
  try {
    if (options.status) {
      const { applied, pending } = await migrationStatus(sequelize);
      process.stdout.write(`applied: ${applied}, pending: ${pending}\n`);
    } else if (options.down) {
      const reverted = await revertLastMigration(sequelize);
      process.stdout.write(reverted ? `reverted ${reverted}\n` : 'nothing to revert\n');
    } else {
      const applied = await runMigrations(sequelize);
      process.stdout.write(applied.length ? `applied:\n  ${applied.join('\n  ')}\n` : 'already up to date\n');
    }
  } finally {
    await sequelize.close();
  }
  if (options.bootstrapAdmin && !options.status && !options.down) await bootstrapAdmin();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? '' : 'migrate failed: '}${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
