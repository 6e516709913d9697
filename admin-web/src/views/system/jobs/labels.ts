import type { JobLogEvent, JobLogLevel } from '@/api/jobs';

type TagType = 'primary' | 'success' | 'info' | 'warning' | 'danger';

export const LEVEL_TAG: Record<JobLogLevel, TagType> = {
  debug: 'info',
  info: 'primary',
  warn: 'warning',
  error: 'danger',
};

export const EVENT_TAG: Record<JobLogEvent, TagType> = {
  start: 'primary',
  success: 'success',
  fail: 'danger',
  complete: 'info',
  retry: 'warning',
  'retry:exhausted': 'danger',
  locked: 'info',
  expired: 'warning',
};

/** i18n keys under jobs.log.events ('retry:exhausted' is not a usable key). */
const EVENT_KEYS: Record<JobLogEvent, string> = {
  start: 'start',
  success: 'success',
  fail: 'fail',
  complete: 'complete',
  retry: 'retry',
  'retry:exhausted': 'retryExhausted',
  locked: 'locked',
  expired: 'expired',
};

export function isKnownEvent(event: string): event is JobLogEvent {
  // Object.hasOwn needs Chrome 93; store PCs may run older.
  return Object.prototype.hasOwnProperty.call(EVENT_KEYS, event);
}

/** The event's label key, or null for an event this console does not know (shown as sent). */
export function eventKey(event: string): string | null {
  return isKnownEvent(event) ? `jobs.log.events.${EVENT_KEYS[event]}` : null;
}

export function eventTag(event: string): TagType {
  return isKnownEvent(event) ? EVENT_TAG[event] : 'info';
}
