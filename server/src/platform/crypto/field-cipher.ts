import crypto from 'node:crypto';

/** A key id names a field-encryption key inside each ciphertext: short, lower case. */
export const FIELD_KEY_ID = /^[a-z0-9_-]{1,16}$/;

export interface FieldKeys {
  /** Every key that may have written a stored value, by id. */
  keys: ReadonlyMap<string, Buffer>;
  /** The key new values are written with. */
  activeKeyId: string;
  /** Keys the blind indexes (exact-match lookups); never the same as a field key. */
  blindIndexKey: Buffer;
}

/** A stored value that cannot be read: its key is gone, or it was altered. Never shown to clients as is. */
export class FieldDecryptError extends Error {
  override name = 'FieldDecryptError';
}

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Personal data at rest (phone, e-mail, ID number): AES-256-GCM with a fresh IV per value.
 * A stored value reads `v1:<keyId>:<base64url(iv | ciphertext | tag)>`, so keys can rotate
 * while old values stay readable. The `context` (`members.phone`) is authenticated data: a
 * value copied into another column, or another table, fails to decrypt instead of showing.
 * Blind indexes are HMAC-SHA256 under a key of their own, also bound to their context, so
 * equal phones in two columns do not index alike.
 */
export class FieldCipher {
  constructor(private readonly fieldKeys: FieldKeys) {
    if (!fieldKeys.keys.has(fieldKeys.activeKeyId)) throw new Error(`the active field key ${fieldKeys.activeKeyId} is not among the keys`);
    for (const [id, key] of fieldKeys.keys) {
      if (key.length !== 32) throw new Error(`field key ${id} must be 32 bytes`);
      if (key.equals(fieldKeys.blindIndexKey)) throw new Error(`field key ${id} must differ from the blind-index key`);
    }
  }

  get activeKeyId(): string {
    return this.fieldKeys.activeKeyId;
  }

  encrypt(plain: string, context: string): string {
    const keyId = this.fieldKeys.activeKeyId;
    const iv = crypto.randomBytes(IV_BYTES);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.fieldKeys.keys.get(keyId)!, iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${VERSION}:${keyId}:${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
  }

  decrypt(stored: string, context: string): string {
    const { keyId, payload } = parse(stored);
    const key = this.fieldKeys.keys.get(keyId);
    if (!key) throw new FieldDecryptError(`${context}: written with field key "${keyId}", which this server does not have`);
    if (payload.length < IV_BYTES + TAG_BYTES) throw new FieldDecryptError(`${context}: the stored value is truncated`);
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, payload.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(payload.subarray(payload.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(payload.subarray(IV_BYTES, payload.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new FieldDecryptError(`${context}: the stored value does not authenticate (altered, moved from another column, or a wrong key)`);
    }
  }

  /** Whether a stored value was written with a key other than the active one. */
  isStale(stored: string): boolean {
    return parse(stored).keyId !== this.fieldKeys.activeKeyId;
  }

  /** 64 hex digits; the caller normalizes first (digits only for phones, lower case for e-mail). */
  blindIndex(normalized: string, context: string): string {
    return crypto.createHmac('sha256', this.fieldKeys.blindIndexKey).update(context).update('\0').update(normalized, 'utf8').digest('hex');
  }
}

function parse(stored: string): { keyId: string; payload: Buffer } {
  const [version, keyId, body, extra] = stored.split(':');
  if (version !== VERSION || !keyId || !FIELD_KEY_ID.test(keyId) || !body || extra !== undefined) {
    throw new FieldDecryptError('the stored value is not a Huiji ciphertext (v1:<key>:<data>)');
  }
  return { keyId, payload: Buffer.from(body, 'base64url') };
}
