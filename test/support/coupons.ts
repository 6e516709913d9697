import { expect } from 'chai';
import type { TestApp } from './app.js';
import { auth } from './checkout.js';

/**
 * Creates a coupon template through the API as `token`'s holder: active and valid 30 days
 * from issue unless `body` says otherwise. Answers the template as created.
 */
export async function createCouponTemplate(test: TestApp, token: string, body: Record<string, unknown>) {
  const res = await test.http().post('/api/v1/coupon-templates').set(auth(token)).send({ validityType: 'relative', validDays: 30, status: 'active', ...body });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body as Record<string, unknown> & { id: number; claimCode: string | null };
}
