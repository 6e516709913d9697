import type { Writable } from 'node:stream';

/** Resolves when `out` wants more data again, or has closed (the reader went away). */
export function drained(out: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}
