/**
 * What every ledger row says about why a balance moved: its kind (earn, redeem, spend,
 * expire, ...), the record behind it (source type and id: order, refund, topup,
 * topup_refund, adjustment, event, expiry), where and by whom.
 */
export interface LedgerMove {
  kind: string;
  sourceType: string;
  sourceId: number | null;
  storeId: number | null;
  /** The staff user; null for an API key or the system. */
  operatorId: number | null;
  reason?: string | null;
  /** When it happened; now if not given (tests and the expiry job pass their clock). */
  at?: Date;
}
