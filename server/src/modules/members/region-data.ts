import { createRequire } from 'node:module';

type RegionModule = typeof import('element-china-area-data');
export type RegionNode = RegionModule['regionData'][number];

let loaded: RegionModule | undefined;

/**
 * China's administrative divisions (element-china-area-data), loaded on first use: they
 * cost about 10 MB, and most requests never look at a region.
 */
function regions(): RegionModule {
  loaded ??= createRequire(import.meta.url)('element-china-area-data') as RegionModule;
  return loaded;
}

/** The name of a division code (2, 4, 6 or 9 digits), or undefined for an unknown code. */
export function regionName(code: string): string | undefined {
  const names = regions().codeToText;
  return Object.hasOwn(names, code) ? names[code] : undefined;
}

/** Provinces, their cities and districts, as the console's cascader shows them. */
export function regionTree(): RegionModule['regionData'] {
  return regions().regionData;
}
