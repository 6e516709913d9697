import { weightedPicker, type Random } from './random.js';
import { fromShopClock, toShopClock, within } from './shop-clock.js';
import type { StorePlan } from './stores.js';

/** When and where one member signed up: a moment in shop hours and an index into the stores. */
export interface Registration {
  at: Date;
  store: number;
}

/** A store that has closed signed members up more slowly than the ones still open: it closed for a reason. */
const CLOSED_STORE_RATE = 0.5;

/** A store's days on the shop clock, and how fast it signs members up. */
interface Window {
  store: number;
  from: number;
  to: number;
  rate: number;
}

/** A stretch of shop-hours time in which the same stores were open, and where it lies on the cumulative scale. */
interface Stretch {
  from: number;
  to: number;
  rate: number;
  start: number;
  end: number;
}

/**
 * `count` sign-ups in time order, so card numbers (handed out in this order) rise with
 * registration time as the server's do. Each store signs members up at a steady rate of its
 * own from its opening to its closing (or `now`), so older stores have more members, the
 * chain signs up more as it grows, and no one joins a store after it closed.
 *
 * The times are sorted uniforms on the cumulative scale of all stores' rates, drawn from
 * the largest down (the largest of k uniforms is U^(1/k), Rényi), so a million stream out
 * without being held in memory and sorted.
 */
export function* registrations(
  random: Random,
  stores: ReadonlyArray<Pick<StorePlan, 'status' | 'createdAt' | 'updatedAt'>>,
  count: number,
  now: Date,
): Generator<Registration> {
  if (count === 0) return;
  const windows: Window[] = stores
    .map((store, index) => ({
      store: index,
      from: toShopClock(store.createdAt),
      to: toShopClock(store.status === 'closed' ? store.updatedAt : now),
      // Some stores are busier than others.
      rate: (0.6 + 0.8 * random.next()) * (store.status === 'closed' ? CLOSED_STORE_RATE : 1),
    }))
    .filter((window) => window.to > window.from);
  const stretches = stretchesOf(windows);
  const total = stretches.at(-1)?.end ?? 0;
  if (total <= 0) throw new Error('no store has been open during shop hours, so no member can have registered');

  let current = 0;
  let pickStore = pickerFor(windows, stretches[0]);
  let remaining = 1;
  for (let k = count; k >= 1; k--) {
    remaining *= (1 - random.next()) ** (1 / k);
    const target = (1 - remaining) * total;
    let moved = false;
    while (current < stretches.length - 1 && target >= stretches[current].end) {
      current += 1;
      moved = true;
    }
    const stretch = stretches[current];
    if (moved) pickStore = pickerFor(windows, stretch);
    const window = pickStore(random);
    const clock = Math.min(Math.max(stretch.from + (target - stretch.start) / stretch.rate, window.from), window.to);
    const store = stores[window.store];
    yield { at: within(fromShopClock(Math.floor(clock)), store.createdAt, store.status === 'closed' ? store.updatedAt : now), store: window.store };
  }
}

function stretchesOf(windows: readonly Window[]): Stretch[] {
  const edges = [...new Set(windows.flatMap((window) => [window.from, window.to]))].sort((a, b) => a - b);
  const stretches: Stretch[] = [];
  let cumulative = 0;
  for (let i = 0; i + 1 < edges.length; i++) {
    const [from, to] = [edges[i], edges[i + 1]];
    const rate = windows.reduce((sum, window) => (window.from <= from && window.to >= to ? sum + window.rate : sum), 0);
    if (rate === 0) continue;
    const start = cumulative;
    cumulative += rate * (to - from);
    stretches.push({ from, to, rate, start, end: cumulative });
  }
  return stretches;
}

/** Built when the timeline enters a stretch: at most two per store, each over the stores open then. */
function pickerFor(windows: readonly Window[], stretch: Stretch): (random: Random) => Window {
  const open = windows.filter((window) => window.from <= stretch.from && window.to >= stretch.to);
  return weightedPicker(open.map((window) => [window, window.rate] as const));
}
