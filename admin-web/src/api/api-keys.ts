import { http } from './http';

export interface ApiKey {
  id: number;
  name: string;
  /** the first characters of the key, enough to recognise it */
  prefix: string;
  scopes: string[];
  storeId: number | null;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  rateLimitPerMinute: number;
  createdBy: { id: number; username: string };
  createdAt: string;
}

export interface ApiKeyCreate {
  name: string;
  scopes: string[];
  storeId?: number | null;
  expiresAt?: string | null;
  rateLimitPerMinute?: number;
}

/** API 密钥列表 */
export const listApiKeys = () => http.get<{ items: ApiKey[] }>('/api/v1/api-keys');

/** 新建 API 密钥（密钥明文只返回这一次） */
export const createApiKey = (data: ApiKeyCreate) => http.post<{ apiKey: ApiKey; secret: string }>('/api/v1/api-keys', data);

/** 吊销 API 密钥 */
export const revokeApiKey = (id: number) => http.post<void>(`/api/v1/api-keys/${id}/revoke`);
