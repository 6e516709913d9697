import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import type { Layout } from '../layout.js';
import type { System } from '../system.js';

/**
 * The release directories under <P>/opt/huiji/releases and the `current` symlink between
 * them: which one runs, how versions compare, which ones an upgrade keeps.
 */
export interface InstalledRelease {
  version: string;
  dir: string;
  /** What `current` holds, as written: `releases/<version>`. */
  linkTarget: string;
}

export function currentRelease(layout: Layout): InstalledRelease {
  let linkTarget: string;
  try {
    linkTarget = fs.readlinkSync(layout.current);
  } catch {
    throw new UsageError(`${layout.current} is not a symlink to a release; re-run huiji-installer install to repair the install`);
  }
  const dir = path.resolve(layout.optDir, linkTarget);
  let version: string;
  try {
    version = (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  } catch (error) {
    throw new UsageError(`the current release ${dir} has no readable package.json (${(error as Error).message}); re-run huiji-installer install to repair it`);
  }
  return { version, dir, linkTarget };
}

/** `current`'s target for a release: relative, so the tree still works when moved or mounted elsewhere. */
export const linkTargetFor = (layout: Layout, releaseDir: string) => path.relative(layout.optDir, releaseDir);

/**
 * Compares two versions "1.2.3" or "1.2.3-rc.1" the semver way: numeric parts by number, and
 * a pre-release sorts before its release. Negative when a < b.
 */
export function compareVersions(a: string, b: string): number {
  const [mainA, preA] = splitVersion(a);
  const [mainB, preB] = splitVersion(b);
  for (let i = 0; i < Math.max(mainA.length, mainB.length); i += 1) {
    const diff = (mainA[i] ?? 0) - (mainB[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  if (preA === preB) return 0;
  if (preA === null) return 1;
  if (preB === null) return -1;
  const partsA = preA.split('.');
  const partsB = preB.split('.');
  for (let i = 0; i < Math.max(partsA.length, partsB.length); i += 1) {
    if (partsA[i] === undefined) return -1;
    if (partsB[i] === undefined) return 1;
    const numeric = /^\d+$/.test(partsA[i]) && /^\d+$/.test(partsB[i]);
    const diff = numeric ? Number(partsA[i]) - Number(partsB[i]) : partsA[i].localeCompare(partsB[i]);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}

function splitVersion(version: string): [number[], string | null] {
  const [main, ...pre] = version.replace(/\+.*$/, '').split('-');
  return [main.split('.').map((part) => Number(part) || 0), pre.length > 0 ? pre.join('-') : null];
}

/**
 * Removes every release directory but the ones in `keep` (the running one and the one
 * before it, so a manual switch back stays possible), and leftovers of interrupted copies.
 */
export async function pruneReleases(system: System, layout: Layout, keep: string[]): Promise<string[]> {
  const kept = new Set(keep.map((dir) => path.resolve(dir)));
  const removed: string[] = [];
  for (const name of fs.readdirSync(layout.releasesDir)) {
    const dir = path.join(layout.releasesDir, name);
    if (kept.has(dir)) continue;
    await system.remove(dir);
    removed.push(name);
  }
  return removed;
}
