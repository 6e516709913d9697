/**
 * Fen as a person reads it in a message or an audit summary (`¥1,234.50`), the same in
 * both languages; whole-number arithmetic, no float near money.
 */
export function yuanText(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const whole = Math.floor(abs / 100).toLocaleString('en-US');
  return `${sign}¥${whole}.${String(abs % 100).padStart(2, '0')}`;
}
