import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Command } from 'commander';
import { runAction, type CommandContext } from '../context.js';
import { EXIT, InstallerError } from '../errors.js';
import { sourceVersion } from '../layout.js';
import { tail } from '../release-cli.js';
import { copyRelease } from '../release-files.js';

/**
 * `huiji-installer bundle`: the offline bundle, one .tar.gz an intranet server installs from
 * with no network. It holds a release (built server, console and installer, production
 * node_modules with their native binaries as built on this machine, deploy templates, docs),
 * a `huiji-installer` launcher at the top and SHA256SUMS; its own .sha256 lies beside it.
 */
const launcher = (glibc: string | null) => `#!/bin/sh
# The installer of this unpacked bundle: ./huiji-installer install ... (./huiji-installer --help).
here=$(cd "$(dirname "$0")" && pwd -P)
# The native modules inside were built against this glibc; an older one fails to load them.
need_glibc=${glibc ?? ''}
if [ -n "$need_glibc" ]; then
  have=$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{ print $2 }')
  if [ -z "$have" ] || ! awk -v have="$have" -v need="$need_glibc" 'BEGIN { split(have, h, "."); split(need, n, "."); exit !(h[1] > n[1] || (h[1] == n[1] && h[2] >= n[2])) }'; then
    echo "huiji-installer: this bundle's native modules need glibc $need_glibc or newer; this system has \${have:-no glibc}. Build the bundle on the oldest Linux you install on (docs/it-guide.en.md, docs/it-guide.zh-CN.md)." >&2
    exit 5
  fi
fi
node=\${HUIJI_NODE:-node}
if ! command -v "$node" >/dev/null 2>&1; then
  echo "huiji-installer: Node.js 20.19 or newer is needed and '$node' is not on PATH; install Node.js first (docs/it-guide.en.md, docs/it-guide.zh-CN.md)" >&2
  exit 5
fi
exec "$node" "$here/installer/bin/huiji-installer.mjs" "$@"
`;

export interface BundleResult {
  file: string;
  sha256: string;
  bytes: number;
  version: string;
  files: number;
  /** The oldest glibc the native modules load on, e.g. "2.34"; null when none links to glibc. */
  glibc: string | null;
}

/** The archive's name: native modules inside are built for this machine's platform and CPU. */
export function bundleName(version: string): string {
  return `huiji-${version}-${process.platform}-${process.arch}`;
}

export async function buildBundle(ctx: CommandContext, outDir: string): Promise<BundleResult> {
  const { ui, system, sourceRoot } = ctx;
  const version = sourceVersion(sourceRoot);
  const top = `huiji-${version}`;
  const file = path.join(outDir, `${bundleName(version)}.tar.gz`);
  // Not system.mkdir: that would also re-mode an existing directory such as the working one.
  fs.mkdirSync(outDir, { recursive: true });
  const staging = path.join(outDir, `.${top}-bundle-${crypto.randomBytes(4).toString('hex')}`);
  try {
    // In a repo checkout, build what is stale first; a bundle or release has nothing to build.
    const builder = path.join(sourceRoot, 'scripts', 'build-if-stale.mjs');
    if (fs.existsSync(builder)) {
      await ui.step('build what is stale (server, console, installer)', async () => {
        const result = await system.run(process.execPath, [builder], { cwd: sourceRoot });
        if (result.code !== 0) throw new InstallerError(EXIT.unexpected, `the build failed: ${tail(result)}`);
      });
    }
    const root = path.join(staging, top);
    const files = await ui.step(`copy the release files of ${version}`, async (step) => {
      let copied = 0;
      await copyRelease(sourceRoot, root, (count) => (copied = count));
      step.detail(`${copied.toLocaleString('en')} files`);
      return copied + 1;
    });
    const glibc = await ui.step('launcher huiji-installer', async (step) => {
      const needed = requiredGlibc(path.join(root, 'node_modules'));
      fs.writeFileSync(path.join(root, 'huiji-installer'), launcher(needed), { mode: 0o755 });
      fs.chmodSync(path.join(root, 'huiji-installer'), 0o755);
      step.detail(needed ? `native modules need glibc ${needed} or newer` : 'no native module needs glibc');
      return needed;
    });
    await ui.step('write SHA256SUMS', async (step) => {
      const sums = await checksumLines(root);
      fs.writeFileSync(path.join(root, 'SHA256SUMS'), sums.join(''), { mode: 0o644 });
      step.detail(`${sums.length.toLocaleString('en')} files`);
    });
    const sha256 = await ui.step(`pack ${path.basename(file)}`, async (step) => {
      const partial = `${file}.partial`;
      // Owned by root whoever built it (unpacked as root, files must not belong to a stray uid); names sorted.
      const result = await system.run('tar', ['--create', '--gzip', '--file', partial, '--directory', staging, '--owner=0', '--group=0', '--numeric-owner', '--sort=name', top]);
      if (result.code !== 0) {
        fs.rmSync(partial, { force: true });
        throw new InstallerError(EXIT.unexpected, `tar failed: ${tail(result)}`);
      }
      const hash = await sha256Of(partial);
      await system.rename(partial, file);
      await system.writeFile(`${file}.sha256`, `${hash}  ${path.basename(file)}\n`, { mode: 0o644 });
      step.detail(`${(fs.statSync(file).size / 1048576).toFixed(1)} MB`);
      return hash;
    });
    return { file, sha256, bytes: fs.statSync(file).size, version, files, glibc };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * The newest glibc symbol version (GLIBC_2.34 -> "2.34") any native module under `dir`
 * asks for: the versions are plain strings in the ELF version-needs table.
 */
export function requiredGlibc(dir: string): string | null {
  const newest = { major: 0, minor: 0 };
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && entry.name.endsWith('.node')) {
        for (const match of fs.readFileSync(full).toString('latin1').matchAll(/GLIBC_(\d+)\.(\d+)/g)) {
          const [major, minor] = [Number(match[1]), Number(match[2])];
          if (major > newest.major || (major === newest.major && minor > newest.minor)) Object.assign(newest, { major, minor });
        }
      }
    }
  };
  walk(dir);
  return newest.major > 0 ? `${newest.major}.${newest.minor}` : null;
}

/**
 * One `sha256sum` line per regular file under `root`, sorted, paths relative to it. Names
 * holding a backslash or a newline are escaped the way GNU sha256sum escapes them.
 * Symlinks are left out: their targets are files of the bundle and are listed themselves.
 */
export async function checksumLines(root: string): Promise<string[]> {
  const files: string[] = [];
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile() && child !== 'SHA256SUMS') files.push(child);
    }
  };
  walk('');
  files.sort();
  const hashes = new Array<string>(files.length);
  let next = 0;
  // A few files at a time: most are small, so waiting on one open at a time is the cost.
  const worker = async () => {
    while (next < files.length) {
      const index = next++;
      hashes[index] = await sha256Of(path.join(root, files[index]));
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return files.map((file, index) => {
    const escaped = /[\\\n]/.test(file);
    const name = escaped ? file.replace(/\\/g, '\\\\').replace(/\n/g, '\\n') : file;
    return `${escaped ? '\\' : ''}${hashes[index]}  ${name}\n`;
  });
}

async function sha256Of(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}

export function bundleCommand(): Command {
  return new Command('bundle')
    .description('build the offline bundle huiji-<version>-linux-x64.tar.gz (+ .sha256): built server, console and installer, production node_modules, deploy templates, docs, SHA256SUMS')
    .option('--out <dir>', 'where to write the bundle and its .sha256', '.')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      [
        '',
        'Native modules (sqlite3, argon2) are copied as built on this machine: build the bundle on',
        'the oldest Linux you install on (same CPU); the launcher refuses an older glibc.',
        '',
        'On the target: sha256sum -c huiji-<version>-linux-x64.tar.gz.sha256 && tar -xzf huiji-<version>-linux-x64.tar.gz',
        '               cd huiji-<version> && sha256sum -c --quiet SHA256SUMS && sudo ./huiji-installer install',
        '',
        'Exit codes: 0 written, 1 the build, copy or tar failed.',
      ].join('\n'),
    )
    .action(
      runAction(async (ctx, values) => {
        const result = await buildBundle(ctx, path.resolve(values.get<string>('out') ?? '.'));
        if (values.get<boolean>('json')) {
          process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        } else {
          ctx.ui.line();
          ctx.ui.line(`bundle: ${result.file} (${(result.bytes / 1048576).toFixed(1)} MB, ${result.files.toLocaleString('en')} files)`);
          ctx.ui.line(`sha256: ${result.sha256}  (also in ${path.basename(result.file)}.sha256)`);
          if (result.glibc) ctx.ui.line(`installs on Linux ${process.arch} with glibc ${result.glibc} or newer and Node.js 20.19 or newer`);
        }
        return EXIT.ok;
      }),
    );
}
