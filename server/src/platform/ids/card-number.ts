/**
 * Member card numbers: a digit prefix, the sequence zero-padded, and a Luhn check digit,
 * so a mistyped or misread digit (or two swapped neighbours) is caught at the counter before
 * any lookup. Digits only: they print as a barcode and type on any POS keypad.
 */
export const CARD_PREFIX = /^\d{0,6}$/;

export function luhnCheckDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

export function formatCardNumber(prefix: string, sequence: number, width = 8): string {
  if (!CARD_PREFIX.test(prefix)) throw new Error(`card prefix must be at most 6 digits, got "${prefix}"`);
  if (!Number.isSafeInteger(sequence) || sequence < 1) throw new Error(`card sequence must be a positive integer, got ${sequence}`);
  const body = `${prefix}${String(sequence).padStart(width, '0')}`;
  return `${body}${luhnCheckDigit(body)}`;
}

/** Whether a typed or scanned card number is well formed: digits with a matching check digit. */
export function isValidCardNumber(value: string): boolean {
  return /^\d{2,32}$/.test(value) && luhnCheckDigit(value.slice(0, -1)) === value.slice(-1);
}
