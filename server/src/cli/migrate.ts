import { Command } from 'commander';
import { ConfigError, loadConfig } from '../platform/config/load.js';
import { createSequelize } from '../platform/db/connect.js';
import { migrationStatus, revertLastMigration, runMigrations } from '../platform/db/migrate.js';

const program = new Command()
  .name('migrate')
  .description('Apply pending database migrations (the server also does this at start-up)')
  .option('--status', 'only show how many migrations are applied and pending')
  .option('--down', 'revert the most recent migration (for development)')
  .parse();

const options = program.opts<{ status?: boolean; down?: boolean }>();

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
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? '' : 'migrate failed: '}${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
