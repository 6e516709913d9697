import { isApiError } from '@/api/http';
import type { Member } from '@/api/members';
import { AMOUNT_ITEM_NAME, AMOUNT_SKU, type OrderItemInput, type PaymentInput, type PaymentMethod } from '@/api/orders';

export type SaleMode = 'amount' | 'items';

/** One typed line of an item sale; the price is fen, as the yuan input hands it over. */
export interface SaleLine {
  key: number;
  sku: string;
  name: string;
  quantity: number;
  unitPrice: number | undefined;
}

/** A line typed without a code is still a line; the server wants some sku. */
export const MANUAL_SKU = 'MANUAL';

let lineKey = 0;
export function newLine(): SaleLine {
  lineKey += 1;
  return { key: lineKey, sku: '', name: '', quantity: 1, unitPrice: undefined };
}

export const isBlankLine = (line: SaleLine) => line.sku.trim() === '' && line.name.trim() === '' && line.unitPrice === undefined;
export const isCompleteLine = (line: SaleLine) => line.name.trim() !== '' && line.unitPrice !== undefined && line.quantity >= 1;

/** The items the sale sends: one AMOUNT item, or the complete typed lines (blank ones are ignored). */
export function saleItems(mode: SaleMode, amount: number | undefined, lines: SaleLine[]): OrderItemInput[] {
  if (mode === 'amount') return amount && amount > 0 ? [{ sku: AMOUNT_SKU, name: AMOUNT_ITEM_NAME, quantity: 1, unitPrice: amount }] : [];
  return lines.filter(isCompleteLine).map((line) => ({
    sku: line.sku.trim() || MANUAL_SKU,
    name: line.name.trim(),
    quantity: line.quantity,
    unitPrice: line.unitPrice as number,
  }));
}

/** Points and stored value first (the member's balances), in that order. */
export function balancePayments(points: number | undefined, wallet: number | undefined): PaymentInput[] {
  const payments: PaymentInput[] = [];
  if (points && points > 0) payments.push({ method: 'points', amount: points });
  if (wallet && wallet > 0) payments.push({ method: 'wallet', amount: wallet });
  return payments;
}

/** A member's points as a number, or null when the caller's role masks them. */
export function memberPoints(member: Pick<Member, 'points'> | null | undefined): number | null {
  return typeof member?.points === 'number' ? member.points : null;
}

/** A member's stored value, or null when masked. */
export function memberWallet(member: Pick<Member, 'wallet'> | null | undefined): { principal: number; bonus: number } | null {
  const wallet = member?.wallet;
  return wallet && typeof wallet === 'object' ? wallet : null;
}

/** Where an error is shown on the cashier page. */
export const CASHIER_FIELDS = ['store', 'member', 'sale', 'coupon', 'points', 'wallet', 'payment', 'general'] as const;
export type CashierField = (typeof CASHIER_FIELDS)[number];

const CODE_FIELDS: Record<string, CashierField> = {
  POINTS_REDEMPTION_REFUSED: 'points',
  MEMBER_FROZEN: 'member',
  ORDER_MEMBER_REQUIRED: 'member',
  MEMBER_NOT_FOUND: 'member',
  STORE_NOT_FOUND: 'store',
  ORDER_PAYMENT_MISMATCH: 'payment',
};

const METHOD_FIELDS: Partial<Record<PaymentMethod, CashierField>> = { points: 'points', wallet: 'wallet' };

/**
 * Which input a failed preview or checkout belongs next to: a field error by its path
 * (`items.1.unitPrice` -> line 1, `payments.0.amount` -> that payment's input), a hard error
 * by its code. `lineErrors` gets the item lines' messages.
 */
export function placeError(error: unknown, payments: PaymentInput[], fallback: string): { field: CashierField; message: string; lines: Record<number, string> } {
  if (!isApiError(error)) return { field: 'general', message: fallback, lines: {} };
  if (error.code === 'VALIDATION_FAILED') {
    const lines: Record<number, string> = {};
    const rest: string[] = [];
    let field: CashierField = 'general';
    for (const [path, message] of Object.entries(error.fieldErrorsByPath())) {
      const [head, index] = path.split('.');
      if (head === 'items') {
        lines[Number(index)] = message;
        field = 'sale';
      } else if (head === 'payments') {
        field = METHOD_FIELDS[payments[Number(index)]?.method] ?? 'payment';
        rest.push(message);
      } else if (head === 'storeId') field = 'store';
      else if (head === 'memberId') field = 'member';
      else if (head === 'paymentPin') field = 'wallet';
      else if (head === 'couponCodes') field = 'coupon';
      else rest.push(`${path}: ${message}`);
    }
    return { field, message: rest.join('; ') || Object.values(lines).join('; ') || error.message, lines };
  }
  // The console does not ask for the PIN (the server checks it for API callers), but say it by the stored value if it comes.
  if (error.code.includes('PIN')) return { field: 'wallet', message: error.message, lines: {} };
  // Every refusal of a chosen coupon (expired, threshold not met, not stackable...) is said beside the coupons.
  if (error.code.startsWith('COUPON_')) return { field: 'coupon', message: error.message, lines: {} };
  if (error.code === 'INSUFFICIENT_BALANCE') return { field: insufficientField(error.details, error.message, payments), message: error.message, lines: {} };
  return { field: CODE_FIELDS[error.code] ?? 'general', message: error.message, lines: {} };
}

/** The balance that ran short: named in the details when the server says, else the one being used. */
function insufficientField(details: Record<string, unknown>, message: string, payments: PaymentInput[]): CashierField {
  const named = [details.method, details.balance, details.kind].find((value) => value === 'points' || value === 'wallet');
  if (named) return named as CashierField;
  // The message names the balance in the caller's language: 积分不足 / Not enough points.
  if (/积分|points/i.test(message)) return 'points';
  if (/储值|stored value/i.test(message)) return 'wallet';
  const used = payments.map((payment) => payment.method);
  return used.includes('wallet') && !used.includes('points') ? 'wallet' : used.includes('points') && !used.includes('wallet') ? 'points' : 'wallet';
}
