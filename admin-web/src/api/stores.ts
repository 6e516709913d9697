import { http } from './http';

export type StoreStatus = 'open' | 'closed';

export interface Store {
  id: number;
  code: string;
  name: string;
  region: string | null;
  address: string | null;
  phone: string | null;
  status: StoreStatus;
  createdAt: string;
  updatedAt: string;
}

export interface StoreQuery {
  keyword?: string;
  status?: StoreStatus;
}

export interface StoreCreate {
  code: string;
  name: string;
  region?: string | null;
  address?: string | null;
  phone?: string | null;
  status?: StoreStatus;
}

/** The code is immutable once created. */
export type StoreUpdate = Partial<Omit<StoreCreate, 'code'>>;

/** 门店列表（按关键字、营业状态筛选） */
export const listStores = (query: StoreQuery = {}) => http.get<{ items: Store[] }>('/api/v1/stores', { query: { ...query } });

/** 新建门店 */
export const createStore = (data: StoreCreate) => http.post<Store>('/api/v1/stores', data);

/** 修改门店（门店编码不可改） */
export const updateStore = (id: number, data: StoreUpdate) => http.patch<Store>(`/api/v1/stores/${id}`, data);
