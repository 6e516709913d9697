/**
 * Splits a whole number (fen or points) over weights in proportion, by largest remainder:
 * the parts add up to `total` exactly, and no part exceeds its weight when `total` does
 * not exceed their sum (so a weight can be "what is left" and act as a cap). Ties go to
 * the earlier weight, so the same inputs always give the same split.
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  if (!Number.isSafeInteger(total) || total < 0) throw new Error(`allocate needs a whole non-negative total, got ${total}`);
  const sum = weights.reduce((a, b) => a + b, 0);
  if (weights.some((w) => !Number.isSafeInteger(w) || w < 0)) throw new Error('allocate needs whole non-negative weights');
  if (total === 0 || weights.length === 0) return weights.map(() => 0);
  if (sum === 0) throw new Error(`cannot split ${total} over weights that are all zero`);
  // BigInt keeps total * weight exact past 2^53 (a 100-million-yuan order in fen times a weight).
  const big = weights.map((w) => (BigInt(total) * BigInt(w)) / BigInt(sum));
  const parts = big.map(Number);
  const remainders = weights.map((w, i) => ({ i, r: Number((BigInt(total) * BigInt(w)) % BigInt(sum)) }));
  let left = total - parts.reduce((a, b) => a + b, 0);
  remainders.sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of remainders) {
    if (left === 0) break;
    parts[i] += 1;
    left -= 1;
  }
  return parts;
}

/** Sum of whole numbers. */
export function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
