import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Reads a secret kept in `<dataDir>/keys/`, creating it on first use (0600). Creation uses
 * an exclusive open, so two processes starting together end up with the same key.
 */
export function loadOrCreateKeyFile(dataDir: string, name: string, create: () => string): string {
  const dir = path.join(dataDir, 'keys');
  const file = path.join(dir, name);
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const content = create();
  try {
    fs.writeFileSync(file, content, { mode: 0o600, flag: 'wx' });
    return content;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return fs.readFileSync(file, 'utf8');
  }
}

export function newRsaPrivateKeyPem(): string {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
}

/** A short, stable name for a public key: the first 16 hex digits of its SPKI's SHA-256. */
export function publicKeyId(privateOrPublicPem: string): string {
  const der = crypto.createPublicKey(privateOrPublicPem).export({ type: 'spki', format: 'der' });
  return crypto.createHash('sha256').update(der).digest('hex').slice(0, 16);
}
