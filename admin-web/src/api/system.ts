import { http } from './http';

export interface SystemInfo {
  version: string;
  nodeVersion: string;
  database: { dialect: 'sqlite' | 'mysql'; version: string };
  businessTimezone: string;
  migrations: { applied: number; pending: number };
  /** ISO instant */
  startedAt: string;
  uptimeSeconds: number;
}

/** 获取系统信息（版本、数据库、迁移、运行时长） */
export const getSystemInfo = () => http.get<SystemInfo>('/api/v1/system/info');
