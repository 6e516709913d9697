import { ByteReader } from './byte-reader.js';
import { integrityError } from './errors.js';

/**
 * The plaintext inside a backup (before gzip and encryption): named entries, each a run of
 * blocks. A MySQL database is one entry whose blocks are single SQL statements, so a restore
 * never has to split SQL text; files are blocks of up to 1 MiB.
 *
 *   "HJAR1\n" | ("F" | name length u16 | name | (block length u32 | block)* | 0 u32)* | "E"
 */
const MAGIC = Buffer.from('HJAR1\n', 'latin1');

export interface ArchiveEntry {
  name: string;
  blocks: AsyncIterable<Buffer> | Iterable<Buffer>;
}

export async function* writeArchive(entries: AsyncIterable<ArchiveEntry> | Iterable<ArchiveEntry>): AsyncGenerator<Buffer> {
  yield MAGIC;
  for await (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const head = Buffer.alloc(3);
    head.write('F', 0, 'latin1');
    head.writeUInt16BE(name.length, 1);
    yield Buffer.concat([head, name]);
    for await (const block of entry.blocks) {
      if (block.length === 0) continue;
      const length = Buffer.alloc(4);
      length.writeUInt32BE(block.length);
      yield length;
      yield block;
    }
    yield Buffer.alloc(4);
  }
  yield Buffer.from('E', 'latin1');
}

/**
 * Reads entries in order. Each entry's blocks must be consumed (or left: they are skipped)
 * before the next entry is asked for.
 */
export async function* readArchive(source: AsyncIterable<Buffer> | NodeJS.ReadableStream): AsyncGenerator<ArchiveEntry> {
  const reader = new ByteReader(source);
  const magic = await reader.read(MAGIC.length);
  if (!magic || !magic.equals(MAGIC)) throw integrityError('the backup content is not a Huiji archive');
  for (;;) {
    const kind = await reader.read(1);
    if (!kind) throw integrityError('the backup content ends without its end mark');
    if (kind.toString('latin1') === 'E') {
      if (!(await reader.atEnd())) throw integrityError('data follows the end of the backup content');
      return;
    }
    if (kind.toString('latin1') !== 'F') throw integrityError('the backup content is damaged (unknown entry kind)');
    const nameLength = await reader.read(2);
    const name = nameLength && (await reader.read(nameLength.readUInt16BE()));
    if (!name) throw integrityError('the backup content ends inside an entry name');
    let finished = false;
    const blocks = (async function* () {
      for (;;) {
        const length = await reader.read(4);
        if (!length) throw integrityError('the backup content ends inside an entry');
        const size = length.readUInt32BE();
        if (size === 0) {
          finished = true;
          return;
        }
        const block = await reader.read(size);
        if (!block) throw integrityError('the backup content ends inside a block');
        yield block;
      }
    })();
    yield { name: name.toString('utf8'), blocks };
    if (!finished) for await (const _ of blocks) void _;
  }
}

/** Yields a file's bytes in blocks of at most `size`. */
export async function* inBlocks(source: AsyncIterable<Buffer>, size = 1 << 20): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of source) {
    pending.push(chunk);
    bytes += chunk.length;
    if (bytes >= size) {
      yield Buffer.concat(pending);
      pending = [];
      bytes = 0;
    }
  }
  if (bytes > 0) yield Buffer.concat(pending);
}
