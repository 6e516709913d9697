import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestContext {
  requestId: string;
  locale: Locale;
  ip?: string;
  userId?: number;
}

export type Locale = 'zh-CN' | 'en';

const storage = new AsyncLocalStorage<RequestContext>();

/** Per-request state lives here, never in a shared mutable object (ruoyi-vue-pro #589). */
export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}
