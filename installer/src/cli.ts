import { Command, CommanderError } from 'commander';
import { backupKeyCommand } from './commands/backup-key.js';
import { backupCommand } from './commands/backup.js';
import { bundleCommand } from './commands/bundle.js';
import { doctorCommand } from './commands/doctor.js';
import { installCommand } from './commands/install.js';
import { restoreCommand } from './commands/restore.js';
import { uninstallCommand } from './commands/uninstall.js';
import { upgradeCommand } from './commands/upgrade.js';
import { verifyBackupCommand } from './commands/verify-backup.js';
import { takeExitCode } from './context.js';
import { EXIT } from './errors.js';
import { sourceVersion } from './layout.js';

/** The commands, in the order `--help` lists them. */
const COMMANDS: Array<() => Command> = [
  doctorCommand,
  installCommand,
  upgradeCommand,
  backupCommand,
  verifyBackupCommand,
  restoreCommand,
  uninstallCommand,
  backupKeyCommand,
  bundleCommand,
];

/** Help for every command shows the global options too; usage errors end with exit code 2. */
function prepare(command: Command): Command {
  command
    .configureHelp({ showGlobalOptions: true, sortOptions: false })
    .showHelpAfterError('(run with --help for the options)')
    .exitOverride();
  for (const sub of command.commands) prepare(sub);
  return command;
}

export function buildProgram(): Command {
  const program = new Command('huiji-installer')
    .description('Install, back up, restore and remove Huiji (会籍) on this server')
    .version(sourceVersion(), '-V, --version')
    .option('--prefix <dir>', 'install everything under this directory instead of / (tests, unusual layouts)', '/')
    .option('--non-interactive', 'never ask: a missing required value is an error (exit 2)')
    .option('--answers <file>', 'JSON file with option values by name, e.g. {"dbAdminUrl": "...", "port": 8080}; flags win')
    .option('--log-file <file>', 'log file (default <prefix>/var/log/huiji/installer.log, mode 0600)')
    .option('--no-color', 'plain output without colours')
    .addHelpText(
      'after',
      `
Exit codes: 0 ok, 1 unexpected failure, 2 usage, 3 integrity failure (tampered or truncated backup),
4 wrong private key, 5 prerequisite failed (port taken, database unreachable, Huiji still running...).
Every command has --help, e.g. huiji-installer install --help.`,
    );
  for (const make of COMMANDS) program.addCommand(make());
  return prepare(program);
}

/** Runs the installer with `argv` (as process.argv) and resolves to its exit code. */
export async function main(argv: string[]): Promise<number> {
  takeExitCode();
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      return ['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(error.code) ? EXIT.ok : EXIT.usage;
    }
    throw error;
  }
  return takeExitCode();
}
