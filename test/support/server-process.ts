import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../server/src/platform/paths.js';

export const SERVER_ENTRY = path.join(PROJECT_ROOT, 'dist', 'server', 'main.js');
export const WORKER_ENTRY = path.join(PROJECT_ROOT, 'dist', 'server', 'worker.js');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  dataDir: string;
  url: string;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
  waitForReady(timeoutMs?: number): Promise<void>;
  stop(): Promise<number | null>;
}

/**
 * The built server as a real process, the way `npm start` runs it, on a port of its own;
 * with `entry` WORKER_ENTRY, a job worker the way `npm run worker` runs it.
 */
export async function startServerProcess(env: Record<string, string> = {}, dataDir?: string, entry = SERVER_ENTRY): Promise<ServerProcess> {
  const port = env.HUIJI_PORT ? Number(env.HUIJI_PORT) : await freePort();
  const dir = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'huiji-proc-'));
  const child = spawn(process.execPath, [entry], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dir,
      HUIJI_PORT: String(port),
      HUIJI_HOST: '127.0.0.1',
      HUIJI_DATA_DIR: path.join(dir, 'data'),
      HUIJI_LOG_DIR: path.join(dir, 'logs'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  return {
    child,
    port,
    dataDir: dir,
    url,
    stdout: () => out,
    stderr: () => err,
    exited,
    async waitForReady(timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${err}`);
        try {
          const res = await fetch(`${url}/readyz`);
          if (res.status === 200) return;
        } catch {
          // not listening yet
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`server not ready within ${timeoutMs} ms; stderr: ${err}`);
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
