import crypto from 'node:crypto';

/**
 * Coupon codes: 11 random characters and 1 check character, all from an alphabet without
 * 0/O, 1/I (which read alike on a receipt or a phone screen). 11 random characters of 32
 * give about 2^54 codes, so guessing one of a merchant's coupons by trying codes is
 * hopeless long before any rate limit matters.
 *
 * The check character makes a mistyped code answerable without reading the database. It
 * is a weighted sum modulo the prime 37, not 31: with 32 symbols, modulo 31 two of them
 * (values 0 and 31) are the same number and a substitution between them would pass. With
 * 37, every single substitution and every swap of two neighbours (the check character
 * included) changes the sum. The sum can come out 32..36, which no character spells, so
 * the generator draws again (about one code in seven); it costs under a fifth of a bit.
 */
export const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const CODE_LENGTH = 12;
const RANDOM_LENGTH = CODE_LENGTH - 1;
const MODULUS = 37;

const VALUES = new Map([...CODE_ALPHABET].map((char, value) => [char, value]));

/** Weight of position i (0-based) of the random part: distinct, non-zero, and never 1. */
const weight = (index: number) => index + 2;

/** The check value of the random part, or null when it is not a spelling character. */
function checkValue(body: string): number | null {
  let sum = 0;
  for (let i = 0; i < body.length; i += 1) {
    const value = VALUES.get(body[i]!);
    if (value === undefined) return null;
    sum += weight(i) * value;
  }
  return sum % MODULUS;
}

/** A new code; callers still rely on the unique index, never on luck. */
export function generateCode(): string {
  for (;;) {
    let body = '';
    for (let i = 0; i < RANDOM_LENGTH; i += 1) body += CODE_ALPHABET[crypto.randomInt(CODE_ALPHABET.length)];
    const check = checkValue(body)!;
    if (check < CODE_ALPHABET.length) return body + CODE_ALPHABET[check];
  }
}

/** `n` distinct new codes. */
export function generateCodes(n: number): string[] {
  const codes = new Set<string>();
  while (codes.size < n) codes.add(generateCode());
  return [...codes];
}

/**
 * What a person typed, as a code would be stored: upper case, without the spaces and
 * dashes of a printed "ABCD-EFGH-JKLM".
 */
export function normalizeCode(input: string): string {
  return input.replace(/[\s-]/g, '').toUpperCase();
}

/** Whether a (normalized) code could have been issued: length, alphabet and check character. */
export function isWellFormedCode(code: string): boolean {
  if (code.length !== CODE_LENGTH) return false;
  const check = checkValue(code.slice(0, RANDOM_LENGTH));
  return check !== null && code[RANDOM_LENGTH] === CODE_ALPHABET[check];
}

/** A printed form in groups of four, e.g. for a receipt. */
export function formatCode(code: string): string {
  return code.match(/.{1,4}/g)?.join('-') ?? code;
}
