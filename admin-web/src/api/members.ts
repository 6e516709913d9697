import { download, http, type DownloadedFile } from './http';
import type { AuditDiffEntry } from './audit';
import type { CustomValue } from './member-fields';

export type MemberStatus = 'normal' | 'frozen' | 'erased';
export type Gender = 'male' | 'female' | 'other';

/**
 * A member as the caller may see it. The server drops fields the caller's roles hide and
 * masks the masked ones ('138****5678'), so every field but the id may be absent: absent
 * means "not for you", null means "empty".
 */
export interface Member {
  id: number;
  cardNo?: string | null;
  name?: string | null;
  nickname?: string | null;
  gender?: Gender | null;
  /** 'YYYY-MM-DD', or 'MM-DD' when masked */
  birthday?: string | null;
  /** a division code: '44', '4403', '440305' */
  region?: string | null;
  phone?: string | null;
  email?: string | null;
  wechatId?: string | null;
  idNumber?: string | null;
  status?: MemberStatus;
  frozenReason?: string | null;
  homeStoreId?: number;
  channel?: string | null;
  referrerId?: number | null;
  managerId?: number | null;
  registeredAt?: string;
  lastVisitAt?: string | null;
  notes?: string | null;
  /** fen */
  pointsBalance?: number;
  storedValueBalance?: number;
  totalSpent?: number;
  /** may be negative: points owed; a string when the caller's role masks balances */
  points?: number | string;
  /** stored value in fen; a string when masked */
  wallet?: { principal: number; bonus: number } | string;
  tierId?: number | null;
  custom?: Record<string, CustomValue | null>;
  createdAt?: string;
  updatedAt?: string;
}

export const MEMBER_SORTS = ['registeredAt', 'lastVisitAt', 'cardNo', 'name', 'birthday', 'pointsBalance', 'storedValueBalance', 'totalSpent'] as const;
export type MemberSort = (typeof MEMBER_SORTS)[number];

export interface MemberQuery {
  /** a whole phone number, its last 4 digits, a card number, or the start of a name */
  keyword?: string;
  storeId?: number;
  channel?: string;
  tierId?: number;
  managerId?: number;
  status?: MemberStatus;
  /** business-timezone days, both ends included */
  registeredFrom?: string;
  registeredTo?: string;
  birthdayMonth?: number;
  /** fen */
  spendMin?: number;
  spendMax?: number;
  sort?: MemberSort;
  order?: 'asc' | 'desc';
  limit?: number;
  cursor?: string;
  /** searchable custom fields: `custom.<key>` */
  [custom: `custom.${string}`]: string | undefined;
}

export interface MemberPage {
  items: Member[];
  /** null on the last page */
  nextCursor: string | null;
}

/** What a create or an edit may send; the server keeps status, balances and registration. */
export interface MemberWrite {
  cardNo?: string;
  name?: string | null;
  nickname?: string | null;
  gender?: Gender | null;
  birthday?: string | null;
  region?: string | null;
  phone?: string;
  email?: string | null;
  wechatId?: string | null;
  idNumber?: string | null;
  homeStoreId?: number;
  channel?: string | null;
  referrerId?: number | null;
  managerId?: number | null;
  notes?: string | null;
  custom?: Record<string, CustomValue | null>;
}

export type MemberCreate = MemberWrite & { phone: string };
/** The card number never changes. */
export type MemberPatch = Omit<MemberWrite, 'cardNo'>;

export interface MemberActivity {
  id: number;
  occurredAt: string;
  /** 'member.create', 'member.update', 'member.freeze', ... */
  action: string;
  actorName: string | null;
  summary: string;
  diff: AuditDiffEntry[] | Record<string, unknown> | null;
}

export interface MemberOverview {
  member: Member;
  recentOrders: unknown[];
  coupons: unknown[];
  tags: unknown[];
  tierHistory: unknown[];
  activity: MemberActivity[];
}

export const CONSENT_CHANNELS = ['sms', 'email', 'wechat'] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];
export const CONSENT_SOURCES = ['counter', 'console', 'phone_call', 'paper_form', 'api'] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

export interface ConsentState {
  granted: boolean;
  source: string | null;
  occurredAt: string | null;
}

export interface MemberConsents {
  current: Record<ConsentChannel, ConsentState>;
  history: { channel: string; granted: boolean; source: string; actorUserId: number | null; occurredAt: string }[];
}

export type ConsentChange = Partial<Record<ConsentChannel, boolean>> & { source: ConsentSource };

export interface Erasure {
  id: number;
  status: 'erased';
  erasedAt: string;
  /** the field keys that were cleared */
  cleared: string[];
}

/** 会员列表（筛选、排序，按 cursor 翻页） */
export const listMembers = (query: MemberQuery) => http.get<MemberPage>('/api/v1/members', { query: { ...query } });

/** 按完整手机号或卡号查找一位会员（收银台） */
export const lookupMember = (query: { phone: string } | { cardNo: string }) => http.get<Member>('/api/v1/members/lookup', { query: { ...query } });

/** 新建会员 */
export const createMember = (data: MemberCreate) => http.post<Member>('/api/v1/members', data);

/** 会员详情 */
export const getMember = (id: number) => http.get<Member>(`/api/v1/members/${id}`);

/** 修改会员（只发送改动的字段） */
export const updateMember = (id: number, data: MemberPatch) => http.patch<Member>(`/api/v1/members/${id}`, data);

/** 冻结会员（须填原因） */
export const freezeMember = (id: number, reason: string) => http.post<Member>(`/api/v1/members/${id}/freeze`, { reason });

/** 解冻会员 */
export const unfreezeMember = (id: number, reason?: string) =>
  http.post<Member>(`/api/v1/members/${id}/unfreeze`, reason ? { reason } : {});

/** 查看脱敏字段的明文（须填原因，记入操作日志） */
export const revealMember = (id: number, fields: string[], reason: string) =>
  http.post<{ id: number; values: Record<string, unknown> }>(`/api/v1/members/${id}/reveal`, { fields, reason });

/** 会员 360 视图（资料、余额、最近订单、优惠券、标签、等级记录、动态） */
export const getMemberOverview = (id: number) => http.get<MemberOverview>(`/api/v1/members/${id}/overview`);

/** 营销授权（当前状态与历史） */
export const getMemberConsents = (id: number) => http.get<MemberConsents>(`/api/v1/members/${id}/consents`);

/** 记录营销授权的变更及来源 */
export const setMemberConsents = (id: number, data: ConsentChange) => http.put<MemberConsents>(`/api/v1/members/${id}/consents`, data);

/** 导出会员个人信息副本（JSON 文件，记入操作日志） */
export const downloadPersonalData = (id: number): Promise<DownloadedFile> => download(`/api/v1/members/${id}/personal-data`);

/** 删除会员个人信息（不可恢复，须填原因） */
export const eraseMember = (id: number, reason: string) => http.post<Erasure>(`/api/v1/members/${id}/erase`, { reason });

export interface SavedView {
  id: number;
  name: string;
  query: Record<string, string | number>;
  createdAt: string;
  updatedAt: string;
}

/** 我的视图：列出已保存的筛选 */
export const listMemberViews = () => http.get<{ items: SavedView[] }>('/api/v1/member-views');

/** 保存当前筛选为视图（同名覆盖） */
export const saveMemberView = (name: string, query: object) => http.put<SavedView>('/api/v1/member-views', { name, query });

/** 删除已保存的视图 */
export const deleteMemberView = (id: number) => http.delete<void>(`/api/v1/member-views/${id}`);
