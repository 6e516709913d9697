import type { DebounceOptions } from 'agenda';

export interface DebounceState {
  nextRunAt: Date | null;
  debounceStartedAt: Date | null;
}

/**
 * When a debounced unique job runs, as agenda documents it. Trailing (default): every save
 * pushes the run to `delay` after the latest save, but never past `maxWait` after the first
 * save of the cycle. Leading: the first save of a window runs at once; later saves inside
 * the window only update the data.
 */
export function debounceSchedule(
  options: DebounceOptions,
  requested: Date | null,
  existing: DebounceState | null,
  now = new Date(),
): DebounceState {
  if (options.strategy === 'leading') {
    const started = existing?.debounceStartedAt;
    if (existing && started && now.getTime() - started.getTime() < options.delay) {
      return { nextRunAt: existing.nextRunAt, debounceStartedAt: started };
    }
    return { nextRunAt: requested ?? now, debounceStartedAt: now };
  }

  // A cycle is open while the job still waits to run; a job that ran starts a new one.
  const started = existing?.nextRunAt && existing.debounceStartedAt ? existing.debounceStartedAt : null;
  if (!started) return { nextRunAt: new Date(now.getTime() + options.delay), debounceStartedAt: now };
  if (options.maxWait !== undefined && now.getTime() - started.getTime() >= options.maxWait) {
    return { nextRunAt: now, debounceStartedAt: null };
  }
  let next = now.getTime() + options.delay;
  if (options.maxWait !== undefined) next = Math.min(next, started.getTime() + options.maxWait);
  return { nextRunAt: new Date(next), debounceStartedAt: started };
}
