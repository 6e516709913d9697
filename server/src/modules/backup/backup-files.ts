import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { keyFileOf, verificationFileOf } from '../../platform/backup/index.js';

/** A finished backup file in a directory (`.partial` files are backups still being written). */
export interface BackupFile {
  name: string;
  file: string;
  bytes: number;
  mtimeMs: number;
}

const BACKUP_NAME = /^[^/\\]+\.hjbak$/;

/** The `.hjbak` files in `dir`; a directory that does not exist yet holds none. */
export async function listBackupFiles(dir: string): Promise<BackupFile[]> {
  let names: string[];
  try {
    names = await fs.promises.readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const files: BackupFile[] = [];
  for (const name of names.filter((n) => BACKUP_NAME.test(n))) {
    const file = path.join(dir, name);
    // A file removed between readdir and stat (retention on another node) is simply gone.
    const stat = await fs.promises.stat(file).catch(() => null);
    if (stat?.isFile()) files.push({ name, file, bytes: stat.size, mtimeMs: stat.mtimeMs });
  }
  return files;
}

export function exists(file: string): Promise<boolean> {
  return fs.promises.access(file).then(
    () => true,
    () => false,
  );
}

/** A backup goes with the files that only mean something beside it: its key file and its verification record. */
export async function removeBackup(file: string): Promise<void> {
  await fs.promises.rm(file, { force: true });
  await fs.promises.rm(keyFileOf(file), { force: true });
  await fs.promises.rm(verificationFileOf(file), { force: true });
}

/**
 * Copies a file to `target` through `<target>.partial` and a rename, flushed to the disk
 * first, so the copy directory (a NAS) never shows a half-written file under its real name.
 */
export async function copyWhole(source: string, target: string, onBytes?: (copied: number) => void): Promise<void> {
  const partial = `${target}.partial`;
  try {
    let copied = 0;
    await pipeline(
      fs.createReadStream(source, { highWaterMark: 1 << 20 }),
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          copied += chunk.length;
          onBytes?.(copied);
          yield chunk;
        }
      },
      fs.createWriteStream(partial, { mode: 0o600 }),
    );
    const handle = await fs.promises.open(partial, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(partial, target);
  } catch (error) {
    await fs.promises.rm(partial, { force: true });
    throw error;
  }
}
