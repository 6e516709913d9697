#!/usr/bin/env node
// `npx huiji-installer <command>`: the on-prem installer. In a repo checkout it first builds
// what is stale (server, console, installer); a bundle or an installed release is already built.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  process.stderr.write(`huiji-installer needs Node.js 20.19 or newer; this is ${process.version}.\n`);
  process.exit(5);
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const builder = path.join(root, 'scripts', 'build-if-stale.mjs');
if (fs.existsSync(builder)) {
  const { buildIfStale } = await import(pathToFileURL(builder).href);
  try {
    // Build chatter must not mix into a --json report on stdout.
    buildIfStale({ quiet: process.argv.includes('--json') });
  } catch (error) {
    process.stderr.write(`huiji-installer: ${error.message}\n`);
    process.exit(1);
  }
}

const entry = path.join(root, 'dist', 'installer', 'cli.js');
if (!fs.existsSync(entry)) {
  process.stderr.write(`huiji-installer: ${entry} is missing; in a repo checkout run npm install and npm run build\n`);
  process.exit(1);
}
const { main } = await import(pathToFileURL(entry).href);
process.exit(await main(process.argv));
