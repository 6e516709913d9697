import fs from 'node:fs';
import { BackupError, readPrivateKeyPem } from '../platform/backup/index.js';
import { ConfigError } from '../platform/config/load.js';
import { UsageError } from './command-runner.js';

/**
 * Runs a backup command and ends the process with its exit code: the command's own, 2 for
 * usage and configuration, 3/4/5 for a BackupError (damaged file, wrong key, prerequisite),
 * 1 for anything else. One line on stderr says why, with no stack.
 */
export async function runBackupCommand(name: string, work: () => Promise<number>): Promise<never> {
  let code: number;
  try {
    code = await work();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof BackupError) {
      const label = { 3: 'integrity failure', 4: 'wrong private key', 5: 'prerequisite failed' }[error.exitCode];
      process.stderr.write(`${name}: ${label} [${error.code}]: ${message}\n`);
      code = error.exitCode;
    } else if (error instanceof UsageError || error instanceof ConfigError) {
      process.stderr.write(`${error instanceof ConfigError ? '' : `${name}: `}${message}\n`);
      code = 2;
    } else {
      process.stderr.write(`${name} failed: ${message}\n`);
      code = 1;
    }
  }
  // Open pools and sockets must not keep a finished command alive.
  process.exit(code);
}

/** A file that is not an RSA private key is the wrong key (exit 4), not a usage slip. */
export function readPrivateKeyFile(file: string): string {
  if (!fs.existsSync(file)) throw new UsageError(`no private key file at ${file}`);
  try {
    return readPrivateKeyPem(fs.readFileSync(file, 'utf8'));
  } catch {
    throw new BackupError(4, 'BACKUP_WRONG_KEY', `${file} is not an RSA private key (PEM); give the backup private key the installer wrote`);
  }
}
