import { http } from './http';
import type { Envelope } from './envelope';
import type { Locale } from '@/locales';

export interface User {
  id: number;
  username: string;
  displayName: string;
  mustChangePassword: boolean;
  locale: Locale;
}

/** The signed-in user and the permission codes the server grants ('*' grants all). */
export interface Session {
  user: User;
  permissions: string[];
}

export interface LoginResult extends Session {
  token: string;
  expiresAt: string;
}

export interface PublicKeyInfo {
  keyId: string;
  /** PEM SPKI, "-----BEGIN PUBLIC KEY-----" */
  publicKey: string;
  /** single-use, valid 5 minutes */
  nonce: string;
  /** epoch ms */
  serverTime: number;
  algorithm: string;
}

export interface PasswordPolicy {
  minLength: number;
  maxLength: number;
  /** how many of the 4 classes (lower, upper, digit, symbol) are required */
  requiredClasses: number;
  notUsername: boolean;
  historyCount: number;
}

/** 获取加密登录用的公钥与一次性 nonce */
export const getPublicKey = () => http.get<PublicKeyInfo>('/api/v1/auth/public-key', { auth: false });

/** 登录（密码在 encrypted 信封中加密传输） */
export const login = (data: { username: string; encrypted: Envelope }) =>
  http.post<LoginResult>('/api/v1/auth/login', data, { auth: false });

/** 获取当前登录用户与权限 */
export const getMe = () => http.get<Session>('/api/v1/auth/me');

/** 退出登录 */
export const logout = () => http.post<void>('/api/v1/auth/logout');

/** 获取密码策略 */
export const getPasswordPolicy = () => http.get<PasswordPolicy>('/api/v1/auth/password-policy');

/** 修改密码（当前密码与新密码在 encrypted 信封中加密传输） */
export const changePassword = (data: { encrypted: Envelope }) =>
  http.post<Session>('/api/v1/auth/password', data);
