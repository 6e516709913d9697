import { http } from './http';

// Points and stored value: the settings, the top-up plans, top-ups and the liability report.
// Amounts are integer fen, points integers.

export const EARN_METHODS = ['cash', 'wechat', 'alipay', 'card', 'other', 'wallet_principal', 'wallet_bonus'] as const;
export type EarnMethod = (typeof EARN_METHODS)[number];
export type Rounding = 'floor' | 'round' | 'ceil';
export const EXPIRY_POLICIES = ['never', 'days_after', 'year_end', 'rolling_months'] as const;
export type ExpiryPolicy = (typeof EXPIRY_POLICIES)[number];
export const POINTS_EVENTS = ['sign_in', 'profile_completed', 'referral'] as const;
export type PointsEvent = (typeof POINTS_EVENTS)[number];

export interface PointsEventRule {
  enabled: boolean;
  points: number;
  /** how many times a member may get it per day */
  dailyCap: number;
}

export interface PointsSettings {
  earn: { enabled: boolean; pointsPerYuan: number; methods: EarnMethod[]; rounding: Rounding };
  redeem: { enabled: boolean; pointsPerYuan: number; maxSharePercent: number; minPoints: number };
  expiry: { policy: ExpiryPolicy; days: number; graceMonths: number; months: number; notifyDaysBefore: number };
  events: Record<PointsEvent, PointsEventRule>;
}

export const SPEND_ORDERS = ['proportional', 'principal_first', 'bonus_first'] as const;
export type SpendOrder = (typeof SPEND_ORDERS)[number];

export interface WalletSettings {
  spendOrder: SpendOrder;
  customBonusMaxPercent: number;
  pin: { maxAttempts: number; lockMinutes: number };
  /** fen */
  minTopup: number;
  maxTopup: number;
}

export type PlanStatus = 'active' | 'retired';

export interface TopupPlan {
  id: number;
  name: string;
  /** what the member pays, fen; fixed once created */
  amount: number;
  /** stored value given on top, fen */
  bonus: number;
  points: number;
  /** the coupon template each top-up on the plan gives, null none */
  couponTemplateId: number | null;
  couponCount: number;
  status: PlanStatus;
  sortOrder: number;
  createdAt: string;
  updatedAt: string;
}

export interface PlanCreate {
  name: string;
  amount: number;
  bonus: number;
  points: number;
  sortOrder?: number;
  couponTemplateId?: number | null;
  couponCount?: number;
}

/** The amount never changes: a member who bought the plan bought that amount. */
export interface PlanPatch {
  name?: string;
  bonus?: number;
  points?: number;
  status?: PlanStatus;
  sortOrder?: number;
  couponTemplateId?: number | null;
  couponCount?: number;
}

export const TOPUP_PAY_METHODS = ['cash', 'wechat', 'alipay', 'card', 'other'] as const;
export type TopupPayMethod = (typeof TOPUP_PAY_METHODS)[number];

export interface TopupCreate {
  amount: number;
  bonus?: number;
  planId?: number;
  payMethod: TopupPayMethod;
  storeId?: number;
  reason?: string;
}

export interface MemberWalletBalance {
  principal: number;
  bonus: number;
}

export interface Topup {
  id: number;
  topupNo: string;
  principal: number;
  bonus: number;
  points: number;
  wallet: MemberWalletBalance;
  pointsBalance: number;
}

export interface LiabilityStore {
  storeId: number;
  storeCode: string;
  storeName: string;
  principal: number;
  bonus: number;
  members: number;
}

export interface Liability {
  asOf: string;
  stores: LiabilityStore[];
  totals: { principal: number; bonus: number; members: number };
}

export interface LiabilityTrend {
  days: { date: string; principal: number; bonus: number }[];
}

/** 积分规则 */
export const getPointsSettings = () => http.get<PointsSettings>('/api/v1/loyalty/points-settings');

/** 保存积分规则 */
export const updatePointsSettings = (data: PointsSettings) => http.put<PointsSettings>('/api/v1/loyalty/points-settings', data);

/** 储值设置 */
export const getWalletSettings = () => http.get<WalletSettings>('/api/v1/loyalty/wallet-settings');

/** 保存储值设置 */
export const updateWalletSettings = (data: WalletSettings) => http.put<WalletSettings>('/api/v1/loyalty/wallet-settings', data);

/** 储值方案列表（可按状态筛选） */
export const listPlans = (status?: PlanStatus) => http.get<{ items: TopupPlan[] }>('/api/v1/wallet/plans', { query: { status } });

/** 新建储值方案 */
export const createPlan = (data: PlanCreate) => http.post<TopupPlan>('/api/v1/wallet/plans', data);

/** 修改储值方案（金额不可改）、停用或重新启用 */
export const updatePlan = (id: number, data: PlanPatch) => http.patch<TopupPlan>(`/api/v1/wallet/plans/${id}`, data);

/** 会员充值（每次提交一个新的幂等键，重复点击不会重复入账） */
export const createTopup = (memberId: number, data: TopupCreate, idempotencyKey: string) =>
  http.post<Topup>(`/api/v1/members/${memberId}/wallet/topups`, data, { headers: { 'Idempotency-Key': idempotencyKey } });

/** 储值负债（截至某日营业结束，按门店） */
export const getLiability = (asOf: string) => http.get<Liability>('/api/v1/wallet/liability', { query: { asOf } });

/** 储值负债近若干天走势 */
export const getLiabilityTrend = (days = 30) => http.get<LiabilityTrend>('/api/v1/wallet/liability/trend', { query: { days } });
