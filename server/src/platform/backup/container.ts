import crypto from 'node:crypto';
import fs from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { ByteReader } from './byte-reader.js';
import { integrityError, wrongKeyError } from './errors.js';
import { keyFingerprint, unwrapDataKey, wrapDataKey } from './keys.js';

/**
 * The encrypted file (.hjbak, .hjkey):
 *
 *   "HJBAK\0" | version u8 | header length u32 | header JSON | SHA-256 of everything before
 *   chunk*    : length u32 | AES-256-GCM ciphertext | 16-byte tag
 *
 * The data key is random per file and wrapped with RSA-OAEP(SHA-256) under the backup public
 * key, so the server that writes backups cannot read them. Each chunk's nonce is the file's
 * random prefix, the chunk's index and a last-chunk flag, and its additional data is the
 * header digest: a chunk moved, dropped, repeated or taken from another file fails its tag,
 * and a file cut after any chunk lacks the flagged last one. The header digest lets a flipped
 * header byte read as damage rather than as a wrong key.
 */
const MAGIC = Buffer.from('HJBAK\0', 'latin1');
const VERSION = 1;
const TAG_BYTES = 16;
const PREFIX_BYTES = 7;
export const CHUNK_BYTES = 1 << 20;
const MAX_HEADER_BYTES = 64 * 1024;

export interface ContainerHeader {
  format: 1;
  kind: 'backup' | 'keys' | 'snapshot';
  createdAt: string;
  huijiVersion: string;
  schemaVersion: string;
  dialect: 'mysql' | 'sqlite';
  host: string;
  keyFingerprint: string;
}

interface StoredHeader extends ContainerHeader {
  wrappedKey: string;
  noncePrefix: string;
}

function nonce(prefix: Buffer, index: number, last: boolean): Buffer {
  const value = Buffer.alloc(12);
  prefix.copy(value, 0);
  value.writeUInt32BE(index, PREFIX_BYTES);
  value[11] = last ? 1 : 0;
  return value;
}

function encodeHeader(header: StoredHeader): { bytes: Buffer; digest: Buffer } {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const head = Buffer.alloc(MAGIC.length + 5);
  MAGIC.copy(head, 0);
  head[MAGIC.length] = VERSION;
  head.writeUInt32BE(json.length, MAGIC.length + 1);
  const digest = crypto.createHash('sha256').update(head).update(json).digest();
  return { bytes: Buffer.concat([head, json, digest]), digest };
}

/** A transform from plaintext to the encrypted file's bytes, header first; memory stays at one chunk. */
export class EncryptStream extends Transform {
  private readonly key = crypto.randomBytes(32);
  private readonly prefix = crypto.randomBytes(PREFIX_BYTES);
  private readonly digest: Buffer;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private index = 0;
  bytesOut = 0;

  constructor(publicKeyPem: string, header: Omit<ContainerHeader, 'format' | 'keyFingerprint'>) {
    super();
    const stored: StoredHeader = {
      format: 1,
      ...header,
      keyFingerprint: keyFingerprint(publicKeyPem),
      wrappedKey: wrapDataKey(publicKeyPem, this.key).toString('base64'),
      noncePrefix: this.prefix.toString('base64'),
    };
    const { bytes, digest } = encodeHeader(stored);
    this.digest = digest;
    this.emit_(bytes);
  }

  private emit_(bytes: Buffer): void {
    this.bytesOut += bytes.length;
    this.push(bytes);
  }

  private seal(plain: Buffer, last: boolean): void {
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, nonce(this.prefix, this.index, last));
    cipher.setAAD(this.digest);
    const body = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length);
    this.emit_(length);
    this.emit_(body);
    this.index += 1;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    // Keep at least one byte back: only the flush knows which chunk is the last.
    while (this.pendingBytes > CHUNK_BYTES) {
      const all = Buffer.concat(this.pending);
      this.seal(all.subarray(0, CHUNK_BYTES), false);
      const rest = all.subarray(CHUNK_BYTES);
      this.pending = [rest];
      this.pendingBytes = rest.length;
    }
    callback();
  }

  override _flush(callback: TransformCallback): void {
    this.seal(Buffer.concat(this.pending), true);
    this.pending = [];
    callback();
  }
}

async function readHeader(reader: ByteReader): Promise<{ header: StoredHeader; digest: Buffer }> {
  const head = await reader.read(MAGIC.length + 5);
  if (!head || !head.subarray(0, MAGIC.length).equals(MAGIC)) throw integrityError('not a Huiji backup file (no HJBAK signature)');
  if (head[MAGIC.length] !== VERSION) throw integrityError(`backup format version ${head[MAGIC.length]} is not known to this release`);
  const length = head.readUInt32BE(MAGIC.length + 1);
  if (length > MAX_HEADER_BYTES) throw integrityError('the backup header is damaged (impossible length)');
  const json = await reader.read(length);
  const stored = await reader.read(32);
  if (!json || !stored) throw integrityError('the backup file ends inside its header');
  const digest = crypto.createHash('sha256').update(head).update(json).digest();
  if (!crypto.timingSafeEqual(digest, stored)) throw integrityError('the backup header is damaged (digest mismatch)');
  let header: StoredHeader;
  try {
    header = JSON.parse(json.toString('utf8')) as StoredHeader;
  } catch {
    throw integrityError('the backup header is damaged (not JSON)');
  }
  return { header, digest };
}

const publicPart = ({ wrappedKey: _w, noncePrefix: _n, ...header }: StoredHeader): ContainerHeader => header;

/** What the file says about itself; needs no key, reads a few hundred bytes. */
export async function readContainerHeader(file: string): Promise<ContainerHeader> {
  const reader = new ByteReader(fs.createReadStream(file, { highWaterMark: 64 * 1024 }));
  try {
    return publicPart((await readHeader(reader)).header);
  } finally {
    reader.close();
  }
}

/**
 * Walks the chunk framing without the key: proves the file is whole (every length fits,
 * the last chunk is there, nothing trails it) but, without the key, not that it is unchanged.
 */
export async function checkContainerStructure(file: string): Promise<{ ok: boolean; reason?: string; chunks: number }> {
  let chunks = 0;
  try {
    const reader = new ByteReader(fs.createReadStream(file, { highWaterMark: 64 * 1024 }));
    let offset: number;
    try {
      await readHeader(reader);
      offset = reader.position;
    } finally {
      reader.close();
    }
    const handle = await fs.promises.open(file, 'r');
    try {
      const { size } = await handle.stat();
      const length = Buffer.alloc(4);
      while (offset < size) {
        const { bytesRead } = await handle.read(length, 0, 4, offset);
        if (bytesRead < 4) return { ok: false, reason: 'the file ends inside a chunk length', chunks };
        const bodyLength = length.readUInt32BE();
        if (bodyLength < TAG_BYTES || bodyLength > CHUNK_BYTES + TAG_BYTES) return { ok: false, reason: `chunk ${chunks} has an impossible length`, chunks };
        offset += 4 + bodyLength;
        chunks += 1;
      }
      if (offset !== size) return { ok: false, reason: 'the file is truncated inside its last chunk', chunks };
      if (chunks === 0) return { ok: false, reason: 'the file has no data chunks', chunks };
      // The last chunk's flag is inside its nonce: only a decryption can check it.
      return { ok: true, chunks };
    } finally {
      await handle.close();
    }
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error), chunks };
  }
}

/**
 * Decrypts the file chunk by chunk, checking each tag, that chunks come in order and that
 * the flagged last chunk ends the file. A key with another fingerprint is a wrong key (exit 4).
 */
export async function* decryptContainer(
  source: NodeJS.ReadableStream,
  privateKeyPem: string,
  expectKind?: ContainerHeader['kind'],
): AsyncGenerator<Buffer, void, undefined> {
  const reader = new ByteReader(source);
  try {
    const { header, digest } = await readHeader(reader);
    if (expectKind && header.kind !== expectKind) throw integrityError(`expected a ${expectKind} file, this one holds ${header.kind}`);
    const given = keyFingerprint(privateKeyPem);
    if (given !== header.keyFingerprint) {
      throw wrongKeyError(`this backup was made for the key with fingerprint ${header.keyFingerprint}; the private key given has ${given}`);
    }
    const key = unwrapDataKey(privateKeyPem, Buffer.from(header.wrappedKey, 'base64'));
    const prefix = Buffer.from(header.noncePrefix, 'base64');
    for (let index = 0; ; index += 1) {
      const length = await reader.read(4);
      if (!length) throw integrityError(`the backup is truncated: it ends after chunk ${index - 1} without its last chunk`);
      const bodyLength = length.readUInt32BE();
      if (bodyLength < TAG_BYTES || bodyLength > CHUNK_BYTES + TAG_BYTES) throw integrityError(`chunk ${index} has an impossible length`);
      const body = await reader.read(bodyLength);
      if (!body) throw integrityError(`the backup is truncated inside chunk ${index}`);
      const plain = openChunk(key, prefix, digest, index, body);
      if (plain === null) throw integrityError(`chunk ${index} fails its authentication tag: the file was changed or damaged`);
      yield plain.data;
      if (plain.last) {
        if (!(await reader.atEnd())) throw integrityError('data follows the last chunk: the file was changed');
        return;
      }
    }
  } finally {
    reader.close();
  }
}

function openChunk(key: Buffer, prefix: Buffer, digest: Buffer, index: number, body: Buffer): { data: Buffer; last: boolean } | null {
  const cipherText = body.subarray(0, body.length - TAG_BYTES);
  const tag = body.subarray(body.length - TAG_BYTES);
  // The flag is not stored: try "not last" first (all but one chunk), then "last".
  for (const last of [false, true]) {
    try {
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, nonce(prefix, index, last));
      decipher.setAAD(digest);
      decipher.setAuthTag(tag);
      return { data: Buffer.concat([decipher.update(cipherText), decipher.final()]), last };
    } catch {
      // try the other flag
    }
  }
  return null;
}
