import { idsByKey, insertBatches, type Row } from './batch.js';
import { DAY_MS, type SeedContext } from './context.js';
import { BRANDS, businessTime, landline, regionLabel, storeName, storeSites, streetAddress, type StoreSite } from './generators.js';
import type { Random } from './random.js';

export interface StorePlan {
  site: StoreSite;
  code: string;
  name: string;
  region: string;
  address: string;
  phone: string;
  status: 'open' | 'closed';
  createdAt: Date;
  updatedAt: Date;
}

export interface SeededStore extends StorePlan {
  id: number;
}

/** The chain opened its stores over the last three years, oldest first. */
const HISTORY_DAYS = 3 * 365;

/** S001, S002, … S1000: the codes the named demo accounts and other checks rely on. */
export function storeCode(index: number): string {
  return `S${String(index + 1).padStart(3, '0')}`;
}

/**
 * One brand, `count` stores in real districts, coded S001… in opening order; about one in
 * ten (never S001 or S002, where the named demo accounts work) has closed.
 */
export function planStores(random: Random, count: number, now: Date): { brand: string; stores: StorePlan[] } {
  // Separate streams, so `--stores 8` plans the first eight stores of `--stores 50`.
  const brand = random.fork('brand').pick(BRANDS);
  const sites = storeSites(random.fork('sites'), count);
  const since = new Date(now.getTime() - HISTORY_DAYS * DAY_MS);
  // Opened at least a month ago, so every store has had time to take on staff.
  const openedBy = new Date(now.getTime() - 30 * DAY_MS);
  const timeline = random.fork('openings');
  const openings = Array.from({ length: count }, () => businessTime(timeline, since, openedBy)).sort((a, b) => a.getTime() - b.getTime());
  const details = random.fork('details');
  const stores = sites.map((site, i): StorePlan => {
    const closed = i >= 2 && details.chance(0.1);
    const createdAt = openings[i];
    return {
      site,
      code: storeCode(i),
      name: storeName(brand, site),
      region: regionLabel(site.city, site.district),
      address: streetAddress(details, site.city, site.district),
      phone: landline(details, site.city),
      status: closed ? 'closed' : 'open',
      createdAt,
      updatedAt: closed ? businessTime(details, new Date(createdAt.getTime() + 30 * DAY_MS), now) : createdAt,
    };
  });
  return { brand, stores };
}

export async function seedStores(ctx: SeedContext, count: number): Promise<{ brand: string; stores: SeededStore[] }> {
  const { brand, stores } = planStores(ctx.random.fork('stores'), count, ctx.now);
  const rows = stores.map(
    (store): Row => ({
      code: store.code,
      name: store.name,
      region: store.region,
      address: store.address,
      phone: store.phone,
      status: store.status,
      created_at: store.createdAt,
      updated_at: store.updatedAt,
    }),
  );
  await insertBatches(ctx.sequelize, 'stores', rows, { chunkSize: ctx.chunkSize, total: rows.length, onProgress: ctx.onProgress });
  const ids = await idsByKey(ctx.sequelize, 'stores', 'code', stores.map((store) => store.code));
  return { brand, stores: stores.map((store) => ({ ...store, id: ids.get(store.code)! })) };
}
