import type { BackupItem, VerificationState } from '@/api/backups';

export const VERIFICATION_TAG: Record<VerificationState, 'success' | 'danger' | 'primary' | 'info'> = {
  verified: 'success',
  failed: 'danger',
  structure_ok: 'primary',
  damaged: 'danger',
  unchecked: 'info',
};

/** Backups are megabytes to gigabytes: 0.1 MB at least, GB from 1024 MB. */
export function backupSize(bytes: number): string {
  const mb = bytes / 1024 / 1024;
  if (mb >= 1024) return `${(mb / 1024).toFixed(2)} GB`;
  return `${Math.max(mb, 0.1).toFixed(1)} MB`;
}

/** `ab12 cd34 …`: how a fingerprint is read aloud or compared with the one on paper. */
export const spaced = (fingerprint: string) => fingerprint.match(/.{1,4}/g)?.join(' ') ?? fingerprint;

/** Made under another public key than today's: restoring it needs that key's private half. */
export const otherKey = (item: BackupItem, current: string | null) => Boolean(item.keyFingerprint && current && item.keyFingerprint !== current);

/** The schema version is the last migration's name: its timestamp is what people compare. */
export const schemaStamp = (schemaVersion: string | null) => schemaVersion?.split('-')[0] ?? '';
