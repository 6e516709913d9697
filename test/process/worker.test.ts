import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { startServerProcess, WORKER_ENTRY, type ServerProcess } from '../support/server-process.js';

const FIRST = 'Given#Pass2026';
const CHANGED = 'Changed#Pass2027';

async function api(server: ServerProcess, path: string, init: { method?: string; token?: string; body?: object } = {}) {
  const res = await fetch(`${server.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    body: init.body ? JSON.stringify(init.body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** Signs in as the first admin and gets past the forced password change. */
async function adminToken(server: ServerProcess): Promise<string> {
  const login = await api(server, '/api/v1/auth/login', { method: 'POST', body: { username: 'admin', password: FIRST } });
  expect(login.status, JSON.stringify(login.body)).to.equal(200);
  const token = login.body.token as string;
  const changed = await api(server, '/api/v1/auth/password', { method: 'POST', token, body: { currentPassword: FIRST, newPassword: CHANGED } });
  expect(changed.status, JSON.stringify(changed.body)).to.equal(200);
  return (changed.body.token as string | undefined) ?? token;
}

describe('the worker process (jobs.runIn: worker)', function () {
  this.timeout(90_000);

  it('takes the jobs the server only queues, and stops cleanly on SIGTERM', async () => {
    const env = { HUIJI_BOOTSTRAP_ADMIN_PASSWORD: FIRST, HUIJI_JOBS_RUN_IN: 'worker' };
    const server = await startServerProcess(env);
    let worker: ServerProcess | undefined;
    try {
      await server.waitForReady();
      const token = await adminToken(server);
      const jobs = await api(server, '/api/v1/jobs', { token });
      expect(jobs.body.runsInThisProcess).to.equal(false);

      // Queued while no worker runs: it waits.
      const queued = await api(server, '/api/v1/audit-logs/exports', { method: 'POST', token, body: {} });
      expect(queued.status, JSON.stringify(queued.body)).to.equal(202);
      const id = queued.body.id as number;
      await sleep(1500);
      expect((await api(server, `/api/v1/tasks/${id}`, { token })).body.status).to.equal('queued');

      worker = await startServerProcess(env, server.dataDir, WORKER_ENTRY);
      let task: Record<string, unknown> = {};
      for (let i = 0; i < 150 && task.status !== 'succeeded' && task.status !== 'failed'; i++) {
        await sleep(100);
        task = (await api(server, `/api/v1/tasks/${id}`, { token })).body;
      }
      expect(task.status, JSON.stringify(task)).to.equal('succeeded');
      expect((task.output as { name: string }).name).to.match(/\.xlsx$/);
      const download = await fetch(`${server.url}/api/v1/tasks/${id}/output`, { headers: { authorization: `Bearer ${token}` } });
      expect(download.status).to.equal(200);
      expect((await download.arrayBuffer()).byteLength).to.be.above(1000);

      expect(await worker.stop()).to.equal(0);
      expect(worker.stdout()).to.contain('Huiji worker running jobs');
      expect(worker.stderr()).to.equal('');
    } finally {
      if (worker) await worker.stop();
      expect(await server.stop()).to.equal(0);
    }
  });

  it('waits for the server to apply migrations before it takes jobs', async () => {
    const worker = await startServerProcess({ HUIJI_JOBS_RUN_IN: 'worker' }, undefined, WORKER_ENTRY);
    try {
      for (let i = 0; i < 100 && !worker.stdout().includes('pending'); i++) await sleep(100);
      expect(worker.stdout()).to.match(/\d+ migration\(s\) pending; the worker waits/);
      expect(worker.child.exitCode).to.equal(null);
    } finally {
      expect(await worker.stop()).to.equal(0);
    }
  });
});
