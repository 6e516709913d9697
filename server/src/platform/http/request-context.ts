import { AsyncLocalStorage } from 'node:async_hooks';
import type { Principal } from './route.js';

export interface RequestContext {
  requestId: string;
  locale: Locale;
  ip?: string;
  userAgent?: string;
  method?: string;
  path?: string;
  /** Set once the caller is authenticated; the audit log names it as the actor. */
  principal?: Principal;
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
