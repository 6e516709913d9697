/**
 * Start-up benchmark: time from process start to the first /readyz 200, and the resident
 * memory once idle. Targets (Foundation issue): under 3 s and under 150 MB on SQLite.
 * Runs the built server (npm run build first) as `npm start` does, cold (fresh data
 * directory: migrations, key pair, first admin) and warm (same directory again), on
 * SQLite and, when MariaDB/MySQL answers on 127.0.0.1:3306, on MySQL.
 *   npm run bench:startup [-- --runs 5]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase } from '../support/database.js';
import { SERVER_ENTRY, startServerProcess } from '../support/server-process.js';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3;
const TARGET_MS = 3000;
const TARGET_MB = 150;

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

async function measure(env: Record<string, string>, dataDir: string) {
  const started = performance.now();
  const server = await startServerProcess(env, dataDir);
  await server.waitForReady(30_000);
  const readyMs = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const idleMb = rssMb(server.child.pid!);
  await server.stop();
  return { readyMs, idleMb };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function bench(label: string, makeEnv: () => Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }>) {
  const cold: Array<{ readyMs: number; idleMb: number }> = [];
  const warm: Array<{ readyMs: number; idleMb: number }> = [];
  for (let i = 0; i < runs; i++) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'huiji-bench-'));
    const { env, cleanup } = await makeEnv();
    try {
      cold.push(await measure(env, dataDir));
      warm.push(await measure(env, dataDir));
    } finally {
      await cleanup();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
  for (const [kind, rows] of [['cold', cold], ['warm', warm]] as const) {
    const ms = median(rows.map((r) => r.readyMs));
    const mb = median(rows.map((r) => r.idleMb));
    const verdict = ms < TARGET_MS && mb < TARGET_MB ? 'within target' : 'OVER TARGET';
    console.log(
      `${label.padEnd(7)} ${kind}: ready in ${ms.toFixed(0)} ms (median of ${runs}; min ${Math.min(...rows.map((r) => r.readyMs)).toFixed(0)}, max ${Math.max(...rows.map((r) => r.readyMs)).toFixed(0)}), idle RSS ${mb.toFixed(1)} MB  [${verdict}: < ${TARGET_MS} ms, < ${TARGET_MB} MB]`,
    );
  }
}

if (!fs.existsSync(SERVER_ENTRY)) {
  console.error('Build first: npm run build');
  process.exit(1);
}
console.log(`Huiji start-up benchmark: node ${process.version}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`);
await bench('sqlite', async () => ({ env: {}, cleanup: async () => undefined }));
try {
  await bench('mysql', async () => {
    const db = await createTestDatabase('mysql');
    return { env: { HUIJI_DATABASE_URL: db.url }, cleanup: () => db.drop() };
  });
} catch (error) {
  console.log(`mysql: skipped (${(error as Error).message})`);
}
