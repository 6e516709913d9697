import fs from 'node:fs';
import path from 'node:path';
import { keyFileOf, readVerification, type BackupHeader, type Verification } from '../../platform/backup/index.js';
import { exists, listBackupFiles, type BackupFile } from './backup-files.js';
import type { BackupInspector, Inspection } from './inspector.js';

export type VerificationState = 'verified' | 'failed' | 'structure_ok' | 'damaged' | 'unchecked';

export interface BackupItem {
  name: string;
  bytes: number;
  /** From the header; the file's modification time when the header cannot be read. */
  createdAt: Date;
  huijiVersion: string | null;
  schemaVersion: string | null;
  dialect: BackupHeader['dialect'] | null;
  host: string | null;
  keyFingerprint: string | null;
  /** The `.hjkey` beside it: without it a restore cannot read the encrypted columns. */
  hasKeyFile: boolean;
  /** In the copy directory with the same size; null when no copy directory is set. */
  copied: boolean | null;
  verification: { state: VerificationState; at: Date | null; detail: string | null };
}

export interface CopyDirectory {
  dir: string;
  reachable: boolean;
  error: string | null;
}

/**
 * How far a backup is known to be good, best evidence first: a damaged file is damaged
 * whatever was said of it before; a verification record counts only if it is newer than
 * the file (else it speaks of other bytes); a whole framing, without the key, proves only
 * that nothing is missing.
 */
export function verificationOf(file: BackupFile, inspection: Inspection, record: Verification | null): BackupItem['verification'] {
  const { structure } = inspection;
  if (structure && !structure.ok) return { state: 'damaged', at: null, detail: structure.reason ?? null };
  const verifiedAt = record ? new Date(record.verifiedAt) : null;
  if (record && verifiedAt && !Number.isNaN(verifiedAt.getTime()) && verifiedAt.getTime() >= Math.floor(file.mtimeMs)) {
    return record.ok ? { state: 'verified', at: verifiedAt, detail: null } : { state: 'failed', at: verifiedAt, detail: record.error ?? null };
  }
  if (structure?.ok) return { state: 'structure_ok', at: null, detail: null };
  return { state: 'unchecked', at: null, detail: null };
}

/** The copy directory's backups by name and size; an unreachable directory (an unmounted NAS) is said so. */
async function copiedSizes(copyTo: string | undefined): Promise<{ directory: CopyDirectory | null; sizes: Map<string, number> }> {
  const sizes = new Map<string, number>();
  if (!copyTo) return { directory: null, sizes };
  try {
    if (!(await fs.promises.stat(copyTo)).isDirectory()) return { directory: { dir: copyTo, reachable: false, error: `${copyTo} is not a directory` }, sizes };
    for (const file of await listBackupFiles(copyTo)) sizes.set(file.name, file.bytes);
    return { directory: { dir: copyTo, reachable: true, error: null }, sizes };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? `${copyTo} does not exist (is the NAS mounted?)` : (error as Error).message;
    return { directory: { dir: copyTo, reachable: false, error: reason }, sizes };
  }
}

/** The backups in `dir`, newest first, as the console's list shows them. */
export async function listBackups(dir: string, copyTo: string | undefined, inspector: BackupInspector): Promise<{ items: BackupItem[]; copyTo: CopyDirectory | null }> {
  const files = await listBackupFiles(dir);
  const [inspections, copies] = await Promise.all([inspector.inspect(files), copiedSizes(copyTo)]);
  const items = await Promise.all(
    files.map(async (file, i): Promise<BackupItem> => {
      const { header } = inspections[i];
      const [hasKeyFile, record] = await Promise.all([exists(keyFileOf(file.file)), readVerification(file.file)]);
      return {
        name: file.name,
        bytes: file.bytes,
        createdAt: header ? new Date(header.createdAt) : new Date(file.mtimeMs),
        huijiVersion: header?.huijiVersion ?? null,
        schemaVersion: header?.schemaVersion ?? null,
        dialect: header?.dialect ?? null,
        host: header?.host ?? null,
        keyFingerprint: header?.keyFingerprint ?? null,
        hasKeyFile,
        copied: copies.directory ? copies.sizes.get(file.name) === file.bytes : null,
        verification: verificationOf(file, inspections[i], record),
      };
    }),
  );
  items.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.name.localeCompare(a.name));
  return { items, copyTo: copies.directory };
}

/** Free space where backups are written; null when the directory cannot be reached yet. */
export async function freeBytes(dir: string): Promise<number | null> {
  // The directory may not exist before the first backup: its parent has the same disk.
  for (let at = dir; ; at = path.dirname(at)) {
    try {
      const stats = await fs.promises.statfs(at);
      return stats.bavail * stats.bsize;
    } catch {
      if (path.dirname(at) === at) return null;
    }
  }
}
