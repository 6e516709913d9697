import { AppError } from '../../platform/errors/app-error.js';
import { yuanText } from '../../platform/money/yuan-text.js';

/**
 * INSUFFICIENT_BALANCE, the one way every module says it: points as a count, stored value
 * in yuan, the word in both languages; the details carry the numbers (points, fen).
 */
export function insufficientBalance(kind: 'points' | 'wallet', needed: number, available: number): AppError {
  const left = Math.max(0, available);
  const params =
    kind === 'points'
      ? { what: { zh: '积分', en: 'points' }, needed, available: left }
      : { what: { zh: '储值余额', en: 'stored value' }, needed: yuanText(needed), available: yuanText(left) };
  return new AppError('INSUFFICIENT_BALANCE', { params, details: { what: kind, needed, available: left } });
}
