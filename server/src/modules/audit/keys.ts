import crypto from 'node:crypto';
import NodeRSA from 'node-rsa';
import { loadOrCreateKeyFile, newRsaPrivateKeyPem, publicKeyId } from '../../platform/crypto/key-files.js';

export interface AuditKeys {
  /** Keys each record's HMAC; never stored in the database. */
  hmacKey: Buffer;
  /** Signs checkpoints; verification needs only the public half. */
  signer: NodeRSA;
  signingKeyId: string;
  publicKeyPem: string;
}

export function loadAuditKeys(dataDir: string, configuredHmacKey?: string): AuditKeys {
  const hmacKey = Buffer.from(
    configuredHmacKey ?? loadOrCreateKeyFile(dataDir, 'audit-hmac.key', () => `${crypto.randomBytes(32).toString('base64')}\n`).trim(),
    'base64',
  );
  const privatePem = loadOrCreateKeyFile(dataDir, 'audit-signing-private.pem', newRsaPrivateKeyPem);
  return {
    hmacKey,
    signer: new NodeRSA(privatePem, 'pkcs1-private-pem', { signingScheme: 'pkcs1-sha256' }),
    signingKeyId: publicKeyId(privatePem),
    publicKeyPem: crypto.createPublicKey(privatePem).export({ type: 'spki', format: 'pem' }).toString(),
  };
}
