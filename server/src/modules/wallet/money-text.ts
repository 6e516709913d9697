import { AppError } from '../../platform/errors/app-error.js';
import { currentRequestContext } from '../../platform/http/request-context.js';

/**
 * Fen as a person reads it in an error message (`¥1,234.50`): the same text in both
 * languages, since an error's params are shared by its zh and en message.
 */
export function yuanText(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const whole = Math.floor(abs / 100).toLocaleString('en-US');
  return `${sign}¥${whole}.${String(abs % 100).padStart(2, '0')}`;
}

/** Not enough stored value: the amounts as text in the message, in fen in the details. */
export function insufficientWallet(needed: number, available: number): AppError {
  const what = currentRequestContext()?.locale === 'en' ? 'stored value' : '储值';
  return new AppError('INSUFFICIENT_BALANCE', {
    params: { what, needed: yuanText(needed), available: yuanText(available) },
    details: { what: 'wallet', needed, available },
  });
}
