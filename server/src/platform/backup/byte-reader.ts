/**
 * Reads exact byte counts from a stream of buffers of any size: what a framed format needs
 * from `fs.createReadStream` or a gunzip stream, with backpressure left to the stream.
 */
export class ByteReader {
  private readonly iterator: AsyncIterator<Buffer | string>;
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;
  private done = false;
  position = 0;

  constructor(private readonly source: NodeJS.ReadableStream | AsyncIterable<Buffer>) {
    this.iterator = (source as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  }

  private async fill(bytes: number): Promise<void> {
    while (this.bufferedBytes < bytes && !this.done) {
      const next = await this.iterator.next();
      if (next.done) {
        this.done = true;
        break;
      }
      const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
      if (chunk.length === 0) continue;
      this.buffered.push(chunk);
      this.bufferedBytes += chunk.length;
    }
  }

  /** Exactly `bytes` bytes, or null when the stream ends first. */
  async read(bytes: number): Promise<Buffer | null> {
    await this.fill(bytes);
    if (this.bufferedBytes < bytes) return null;
    let result: Buffer;
    if (this.buffered[0].length >= bytes) {
      result = this.buffered[0].subarray(0, bytes);
      this.buffered[0] = this.buffered[0].subarray(bytes);
      if (this.buffered[0].length === 0) this.buffered.shift();
    } else {
      const all = Buffer.concat(this.buffered);
      result = all.subarray(0, bytes);
      this.buffered = all.length > bytes ? [all.subarray(bytes)] : [];
    }
    this.bufferedBytes -= bytes;
    this.position += bytes;
    return result;
  }

  async atEnd(): Promise<boolean> {
    await this.fill(1);
    return this.bufferedBytes === 0;
  }

  close(): void {
    const stream = this.source as { destroy?: () => void };
    if (typeof stream.destroy === 'function') stream.destroy();
    else void this.iterator.return?.();
  }
}
