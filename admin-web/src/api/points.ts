import { http } from './http';

// A member's points: the ledger, the lots (what expires when), hand adjustments.

export const POINTS_KINDS = ['earn', 'redeem', 'redeem_return', 'earn_reversal', 'expire', 'adjust', 'event', 'topup_bonus', 'topup_reversal'] as const;
export type PointsKind = (typeof POINTS_KINDS)[number];

export interface PointsLedgerEntry {
  id: number;
  kind: PointsKind;
  /** what caused it: 'order', 'refund', 'topup', 'topup_refund', 'adjustment', 'event', 'expiry' */
  sourceType: string;
  sourceId: number | null;
  lotId: number | null;
  /** positive adds, negative takes */
  delta: number;
  /** may be negative: points owed */
  balanceAfter: number;
  storeId: number | null;
  operatorId: number | null;
  reason: string | null;
  createdAt: string;
}

export interface PointsLedgerPage {
  items: PointsLedgerEntry[];
  nextCursor: string | null;
}

export interface PointsLot {
  id: number;
  sourceType: string;
  sourceId: number | null;
  /** what the lot started with */
  amount: number;
  remaining: number;
  earnedAt: string;
  expiresAt: string | null;
}

export interface PointsLots {
  items: PointsLot[];
  summary: {
    /** negative when points are owed */
    balance: number;
    owed: number;
    expiringSoon: { points: number; before: string };
  };
}

export interface PointsAdjustment {
  /** positive adds, negative takes */
  delta: number;
  reason: string;
}

/** 会员积分明细（新的在前，按 cursor 翻页） */
export const listPointsLedger = (memberId: number, query: { cursor?: string; limit?: number } = {}) =>
  http.get<PointsLedgerPage>(`/api/v1/members/${memberId}/points/ledger`, { query: { ...query } });

/** 会员积分批次（余额、欠分、即将过期） */
export const getPointsLots = (memberId: number) => http.get<PointsLots>(`/api/v1/members/${memberId}/points/lots`);

export interface PointsAdjustmentResult {
  balance: number;
  entries: PointsLedgerEntry[];
}

/** 手工调整积分（须填原因） */
export const adjustPoints = (memberId: number, data: PointsAdjustment) =>
  http.post<PointsAdjustmentResult>(`/api/v1/members/${memberId}/points/adjustments`, data);
