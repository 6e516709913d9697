import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import NodeRSA from 'node-rsa';
import { loadOrCreateKeyFile, newRsaPrivateKeyPem, publicKeyId } from '../../platform/crypto/key-files.js';

export interface AuditKeys {
  /** Keys each record's HMAC; never stored in the database. */
  hmacKey: Buffer;
  /**
   * Keys the hashes of masked values in audit diffs; derived from the HMAC key, so a
   * restored server with its config compares hashes as the old one did.
   */
  diffHashKey: Buffer;
  /** Signs checkpoints; verification needs only the public half. */
  signer: NodeRSA;
  signingKeyId: string;
  publicKeyPem: string;
}

const HMAC_KEY_FILE = 'audit-hmac.key';
const SIGNING_KEY_FILE = 'audit-signing-private.pem';

export function loadAuditKeys(dataDir: string, configuredHmacKey?: string): AuditKeys {
  const hmacKey = Buffer.from(
    configuredHmacKey ?? loadOrCreateKeyFile(dataDir, HMAC_KEY_FILE, () => `${crypto.randomBytes(32).toString('base64')}\n`).trim(),
    'base64',
  );
  const privatePem = loadOrCreateKeyFile(dataDir, SIGNING_KEY_FILE, newRsaPrivateKeyPem);
  return {
    hmacKey,
    diffHashKey: Buffer.from(crypto.hkdfSync('sha256', hmacKey, Buffer.alloc(0), 'huiji audit diff values', 32)),
    signer: new NodeRSA(privatePem, 'pkcs1-private-pem', { signingScheme: 'pkcs1-sha256' }),
    signingKeyId: publicKeyId(privatePem),
    publicKeyPem: crypto.createPublicKey(privatePem).export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/**
 * The key files loadAuditKeys would have to create in `dataDir` (where loadOrCreateKeyFile
 * keeps them, under `keys/`). A tool that must use the server's keys, such as the audit
 * CLI, refuses to run when any is missing: new keys would make every record look forged.
 */
export function missingAuditKeyFiles(dataDir: string, configuredHmacKey?: string): string[] {
  const needed = configuredHmacKey ? [SIGNING_KEY_FILE] : [HMAC_KEY_FILE, SIGNING_KEY_FILE];
  return needed.map((name) => path.join(dataDir, 'keys', name)).filter((file) => !fs.existsSync(file));
}
