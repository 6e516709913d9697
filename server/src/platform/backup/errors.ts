/**
 * A backup problem with the exit code the CLIs end with: 3 when the file is damaged or was
 * tampered with, 4 when the private key is not the one the backup was made for, 5 when
 * something the operation needs is missing (a database, the key file, a stopped server).
 */
export class BackupError extends Error {
  override name = 'BackupError';
  constructor(
    readonly exitCode: 3 | 4 | 5,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const integrityError = (message: string) => new BackupError(3, 'BACKUP_INTEGRITY', message);
export const wrongKeyError = (message: string) => new BackupError(4, 'BACKUP_WRONG_KEY', message);
export const prerequisiteError = (code: string, message: string) => new BackupError(5, code, message);
