import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import NodeRSA from 'node-rsa';

export interface LoginKeyPair {
  keyId: string;
  publicKeyPem: string;
  decryptor: NodeRSA;
}

const KEY_FILE = 'login-rsa-private.pem';

/**
 * The RSA key the console uses to encrypt passwords on plain-HTTP intranets. Made once at
 * first start and kept in the data directory (0600); nodes sharing a database must share
 * this file, as the installer arranges.
 */
export function loadOrCreateLoginKeys(dataDir: string): LoginKeyPair {
  const dir = path.join(dataDir, 'keys');
  const file = path.join(dir, KEY_FILE);
  let privatePem: string;
  if (fs.existsSync(file)) {
    privatePem = fs.readFileSync(file, 'utf8');
  } else {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    privatePem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    // 'wx' loses gracefully to another process that wrote the key first.
    try {
      fs.writeFileSync(file, privatePem, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      privatePem = fs.readFileSync(file, 'utf8');
    }
  }
  const publicKeyPem = crypto
    .createPublicKey(privatePem)
    .export({ type: 'spki', format: 'pem' })
    .toString();
  const der = crypto.createPublicKey(privatePem).export({ type: 'spki', format: 'der' });
  const decryptor = new NodeRSA(privatePem, 'pkcs1-private-pem', {
    encryptionScheme: { scheme: 'pkcs1_oaep', hash: 'sha256' },
  });
  return {
    keyId: crypto.createHash('sha256').update(der).digest('hex').slice(0, 16),
    publicKeyPem,
    decryptor,
  };
}
