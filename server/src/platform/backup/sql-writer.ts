/**
 * Builds SQL text as bytes. Values come from MySQL as raw bytes (no decoding into JS
 * strings and back), which keeps a dump of millions of rows close to mysqldump's speed.
 */
export class SqlBuffer {
  private buffer = Buffer.allocUnsafe(2 << 20);
  length = 0;

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + extra));
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }

  ascii(text: string): void {
    this.ensure(text.length);
    this.length += this.buffer.write(text, this.length, 'latin1');
  }

  byte(value: number): void {
    this.ensure(1);
    this.buffer[this.length++] = value;
  }

  raw(bytes: Buffer): void {
    this.ensure(bytes.length);
    bytes.copy(this.buffer, this.length);
    this.length += bytes.length;
  }

  /** A quoted string literal, escaped the way MySQL reads it with backslash escapes on. */
  quoted(bytes: Buffer): void {
    this.ensure(bytes.length * 2 + 2);
    const out = this.buffer;
    let at = this.length;
    out[at++] = 0x27;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      const escaped = ESCAPES[b];
      if (escaped === 0) {
        out[at++] = b;
      } else {
        out[at++] = 0x5c;
        out[at++] = escaped;
      }
    }
    out[at++] = 0x27;
    this.length = at;
  }

  hex(bytes: Buffer): void {
    this.ascii(`X'${bytes.toString('hex')}'`);
  }

  /** The bytes written since `from`, copied out, and the buffer reset to `from`. */
  take(from = 0): Buffer {
    const result = Buffer.from(this.buffer.subarray(from, this.length));
    this.length = from;
    return result;
  }

  view(from: number, to = this.length): Buffer {
    return this.buffer.subarray(from, to);
  }
}

const ESCAPES = new Uint8Array(256);
ESCAPES[0x00] = 0x30; // \0
ESCAPES[0x0a] = 0x6e; // \n
ESCAPES[0x0d] = 0x72; // \r
ESCAPES[0x1a] = 0x5a; // \Z
ESCAPES[0x22] = 0x22; // \"
ESCAPES[0x27] = 0x27; // \'
ESCAPES[0x5c] = 0x5c; // \\

export const quoteIdentifier = (name: string) => `\`${name.replace(/`/g, '``')}\``;
