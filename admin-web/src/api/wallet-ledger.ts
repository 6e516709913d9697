import { http } from './http';

// A member's stored value as the 360 page reads it: the balance and the ledger.
// Top-ups, plans and settings live in loyalty.ts.

export const WALLET_KINDS = ['topup', 'spend', 'spend_return', 'topup_refund'] as const;
export type WalletKind = (typeof WALLET_KINDS)[number];

export interface MemberWallet {
  /** fen */
  principal: number;
  bonus: number;
  total: number;
  pinSet: boolean;
  pinLockedUntil: string | null;
  topups: unknown[];
}

export interface WalletLedgerEntry {
  id: number;
  kind: WalletKind;
  /** 'topup', 'order', 'refund', 'topup_refund' */
  sourceType: string;
  sourceId: number | null;
  topupId: number;
  /** fen; positive adds, negative takes */
  principalDelta: number;
  bonusDelta: number;
  principalAfter: number;
  bonusAfter: number;
  storeId: number;
  topupStoreId: number;
  operatorId: number | null;
  reason: string | null;
  createdAt: string;
}

export interface WalletLedgerPage {
  items: WalletLedgerEntry[];
  nextCursor: string | null;
}

/** 会员储值余额（本金、赠送金、支付密码状态） */
export const getMemberWallet = (memberId: number) => http.get<MemberWallet>(`/api/v1/members/${memberId}/wallet`);

/** 会员储值明细（新的在前，按 cursor 翻页） */
export const listWalletLedger = (memberId: number, query: { cursor?: string; limit?: number } = {}) =>
  http.get<WalletLedgerPage>(`/api/v1/members/${memberId}/wallet/ledger`, { query: { ...query } });
