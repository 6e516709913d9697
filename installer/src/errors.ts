/**
 * The installer's exit codes, the same as `bin/huiji`'s so a script can treat both alike:
 * 0 done, 1 unexpected, 2 usage, 3 integrity failure, 4 wrong private key, 5 prerequisite failed.
 */
export const EXIT = { ok: 0, unexpected: 1, usage: 2, integrity: 3, wrongKey: 4, prerequisite: 5 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An expected failure: its message is the one line the operator reads, with no stack. */
export class InstallerError extends Error {
  override name = 'InstallerError';
  constructor(
    readonly exitCode: ExitCode,
    message: string,
  ) {
    super(message);
  }
}

/** A bad or missing flag, an unconfirmed destructive step. */
export class UsageError extends InstallerError {
  override name = 'UsageError';
  constructor(message: string) {
    super(EXIT.usage, message);
  }
}

/** The server is not ready for this step: no database, a taken port, Huiji still running. */
export class PrerequisiteError extends InstallerError {
  override name = 'PrerequisiteError';
  constructor(message: string) {
    super(EXIT.prerequisite, message);
  }
}
