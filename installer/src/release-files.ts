import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * What a release holds, relative to the source root (a repo checkout or an unpacked bundle).
 * node_modules is added package by package: production packages only.
 */
const RELEASE_PATHS = [
  'package.json',
  'package-lock.json',
  'README.md',
  'bin',
  'dist/server',
  'dist/admin-web',
  'dist/installer',
  'deploy',
  'docs',
  'installer/bin',
];

/** Build outputs a release cannot run without; a repo checkout must be built first. */
const BUILT_OUTPUTS: Array<{ file: string; what: string }> = [
  { file: 'dist/server/main.js', what: 'the server' },
  { file: 'dist/server/cli/huiji.js', what: 'the huiji command' },
  { file: 'dist/admin-web/index.html', what: 'the console' },
  { file: 'dist/installer/cli.js', what: 'the installer' },
];

export class ReleaseFilesError extends Error {
  override name = 'ReleaseFilesError';
}

export interface ReleaseEntry {
  /** Relative to the source root, with forward slashes. */
  path: string;
  kind: 'file' | 'dir' | 'symlink';
}

interface LockPackage {
  dev?: boolean;
  link?: boolean;
  optional?: boolean;
}

/** Refuses a source root whose build outputs are missing, naming each. */
export async function assertBuilt(sourceRoot: string): Promise<void> {
  const missing: string[] = [];
  for (const output of BUILT_OUTPUTS) {
    if (!(await exists(path.join(sourceRoot, output.file)))) missing.push(`${output.what} (${output.file})`);
  }
  if (missing.length > 0) {
    throw new ReleaseFilesError(
      `${sourceRoot} is not built: missing ${missing.join(', ')}. In a repo checkout run \`npm run build\` and the installer once, then retry.`,
    );
  }
}

/**
 * The node_modules directories of production packages, from package-lock.json v2/v3
 * ("packages" entries without "dev": true), shallowest first. Optional packages for other
 * platforms are listed in the lock file but absent on disk; they are skipped.
 */
export async function productionPackages(sourceRoot: string): Promise<string[]> {
  const lockFile = path.join(sourceRoot, 'package-lock.json');
  let lock: { lockfileVersion?: number; packages?: Record<string, LockPackage> };
  try {
    lock = JSON.parse(await fs.readFile(lockFile, 'utf8')) as typeof lock;
  } catch (error) {
    throw new ReleaseFilesError(`cannot read ${lockFile}: ${(error as Error).message}`);
  }
  if (!lock.packages || (lock.lockfileVersion ?? 0) < 2) {
    throw new ReleaseFilesError(`${lockFile} has no "packages" map (lockfileVersion 2 or 3 is needed; npm 7+ writes it)`);
  }
  const packages: string[] = [];
  for (const [location, entry] of Object.entries(lock.packages)) {
    if (!location.startsWith('node_modules/') || entry.dev) continue;
    if (entry.link) {
      throw new ReleaseFilesError(`${location} is a linked (workspace) package; a release can only hold installed packages`);
    }
    if (await exists(path.join(sourceRoot, location))) {
      packages.push(location);
      continue;
    }
    if (!entry.optional) {
      throw new ReleaseFilesError(`${location} is a production dependency but is not installed: run \`npm ci\` first`);
    }
  }
  return packages.sort((a, b) => a.split('/node_modules/').length - b.split('/node_modules/').length || a.localeCompare(b));
}

/**
 * Every file, directory and symlink a release made from `sourceRoot` holds, parents before
 * children. A package's own node_modules is left out of its walk: the production packages
 * nested there are listed on their own, and dev-only ones must stay out.
 */
export async function listReleaseEntries(sourceRoot: string): Promise<ReleaseEntry[]> {
  await assertBuilt(sourceRoot);
  const entries: ReleaseEntry[] = [];
  const seenDirs = new Set<string>();
  const addParents = (relative: string) => {
    const parts = relative.split('/');
    for (let i = 1; i < parts.length; i += 1) {
      const dir = parts.slice(0, i).join('/');
      if (seenDirs.has(dir)) continue;
      seenDirs.add(dir);
      entries.push({ path: dir, kind: 'dir' });
    }
  };
  const walk = async (relative: string, skipNodeModules: boolean) => {
    const stat = await fs.lstat(path.join(sourceRoot, relative));
    if (stat.isSymbolicLink()) {
      entries.push({ path: relative, kind: 'symlink' });
    } else if (stat.isDirectory()) {
      if (!seenDirs.has(relative)) {
        seenDirs.add(relative);
        entries.push({ path: relative, kind: 'dir' });
      }
      const children = (await fs.readdir(path.join(sourceRoot, relative))).sort();
      for (const child of children) {
        if (skipNodeModules && child === 'node_modules') continue;
        await walk(`${relative}/${child}`, skipNodeModules);
      }
    } else if (stat.isFile()) {
      entries.push({ path: relative, kind: 'file' });
    }
    // Sockets, FIFOs and devices have no place in a release; they are left out.
  };

  for (const relative of RELEASE_PATHS) {
    if (!(await exists(path.join(sourceRoot, relative)))) {
      throw new ReleaseFilesError(`${path.join(sourceRoot, relative)} is missing; is ${sourceRoot} a Huiji checkout or bundle?`);
    }
    addParents(relative);
    await walk(relative, false);
  }
  for (const location of await productionPackages(sourceRoot)) {
    addParents(location);
    await walk(location, true);
  }
  return entries;
}

/**
 * Copies what a release needs from `sourceRoot` to `releaseDir`. Everything is written to a
 * temp directory beside `releaseDir` and renamed at the end, so a half-copied release never
 * exists under its real name. Modes are kept (native .node files, bin scripts) and
 * symlinks stay symlinks.
 */
export async function copyRelease(sourceRoot: string, releaseDir: string, onProgress?: (copiedFiles: number) => void): Promise<void> {
  const source = path.resolve(sourceRoot);
  const target = path.resolve(releaseDir);
  if (await exists(target)) throw new ReleaseFilesError(`${target} already exists; a release is never copied over another`);
  const entries = await listReleaseEntries(source);
  await fs.mkdir(path.dirname(target), { recursive: true });
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.partial-${crypto.randomBytes(4).toString('hex')}`);
  await fs.mkdir(temp, { mode: 0o755 });
  try {
    let copied = 0;
    const dirModes: Array<[string, number]> = [];
    for (const entry of entries) {
      const from = path.join(source, entry.path);
      const to = path.join(temp, entry.path);
      if (entry.kind === 'dir') {
        await fs.mkdir(to, { recursive: true });
        dirModes.push([to, (await fs.stat(from)).mode & 0o7777]);
      } else if (entry.kind === 'symlink') {
        await fs.symlink(await fs.readlink(from), to);
      } else {
        await fs.copyFile(from, to);
        const { mode } = await fs.stat(from);
        await fs.chmod(to, mode & 0o7777);
        copied += 1;
        if (onProgress && copied % 500 === 0) onProgress(copied);
      }
    }
    // Directory modes last, deepest first: a read-only directory must not block its own children.
    for (const [dir, mode] of dirModes.reverse()) await fs.chmod(dir, mode);
    onProgress?.(copied);
    await fs.rename(temp, target);
  } catch (error) {
    await fs.rm(temp, { recursive: true, force: true });
    throw error;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.lstat(file);
    return true;
  } catch {
    return false;
  }
}
