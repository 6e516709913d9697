import fs from 'node:fs';
import path from 'node:path';
import type { Redactor } from './redact.js';

/**
 * The installer's log: every step and every command it ran, appended with a timestamp,
 * mode 0600 because it names paths, users and databases. Secrets never reach it: each
 * line passes through the redactor first.
 */
export class LogFile {
  private constructor(
    readonly file: string,
    private readonly fd: number,
    private readonly redactor: Redactor,
  ) {}

  /**
   * Opens `preferred`, else `fallback` (a prefix that is not writable yet must not stop
   * `doctor` from saying so). Returns null when neither can be written.
   */
  static open(candidates: string[], redactor: Redactor): { log: LogFile | null; problems: string[] } {
    const problems: string[] = [];
    for (const file of candidates) {
      try {
        fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o750 });
        const fd = fs.openSync(file, 'a', 0o600);
        // An existing log keeps its mode on open; make sure it is private.
        fs.fchmodSync(fd, 0o600);
        return { log: new LogFile(path.resolve(file), fd, redactor), problems };
      } catch (error) {
        problems.push(`${file}: ${(error as Error).message}`);
      }
    }
    return { log: null, problems };
  }

  write(kind: string, text: string): void {
    const stamp = new Date().toISOString();
    const lines = this.redactor.apply(text).split('\n');
    const body = lines.map((line) => `${stamp} [${kind}] ${line}`).join('\n');
    try {
      fs.writeSync(this.fd, `${body}\n`);
    } catch {
      // A full disk must not turn a finished install into a failed one.
    }
  }

  close(): void {
    try {
      fs.closeSync(this.fd);
    } catch {
      // already closed
    }
  }
}
