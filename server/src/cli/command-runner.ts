import { ConfigError } from '../platform/config/load.js';

/** A bad option, a missing key, an unconfirmed run: told in one line, exit code 2. */
export class UsageError extends Error {}

export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/**
 * Runs one CLI command and turns its outcome into an exit code: the command's own, 2 for
 * a bad configuration or usage (said in one line, no stack), 1 for anything else.
 */
export async function runCommand(name: string, work: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await work();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof ConfigError || error instanceof UsageError) {
      process.stderr.write(`${error instanceof ConfigError ? '' : `${name}: `}${message}\n`);
      process.exitCode = EXIT_USAGE;
      return;
    }
    process.stderr.write(`${name} failed: ${message}\n`);
    process.exitCode = EXIT_FAILED;
  }
}
