import { formatCount, formatMoney } from '@/utils/format';

/** What the points and the stored-value ledgers' entries have in common. */
export interface LedgerEntry {
  id: number;
  kind: string;
  sourceType: string;
  sourceId: number | null;
}

/** A points change with its sign: +120, -80. */
export const signedPoints = (delta: number) => (delta > 0 ? `+${formatCount(delta)}` : formatCount(delta));

/** A money change with its sign: +¥12.00, -¥5.50. */
export const signedMoney = (delta: number) => (delta > 0 ? `+${formatMoney(delta)}` : formatMoney(delta));

/** The class colouring a change: green up, red down, grey none. */
export const deltaClass = (delta: number) => (delta > 0 ? 'ledger-tab__up' : delta < 0 ? 'ledger-tab__down' : 'ledger-tab__zero');

/** The order an entry came from, when it came from one (sale or refund), for a link. */
export function orderSource(entry: { sourceType: string; sourceId: number | null }): number | null {
  return entry.sourceType === 'order' && entry.sourceId !== null ? entry.sourceId : null;
}
