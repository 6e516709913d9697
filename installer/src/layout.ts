import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where everything lives under a prefix P ("/" on a real server, a temp directory in tests).
 * The one place these paths are spelled; docs/ and the contract describe the same tree.
 */
export interface Layout {
  prefix: string;
  optDir: string;
  releasesDir: string;
  current: string;
  /** The bin/huiji of the installed release, through `current` (it finds huiji.env that way). */
  currentBin: string;
  envFile: string;
  etcDir: string;
  configFile: string;
  publicKeyFile: string;
  stateFile: string;
  dataDir: string;
  logDir: string;
  backupDir: string;
  /** Root's home under the prefix: where a new backup private key is written. */
  rootHome: string;
  unitFile: string;
  logFile: string;
  releaseDir(version: string): string;
}

export function layoutFor(prefixOption: string): Layout {
  const prefix = path.resolve(prefixOption);
  const under = (...parts: string[]) => path.join(prefix, ...parts);
  const optDir = under('opt', 'huiji');
  return {
    prefix,
    optDir,
    releasesDir: path.join(optDir, 'releases'),
    current: path.join(optDir, 'current'),
    currentBin: path.join(optDir, 'current', 'bin', 'huiji'),
    envFile: path.join(optDir, 'huiji.env'),
    etcDir: under('etc', 'huiji'),
    configFile: under('etc', 'huiji', 'huiji.config.json'),
    publicKeyFile: under('etc', 'huiji', 'backup-public.pem'),
    stateFile: under('etc', 'huiji', 'installer.json'),
    dataDir: under('var', 'lib', 'huiji'),
    logDir: under('var', 'log', 'huiji'),
    backupDir: under('var', 'backups', 'huiji'),
    rootHome: under('root'),
    unitFile: under('etc', 'systemd', 'system', 'huiji.service'),
    logFile: under('var', 'log', 'huiji', 'installer.log'),
    releaseDir: (version) => path.join(optDir, 'releases', version),
  };
}

/** True for the real root: only then are services, users and nginx reloads touched. */
export const isSystemPrefix = (layout: Layout) => layout.prefix === path.parse(layout.prefix).root;

/**
 * The directory holding installer/: a repo checkout, an unpacked bundle or an installed
 * release. Found from this file, whether it runs from installer/src (tests) or dist/installer.
 */
export const SOURCE_ROOT = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above the installer');
    dir = parent;
  }
  return dir;
})();

export function sourceVersion(sourceRoot = SOURCE_ROOT): string {
  return (JSON.parse(fs.readFileSync(path.join(sourceRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The nginx site's location under the prefix: Debian's sites-available, else conf.d. */
export function nginxSitePaths(layout: Layout): { site: string; enabledLink: string | null } {
  const nginxDir = path.join(layout.prefix, 'etc', 'nginx');
  const available = path.join(nginxDir, 'sites-available');
  if (!fs.existsSync(available) && fs.existsSync(path.join(nginxDir, 'conf.d'))) {
    return { site: path.join(nginxDir, 'conf.d', 'huiji.conf'), enabledLink: null };
  }
  return { site: path.join(available, 'huiji.conf'), enabledLink: path.join(nginxDir, 'sites-enabled', 'huiji.conf') };
}
