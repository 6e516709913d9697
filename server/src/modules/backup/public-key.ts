import fs from 'node:fs';
import { keyFingerprint } from '../../platform/backup/index.js';
import { AppError } from '../../platform/errors/app-error.js';

export type PublicKeyState =
  | { status: 'ok'; file: string; pem: string; fingerprint: string }
  | { status: 'missing'; file: string }
  | { status: 'invalid'; file: string; reason: string };

/**
 * The backup public key as the server finds it, read afresh each time: the IT person may
 * create or replace it (`huiji backup-key generate`) while Huiji runs.
 */
export function readPublicKey(file: string): PublicKeyState {
  let pem: string;
  try {
    pem = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'missing', file };
    return { status: 'invalid', file, reason: (error as Error).message };
  }
  // A private key here would let anyone who takes the server read every backup: refuse it.
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
    return { status: 'invalid', file, reason: 'the file holds a PRIVATE key; only the public key may stay on the server' };
  }
  try {
    return { status: 'ok', file, pem, fingerprint: keyFingerprint(pem) };
  } catch (error) {
    return { status: 'invalid', file, reason: (error as Error).message };
  }
}

/** The key to back up with, or the error that tells the IT person how to get one. */
export function requirePublicKey(file: string): { pem: string; fingerprint: string } {
  const key = readPublicKey(file);
  if (key.status === 'missing') throw new AppError('BACKUP_KEY_MISSING', { params: { file } });
  if (key.status === 'invalid') throw new AppError('BACKUP_KEY_INVALID', { params: { file, reason: key.reason } });
  return key;
}
