import type { AppError } from '../../platform/errors/app-error.js';
import { insufficientBalance } from '../loyalty/insufficient.js';

export { yuanText } from '../../platform/money/yuan-text.js';

/** Not enough stored value: the amounts as text in the message, in fen in the details. */
export function insufficientWallet(needed: number, available: number): AppError {
  return insufficientBalance('wallet', needed, available);
}
