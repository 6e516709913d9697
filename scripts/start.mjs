// `npm start`: build what is out of date, then run the server in this same process.
// `npm run worker` (this script with `worker`): the same, for a process that only runs jobs.
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

const entry = process.argv[2] === 'worker' ? 'worker.js' : 'main.js';
await import(pathToFileURL(path.join(ROOT, 'dist', 'server', entry)).href);
