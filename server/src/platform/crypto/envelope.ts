import crypto from 'node:crypto';
import { z } from '../http/zod.js';
import type { LoginKeyPair } from './login-keys.js';

/**
 * What the console sends instead of a password: an AES-256-GCM payload whose key is
 * wrapped with the server's RSA-OAEP(SHA-256) public key. Hybrid, so two passwords of
 * any length fit, and authenticated, so a flipped bit is refused rather than misread.
 */
export const EnvelopeSchema = z.strictObject({
  keyId: z.string().min(1).max(64),
  key: z.base64().max(1024),
  iv: z.base64().max(64),
  data: z.base64().max(8192),
});

export type Envelope = z.infer<typeof EnvelopeSchema>;

export class EnvelopeError extends Error {
  override name = 'EnvelopeError';
}

const TAG_BYTES = 16;

export function openEnvelope(keys: LoginKeyPair, envelope: Envelope): unknown {
  if (envelope.keyId !== keys.keyId) throw new EnvelopeError('unknown key id');
  let aesKey: Buffer;
  try {
    aesKey = keys.decryptor.decrypt(Buffer.from(envelope.key, 'base64')) as Buffer;
  } catch {
    throw new EnvelopeError('key unwrap failed');
  }
  const iv = Buffer.from(envelope.iv, 'base64');
  const data = Buffer.from(envelope.data, 'base64');
  if (aesKey.length !== 32 || iv.length !== 12 || data.length <= TAG_BYTES) throw new EnvelopeError('bad sizes');
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', aesKey, iv);
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    const plain = Buffer.concat([decipher.update(data.subarray(0, data.length - TAG_BYTES)), decipher.final()]);
    return JSON.parse(plain.toString('utf8'));
  } catch {
    throw new EnvelopeError('payload decryption failed');
  }
}

/** The client side of the envelope, for API clients written in Node and for tests. */
export function sealEnvelope(keyId: string, publicKeyPem: string, payload: unknown): Envelope {
  const aesKey = crypto.randomBytes(32);
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', aesKey, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final(), cipher.getAuthTag()]);
  const wrapped = crypto.publicEncrypt(
    { key: publicKeyPem, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
    aesKey,
  );
  return { keyId, key: wrapped.toString('base64'), iv: iv.toString('base64'), data: body.toString('base64') };
}
