// Builds the server (tsc), the console (Vite) and the installer (tsc) when their sources are newer than the
// output, so `npm start` on a fresh clone or after a pull serves current code, and a
// second start costs nothing.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const TARGETS = [
  {
    name: 'server',
    sources: ['server', 'tsconfig.base.json', 'package.json'],
    output: 'dist/server/main.js',
    command: ['node_modules/typescript/bin/tsc', '-p', 'server/tsconfig.json'],
  },
  {
    name: 'console',
    sources: ['admin-web', 'tsconfig.base.json', 'package.json'],
    output: 'dist/admin-web/index.html',
    command: ['node_modules/vite/bin/vite.js', 'build', '--config', 'admin-web/vite.config.ts', '--logLevel', 'warn'],
  },
  {
    name: 'installer',
    sources: ['installer', 'tsconfig.base.json', 'package.json'],
    output: 'dist/installer/cli.js',
    command: ['node_modules/typescript/bin/tsc', '-p', 'installer/tsconfig.json'],
  },
];

function newestMtime(entry) {
  const full = path.join(ROOT, entry);
  if (!fs.existsSync(full)) return 0;
  const stat = fs.statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const child of fs.readdirSync(full)) {
    if (child === 'node_modules' || child.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(path.join(entry, child)));
  }
  return newest;
}

export function staleTargets() {
  return TARGETS.filter((target) => {
    const output = path.join(ROOT, target.output);
    if (!fs.existsSync(output)) return true;
    const built = fs.statSync(output).mtimeMs;
    return target.sources.some((source) => newestMtime(source) > built);
  });
}

export function buildIfStale({ quiet = false } = {}) {
  for (const target of staleTargets()) {
    const tool = path.join(ROOT, target.command[0]);
    if (!fs.existsSync(tool)) {
      if (fs.existsSync(path.join(ROOT, target.output))) {
        process.stderr.write(`Huiji: ${target.name} sources changed but build tools are not installed; serving the existing build.\n`);
        continue;
      }
      throw new Error(`cannot build the ${target.name}: run npm install first`);
    }
    if (!quiet) process.stdout.write(`Huiji: building the ${target.name}...\n`);
    const started = Date.now();
    const result = spawnSync(process.execPath, [tool, ...target.command.slice(1)], { cwd: ROOT, stdio: 'inherit' });
    if (result.status !== 0) throw new Error(`building the ${target.name} failed (exit ${result.status})`);
    // tsc and vite may leave the output's mtime untouched when nothing changed; mark it built now.
    const output = path.join(ROOT, target.output);
    const now = new Date();
    fs.utimesSync(output, now, now);
    if (!quiet) process.stdout.write(`Huiji: ${target.name} built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    buildIfStale();
  } catch (error) {
    process.stderr.write(`Huiji: ${error.message}\n`);
    process.exit(1);
  }
}
