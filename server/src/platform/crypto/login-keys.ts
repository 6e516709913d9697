import crypto from 'node:crypto';
import NodeRSA from 'node-rsa';
import { loadOrCreateKeyFile, newRsaPrivateKeyPem, publicKeyId } from './key-files.js';

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
  const privatePem = loadOrCreateKeyFile(dataDir, KEY_FILE, newRsaPrivateKeyPem);
  const publicKeyPem = crypto.createPublicKey(privatePem).export({ type: 'spki', format: 'pem' }).toString();
  const decryptor = new NodeRSA(privatePem, 'pkcs1-private-pem', {
    encryptionScheme: { scheme: 'pkcs1_oaep', hash: 'sha256' },
  });
  return { keyId: publicKeyId(privatePem), publicKeyPem, decryptor };
}
