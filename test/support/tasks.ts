import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import type { Response } from 'superagent';
import type { TestApp } from './app.js';

function binary(res: Response, done: (error: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

/** Polls a background task until it leaves queued/running; the app must run jobs. */
export async function settledTask(test: TestApp, token: string, id: number, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const res = await test.http().get(`/api/v1/tasks/${id}`).set('Authorization', `Bearer ${token}`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    if (res.body.status === 'succeeded' || res.body.status === 'failed') return res.body;
    await sleep(100);
  }
  throw new Error(`task ${id} did not finish in ${timeoutMs} ms`);
}

/** A finished task's file. */
export async function taskOutput(test: TestApp, token: string, id: number): Promise<Buffer> {
  const res = await test.http().get(`/api/v1/tasks/${id}/output`).set('Authorization', `Bearer ${token}`).buffer(true).parse(binary);
  expect(res.status).to.equal(200);
  return res.body as Buffer;
}

/** Waits for a task and asserts it succeeded; on failure the message carries the server log's tail. */
export async function succeededTask(test: TestApp, token: string, id: number, timeoutMs = 30_000) {
  const done = await settledTask(test, token, id, timeoutMs);
  if (done.status !== 'succeeded') {
    const dir = path.join(test.dataDir, 'logs');
    const log = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.log')).map((f) => fs.readFileSync(path.join(dir, f), 'utf8').slice(-4000)).join('\n') : '';
    expect.fail(`task ${id} ${done.status}: ${JSON.stringify(done.error)}\n${log}`);
  }
  return done;
}
