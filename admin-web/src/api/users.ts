import { http } from './http';

export type UserStatus = 'active' | 'disabled';

/** A staff account as the user administration sees it. */
export interface StaffUser {
  id: number;
  username: string;
  displayName: string;
  status: UserStatus;
  /** role codes */
  roles: string[];
  storeIds: number[];
  lastLoginAt: string | null;
  mustChangePassword: boolean;
  createdAt: string;
}

export interface UserQuery {
  keyword?: string;
  status?: UserStatus;
  roleCode?: string;
  storeId?: number;
}

export interface UserCreate {
  username: string;
  displayName: string;
  roles: string[];
  storeIds: number[];
}

export interface UserUpdate {
  displayName?: string;
  roles?: string[];
  storeIds?: number[];
  status?: UserStatus;
}

export interface UserSession {
  id: number;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
  lastSeenAt: string | null;
  expiresAt: string;
  /** the session making this request */
  current: boolean;
}

/** 员工列表（按关键字、状态、角色、门店筛选） */
export const listUsers = (query: UserQuery = {}) => http.get<{ items: StaffUser[] }>('/api/v1/users', { query: { ...query } });

/** 新建员工（服务器生成初始密码，只返回这一次） */
export const createUser = (data: UserCreate) =>
  http.post<{ user: StaffUser; initialPassword?: string }>('/api/v1/users', data);

/** 修改员工（姓名、角色、门店、启用/停用） */
export const updateUser = (id: number, data: UserUpdate) => http.patch<StaffUser>(`/api/v1/users/${id}`, data);

/** 重置密码（生成新的初始密码，结束该员工的全部会话） */
export const resetUserPassword = (id: number) =>
  http.post<{ initialPassword: string }>(`/api/v1/users/${id}/reset-password`);

/** 员工的登录会话 */
export const listUserSessions = (id: number) => http.get<{ items: UserSession[] }>(`/api/v1/users/${id}/sessions`);

/** 强制下线一个会话 */
export const revokeUserSession = (id: number, sessionId: number) =>
  http.delete<void>(`/api/v1/users/${id}/sessions/${sessionId}`);
