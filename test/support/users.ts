import { expect } from 'chai';
import { hashPassword } from '../../server/src/modules/auth/password.js';
import { sealEnvelope } from '../../server/src/platform/crypto/envelope.js';
import type { TestApp } from './app.js';

let addressCounter = 1;
/** A fresh client address per call, so one test's failed logins never lock out another's. */
export function freshIp(): string {
  addressCounter += 1;
  return `10.9.${Math.floor(addressCounter / 250)}.${addressCounter % 250}`;
}

export async function createStaff(
  test: TestApp,
  options: { username: string; password: string; roles?: string[]; mustChangePassword?: boolean; status?: 'active' | 'disabled' },
) {
  const user = await test.ctx.models.auth.User.create({
    username: options.username,
    displayName: options.username,
    passwordHash: await hashPassword(options.password),
    mustChangePassword: options.mustChangePassword ?? false,
    passwordChangedAt: new Date(),
    status: options.status ?? 'active',
  });
  for (const role of options.roles ?? []) await test.ctx.services.access.assignRole(user.id, role);
  return user;
}

export async function login(test: TestApp, username: string, password: string, ip = freshIp()) {
  return test.http().post('/api/v1/auth/login').set('X-Forwarded-For', ip).send({ username, password });
}

export async function tokenFor(test: TestApp, username: string, password: string): Promise<string> {
  const res = await login(test, username, password);
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
  return res.body.token as string;
}

/** Seals secrets the way the console does, with a fresh nonce from the server. */
export async function encryptedFields(test: TestApp, fields: Record<string, string>, clockOffsetMs = 0) {
  const challenge = await test.http().get('/api/v1/auth/public-key');
  expect(challenge.status).to.equal(200);
  const { keyId, publicKey, nonce, serverTime } = challenge.body as {
    keyId: string;
    publicKey: string;
    nonce: string;
    serverTime: number;
  };
  return sealEnvelope(keyId, publicKey, { ...fields, nonce, timestamp: serverTime + clockOffsetMs });
}
