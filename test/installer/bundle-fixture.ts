import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../server/src/platform/paths.js';
import { ENTRY, explain, runProgram } from './installer-kit.js';

/**
 * The offline bundle, built once per test run (it takes about half a minute) and shared by
 * the bundle and upgrade suites.
 */
export const REPO_VERSION = (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

export interface BuiltBundle {
  version: string;
  outDir: string;
  tarball: string;
  /** The unpacked `huiji-<version>/` folder. */
  root: string;
  /** What `bundle --json` reported. */
  report: { file: string; sha256: string; bytes: number; version: string; files: number; glibc: string | null };
}

let building: Promise<BuiltBundle> | null = null;

/** `huiji-installer bundle` from the repo into a temp dir, unpacked beside it; once per run. */
export function builtBundle(): Promise<BuiltBundle> {
  building ??= buildBundle();
  return building;
}

async function buildBundle(): Promise<BuiltBundle> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huiji-bundle-test-'));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const outDir = path.join(dir, 'out');
  const result = await runProgram(process.execPath, [ENTRY, 'bundle', '--out', outDir, '--json', '--log-file', path.join(dir, 'bundle.log')], { cwd: dir });
  if (result.code !== 0) throw new Error(`huiji-installer bundle failed: ${explain(result)}`);
  const report = JSON.parse(result.stdout) as BuiltBundle['report'];
  const unpacked = path.join(dir, 'unpacked');
  fs.mkdirSync(unpacked);
  const untar = await runProgram('tar', ['-xzf', report.file, '-C', unpacked]);
  if (untar.code !== 0) throw new Error(`tar -xzf failed: ${explain(untar)}`);
  return { version: report.version, outDir, tarball: report.file, root: path.join(unpacked, `huiji-${report.version}`), report };
}

/**
 * A copy of the unpacked bundle that calls itself `version`, as the next release would:
 * hard links (fast, no extra disk) except package.json, which is written anew.
 */
export async function sourceWithVersion(bundle: BuiltBundle, version: string, parent: string): Promise<string> {
  const copy = path.join(parent, `huiji-${version}`);
  const result = await runProgram('cp', ['-al', bundle.root, copy]);
  if (result.code !== 0) throw new Error(`cp -al failed: ${explain(result)}`);
  const file = path.join(copy, 'package.json');
  const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string };
  fs.rmSync(file);
  fs.writeFileSync(file, `${JSON.stringify({ ...pkg, version }, null, 2)}\n`);
  return copy;
}

export function nextPatch(version: string, steps = 1): string {
  const [major, minor, patch] = version.split(/[.-]/).map(Number);
  return `${major}.${minor}.${patch + steps}`;
}
