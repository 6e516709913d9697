import { setTimeout as sleep } from 'node:timers/promises';
import { checkBackupStructure, readBackupHeader, type BackupHeader } from '../../platform/backup/index.js';
import type { BackupFile } from './backup-files.js';

export interface Structure {
  ok: boolean;
  reason?: string;
  chunks: number;
}

export interface Inspection {
  header: BackupHeader | null;
  /** Why the header could not be read; the file is then damaged (or not a backup). */
  headerError: string | null;
  /** null: the check has not finished yet (it goes on in the background). */
  structure: Structure | null;
}

interface Entry {
  stamp: string;
  header: Promise<{ header: BackupHeader } | { error: string }>;
  structure: Promise<Structure>;
  done: Structure | null;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * What each backup says about itself (its header, a few hundred bytes) and whether its
 * chunk framing is whole, remembered per file, size and modification time: a backup never
 * changes once written, and a 1 GB file must not be walked again on every page load.
 * A list waits for structure checks only up to a time budget; checks still going then
 * finish in the background and the file reads as unchecked until the next look.
 */
export class BackupInspector {
  private readonly entries = new Map<string, Entry>();
  /** Structure checks run one after another: a slow disk or NAS serves one reader best. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly budgetMs = 1500) {}

  async inspect(files: readonly BackupFile[]): Promise<Inspection[]> {
    const listed = new Set(files.map((f) => f.file));
    for (const file of this.entries.keys()) if (!listed.has(file)) this.entries.delete(file);
    const entries = files.map((file) => this.entryFor(file));
    const deadline = sleep(this.budgetMs, undefined, { ref: false });
    await Promise.race([Promise.all(entries.map((entry) => entry.structure)), deadline]);
    return Promise.all(
      entries.map(async (entry) => {
        const read = await entry.header;
        return 'error' in read
          ? { header: null, headerError: read.error, structure: { ok: false, reason: read.error, chunks: 0 } }
          : { header: read.header, headerError: null, structure: entry.done };
      }),
    );
  }

  private entryFor(file: BackupFile): Entry {
    const stamp = `${file.bytes}:${file.mtimeMs}`;
    const known = this.entries.get(file.file);
    if (known?.stamp === stamp) return known;
    const header = readBackupHeader(file.file).then(
      (read) => (read.kind === 'backup' ? { header: read } : { error: `this is a ${read.kind} file, not a backup` }),
      (error: unknown) => ({ error: message(error) }),
    );
    const entry: Entry = { stamp, header, structure: Promise.resolve({ ok: false, chunks: 0 }), done: null };
    const check = this.queue.then(async (): Promise<Structure> => {
      const read = await header;
      if ('error' in read) return { ok: false, reason: read.error, chunks: 0 };
      return checkBackupStructure(file.file).catch((error: unknown) => ({ ok: false, reason: message(error), chunks: 0 }));
    });
    entry.structure = check.then((structure) => {
      entry.done = structure;
      return structure;
    });
    this.queue = entry.structure;
    this.entries.set(file.file, entry);
    return entry;
  }
}
