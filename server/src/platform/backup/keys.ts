import crypto from 'node:crypto';
import NodeRSA from 'node-rsa';
import { integrityError } from './errors.js';

export const MIN_KEY_BITS = 3072;

export interface BackupKeyPair {
  publicKeyPem: string;
  privateKeyPem: string;
  fingerprint: string;
}

/** The key pair whose public half stays on the server; the private half leaves it. */
export function generateBackupKeyPair(bits = MIN_KEY_BITS): BackupKeyPair {
  if (bits < MIN_KEY_BITS) throw new Error(`a backup key needs at least ${MIN_KEY_BITS} bits`);
  const key = new NodeRSA({ b: bits });
  const privateKeyPem = key.exportKey('pkcs8-private-pem');
  const publicKeyPem = key.exportKey('pkcs8-public-pem');
  return { publicKeyPem, privateKeyPem, fingerprint: keyFingerprint(publicKeyPem) };
}

/** SHA-256 of the public key's SPKI DER, as 32 hex digits; the same for either half. */
export function keyFingerprint(pem: string): string {
  const der = crypto.createPublicKey(pem).export({ type: 'spki', format: 'der' });
  return crypto.createHash('sha256').update(der).digest('hex').slice(0, 32);
}

/** `ab12 cd34 ...`: how a fingerprint is read aloud or compared on paper. */
export const spacedFingerprint = (fingerprint: string) => fingerprint.match(/.{1,4}/g)?.join(' ') ?? fingerprint;

function rsa(pem: string, format: 'pkcs8-public-pem' | 'private'): NodeRSA {
  return new NodeRSA(pem, format === 'private' ? undefined : format, {
    encryptionScheme: { scheme: 'pkcs1_oaep', hash: 'sha256' },
  });
}

export function wrapDataKey(publicKeyPem: string, dataKey: Buffer): Buffer {
  return Buffer.from(rsa(publicKeyPem, 'pkcs8-public-pem').encrypt(dataKey));
}

/** A key that matches the backup's fingerprint but cannot unwrap it means the file was changed. */
export function unwrapDataKey(privateKeyPem: string, wrapped: Buffer): Buffer {
  let key: Buffer;
  try {
    key = Buffer.from(rsa(privateKeyPem, 'private').decrypt(wrapped));
  } catch {
    throw integrityError('the wrapped data key does not decrypt: the backup header was changed');
  }
  if (key.length !== 32) throw integrityError('the wrapped data key has the wrong size: the backup header was changed');
  return key;
}

/** The private key as text for a paper copy: PEM plus its fingerprint and a line count to check a retyped copy. */
export function paperExport(privateKeyPem: string): string {
  const fingerprint = keyFingerprint(privateKeyPem);
  const lines = privateKeyPem.trim().split('\n');
  const numbered = lines.map((line, index) => `${String(index + 1).padStart(3, ' ')}  ${line}`);
  return [
    '会籍 Huiji backup private key / 备份私钥',
    `fingerprint / 指纹: ${spacedFingerprint(fingerprint)}`,
    `lines / 行数: ${lines.length}; type the text after the line numbers back into a .pem file to use it`,
    'Keep this paper in a safe. Whoever holds it can read every backup. 请存放于保险柜，持有者可读取全部备份。',
    '',
    ...numbered,
    '',
    `sha256 of the PEM text: ${crypto.createHash('sha256').update(`${lines.join('\n')}\n`).digest('hex')}`,
  ].join('\n');
}

/** Reads a private key file, refusing anything that is not one (a public key given by mistake). */
export function readPrivateKeyPem(text: string): string {
  const key = crypto.createPrivateKey(text);
  if (key.asymmetricKeyType !== 'rsa') throw new Error('expected an RSA private key');
  return text;
}
