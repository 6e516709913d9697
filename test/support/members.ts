import { expect } from 'chai';
import type { TestApp } from './app.js';
import { auth } from './checkout.js';

/** Phone numbers `<prefix>0001`, `<prefix>0002`, …: a 7-digit prefix of its own keeps a suite's members apart. */
export function phoneSequence(prefix: string): () => string {
  let seq = 0;
  return () => `${prefix}${String(++seq).padStart(4, '0')}`;
}

/** Creates a member through the API as `token`'s holder; answers the member as created. */
export async function createMember(test: TestApp, token: string, body: Record<string, unknown>) {
  const res = await test.http().post('/api/v1/members').set(auth(token)).send(body);
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body as Record<string, unknown> & { id: number; cardNo: string };
}
