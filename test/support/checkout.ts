import { expect } from 'chai';
import crypto from 'node:crypto';
import type { TestApp } from './app.js';

export const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Lets custom top-ups carry any bonus, so tests fund members with exact buckets. */
export async function allowAnyBonus(test: TestApp, token: string): Promise<void> {
  const current = await test.http().get('/api/v1/loyalty/wallet-settings').set(auth(token));
  expect(current.status, JSON.stringify(current.body)).to.equal(200);
  const res = await test.http().put('/api/v1/loyalty/wallet-settings').set(auth(token)).send({ ...current.body, customBonusMaxPercent: 100 });
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
}

export async function topUp(test: TestApp, token: string, memberId: number, amount: number, bonus = 0) {
  const res = await test.http().post(`/api/v1/members/${memberId}/wallet/topups`).set(auth(token)).send({ amount, bonus, payMethod: 'cash' });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body as { id: number; principal: number; bonus: number };
}

export async function givePoints(test: TestApp, token: string, memberId: number, delta: number, reason = '测试发放') {
  const res = await test.http().post(`/api/v1/members/${memberId}/points/adjustments`).set(auth(token)).send({ delta, reason });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
}

export async function memberBalances(test: TestApp, memberId: number) {
  const member = await test.ctx.models.members.Member.findByPk(memberId);
  return { points: member!.pointsBalance, principal: member!.walletPrincipal, bonus: member!.walletBonus, totalSpent: member!.totalSpent };
}

export interface OrderBodyInput {
  memberId?: number | null;
  storeId: number;
  items: Array<{ sku: string; name: string; quantity: number; unitPrice: number; category?: string }>;
  payments: Array<{ method: string; amount: number }>;
  [key: string]: unknown;
}

export async function checkout(test: TestApp, token: string, body: OrderBodyInput, key: string | null = crypto.randomUUID()) {
  const req = test.http().post('/api/v1/orders').set(auth(token));
  if (key) req.set('Idempotency-Key', key);
  return req.send(body);
}

export async function placed(test: TestApp, token: string, body: OrderBodyInput) {
  const res = await checkout(test, token, body);
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body as Record<string, unknown> & { id: number; orderNo: string; pointsEarned: number; payments: Array<Record<string, number | string>> };
}

export async function refund(test: TestApp, token: string, orderId: number, body: Record<string, unknown>, key: string | null = crypto.randomUUID()) {
  const req = test.http().post(`/api/v1/orders/${orderId}/refunds`).set(auth(token));
  if (key) req.set('Idempotency-Key', key);
  return req.send(body);
}
