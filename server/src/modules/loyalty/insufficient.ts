import { AppError } from '../../platform/errors/app-error.js';

function yuan(fen: number): string {
  return `¥${(fen / 100).toFixed(2)}`;
}

/** INSUFFICIENT_BALANCE in the caller's language: points as a count, stored value in yuan. */
export function insufficientBalance(kind: 'points' | 'wallet', needed: number, available: number): AppError {
  const params =
    kind === 'points'
      ? { what: { zh: '积分', en: 'points' }, needed: String(needed), available: String(Math.max(0, available)) }
      : { what: { zh: '储值余额', en: 'stored value' }, needed: yuan(needed), available: yuan(Math.max(0, available)) };
  return new AppError('INSUFFICIENT_BALANCE', { params });
}
