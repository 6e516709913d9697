// `npm start`: build what is out of date, then run the server in this same process.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, buildIfStale } from './build-if-stale.mjs';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  process.stderr.write(`Huiji needs Node.js 20.19 or newer; this is ${process.version}.\n`);
  process.exit(1);
}

try {
  buildIfStale();
} catch (error) {
  process.stderr.write(`Huiji: ${error.message}\n`);
  process.exit(1);
}

await import(pathToFileURL(path.join(ROOT, 'dist', 'server', 'main.js')).href);
