import type { Ui } from '../ui.js';

/**
 * What this run created, newest last, each with how to take it away. A failed install
 * undoes only these, in reverse, and leaves alone what was there before it started
 * (an earlier install's database, config, users and keys).
 */
export class Journal {
  private readonly entries: Array<{ what: string; undo: () => Promise<void> }> = [];

  add(what: string, undo: () => Promise<void>): void {
    this.entries.push({ what, undo });
  }

  get size(): number {
    return this.entries.length;
  }

  /** Undoes everything recorded; returns what could not be undone (said, never thrown). */
  async rollback(ui: Ui): Promise<string[]> {
    const problems: string[] = [];
    while (this.entries.length > 0) {
      const entry = this.entries.pop()!;
      try {
        await entry.undo();
        ui.info(`undone: ${entry.what}`);
      } catch (error) {
        problems.push(`${entry.what}: ${(error as Error).message}`);
        ui.warn(`could not undo ${entry.what}: ${(error as Error).message}`);
      }
    }
    return problems;
  }

  /** The run succeeded: nothing is to be undone any more. */
  clear(): void {
    this.entries.length = 0;
  }
}
