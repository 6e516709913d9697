import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { hashToken } from '../../server/src/modules/auth/service.js';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/app.js';
import { TEST_DIALECT } from '../support/database.js';
import { createStaff, encryptedFields, freshIp, login, tokenFor } from '../support/users.js';

const GOOD = 'Counter#2026a';

describe(`auth (${TEST_DIALECT})`, () => {
  let test: TestApp;
  before(async () => {
    test = await startTestApp();
  });
  after(() => test.close());

  describe('login', () => {
    it('returns a token, the user and the permissions, and records the login', async () => {
      await createStaff(test, { username: 'it01', password: GOOD, roles: ['it_ops'] });
      const res = await login(test, 'it01', GOOD, '10.1.1.1');
      expect(res.status).to.equal(200);
      expect(res.body.token).to.be.a('string').with.length.above(40);
      expect(res.body.user).to.include({ username: 'it01', mustChangePassword: false, locale: 'zh-CN' });
      expect(res.body.permissions).to.include('system:info:view').and.not.include('audit:log:view');
      expect(Date.parse(res.body.expiresAt)).to.be.above(Date.now());
      expect(res.body.user).to.not.have.property('passwordHash');

      const me = await test.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${res.body.token}`);
      expect(me.status).to.equal(200);
      expect(me.body.user.username).to.equal('it01');
      const event = await test.ctx.models.audit.AuditLog.findOne({ where: { action: 'auth.login', actorName: 'it01', result: 'success' } });
      expect(event?.ip).to.equal('10.1.1.1');
    });

    it('stores only a hash of the session token', async () => {
      const token = await tokenFor(test, 'it01', GOOD);
      const { Session } = test.ctx.models.auth;
      expect(await Session.count({ where: { tokenHash: token } })).to.equal(0);
      expect(await Session.count({ where: { tokenHash: hashToken(token) } })).to.equal(1);
    });

    it('answers a wrong password and an unknown user alike', async () => {
      const wrong = await login(test, 'it01', 'Nope#2026nope');
      const unknown = await login(test, 'nobody', 'Nope#2026nope');
      expect(wrong.status).to.equal(401);
      expect(unknown.status).to.equal(401);
      expect(wrong.body).to.deep.equal(unknown.body);
      expect(wrong.body.error.code).to.equal('INVALID_CREDENTIALS');
    });

    it('locks an account for the configured minutes after five wrong passwords, from any address', async () => {
      await createStaff(test, { username: 'lockme', password: GOOD });
      for (let i = 1; i <= 4; i++) {
        const res = await login(test, 'lockme', `Wrong#${i}pass`, freshIp());
        expect(res.body.error.code).to.equal('INVALID_CREDENTIALS');
      }
      const fifth = await login(test, 'lockme', 'Wrong#5pass', freshIp());
      expect(fifth.status).to.equal(423);
      expect(fifth.body.error.code).to.equal('ACCOUNT_LOCKED');
      expect(fifth.body.error.details.retryAfterSeconds).to.equal(15 * 60);
      expect(fifth.body.error.message).to.contain('15 分钟');
      // The right password does not help while locked.
      const right = await login(test, 'lockme', GOOD, freshIp());
      expect(right.status).to.equal(423);
      const { AuditLog } = test.ctx.models.audit;
      expect(await AuditLog.count({ where: { action: 'auth.lockout', actorName: 'lockme' } })).to.equal(1);
      expect(await AuditLog.count({ where: { action: 'auth.login', actorName: 'lockme', result: 'denied' } })).to.equal(1);
      expect(await AuditLog.count({ where: { action: 'auth.login', actorName: 'lockme', result: 'failure' } })).to.equal(5);

      // Fifteen minutes later the lock is gone.
      await test.ctx.models.auth.AuthThrottle.update(
        { lockedUntil: new Date(Date.now() - 1000) },
        { where: { throttleKey: 'user:lockme' } },
      );
      expect((await login(test, 'lockme', GOOD, freshIp())).status).to.equal(200);
    });

    it('locks an address after five failures across accounts', async () => {
      const ip = freshIp();
      for (let i = 1; i <= 5; i++) await login(test, `ghost${i}`, 'Wrong#pass1', ip);
      const res = await login(test, 'it01', GOOD, ip);
      expect(res.status).to.equal(429);
      expect(res.body.error.code).to.equal('LOGIN_RATE_LIMITED');
      expect((await login(test, 'it01', GOOD, freshIp())).status).to.equal(200);
    });

    it('refuses a disabled account even with the right password', async () => {
      await createStaff(test, { username: 'gone', password: GOOD, status: 'disabled' });
      const res = await login(test, 'gone', GOOD);
      expect(res.status).to.equal(403);
      expect(res.body.error.code).to.equal('ACCOUNT_DISABLED');
    });

    it('ends a session on logout', async () => {
      const token = await tokenFor(test, 'it01', GOOD);
      const out = await test.http().post('/api/v1/auth/logout').set('Authorization', `Bearer ${token}`);
      expect(out.status).to.equal(204);
      const me = await test.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`);
      expect(me.status).to.equal(401);
      expect(me.body.error.code).to.equal('UNAUTHENTICATED');
    });

    it('expires a session after the idle time and after the absolute lifetime', async () => {
      const { Session } = test.ctx.models.auth;
      const idle = await tokenFor(test, 'it01', GOOD);
      await Session.update({ lastSeenAt: new Date(Date.now() - 121 * 60_000) }, { where: { tokenHash: hashToken(idle) } });
      const idleRes = await test.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${idle}`);
      expect(idleRes.status).to.equal(401);
      expect(idleRes.body.error.code).to.equal('SESSION_EXPIRED');

      const old = await tokenFor(test, 'it01', GOOD);
      await Session.update({ expiresAt: new Date(Date.now() - 1) }, { where: { tokenHash: hashToken(old) } });
      const oldRes = await test.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${old}`);
      expect(oldRes.body.error.code).to.equal('SESSION_EXPIRED');
    });

    it('shares sessions through the database, so another node accepts the token', async () => {
      const token = await tokenFor(test, 'it01', GOOD);
      const { createApp } = await import('../../server/src/app.js');
      const supertest = (await import('supertest')).default;
      const secondNode = createApp(test.ctx);
      const me = await supertest(secondNode).get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`);
      expect(me.status).to.equal(200);
    });
  });

  describe('encrypted passwords', () => {
    it('logs in with a password sealed to the server key', async () => {
      const encrypted = await encryptedFields(test, { password: GOOD });
      const res = await test.http().post('/api/v1/auth/login').set('X-Forwarded-For', freshIp()).send({ username: 'it01', encrypted });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
    });

    it('refuses a replayed login', async () => {
      const encrypted = await encryptedFields(test, { password: GOOD });
      const first = await test.http().post('/api/v1/auth/login').send({ username: 'it01', encrypted });
      expect(first.status).to.equal(200);
      const replay = await test.http().post('/api/v1/auth/login').send({ username: 'it01', encrypted });
      expect(replay.status).to.equal(400);
      expect(replay.body.error.code).to.equal('NONCE_INVALID');
    });

    it('refuses a sealed password whose timestamp is far from the server clock', async () => {
      const encrypted = await encryptedFields(test, { password: GOOD }, -10 * 60_000);
      const res = await test.http().post('/api/v1/auth/login').send({ username: 'it01', encrypted });
      expect(res.body.error.code).to.equal('NONCE_INVALID');
    });

    it('refuses a tampered envelope without a 500', async () => {
      const encrypted = await encryptedFields(test, { password: GOOD });
      const data = Buffer.from(encrypted.data, 'base64');
      data[0] ^= 1;
      const tampered = { ...encrypted, data: data.toString('base64') };
      const res = await test.http().post('/api/v1/auth/login').send({ username: 'it01', encrypted: tampered });
      expect(res.status).to.equal(400);
      expect(res.body.error.code).to.equal('ENCRYPTED_PAYLOAD_INVALID');
      const wrongKey = await test.http().post('/api/v1/auth/login').send({ username: 'it01', encrypted: { ...encrypted, keyId: 'other' } });
      expect(wrongKey.body.error.code).to.equal('ENCRYPTED_PAYLOAD_INVALID');
    });

    it('can be made the only way to send a password', async () => {
      const strict = await startTestApp({ env: { HUIJI_ALLOW_PLAIN_PASSWORD: 'false' } });
      try {
        const plain = await strict.http().post('/api/v1/auth/login').send({ username: 'admin', password: ADMIN_PASSWORD });
        expect(plain.status).to.equal(400);
        expect(plain.body.error.code).to.equal('PLAIN_PASSWORD_NOT_ALLOWED');
        const encrypted = await encryptedFields(strict, { password: ADMIN_PASSWORD });
        const sealed = await strict.http().post('/api/v1/auth/login').send({ username: 'admin', encrypted });
        expect(sealed.status).to.equal(200);
      } finally {
        await strict.close();
      }
    });
  });

  describe('first login and password changes', () => {
    it('makes the bootstrap admin change the password before anything else', async () => {
      const res = await login(test, 'admin', ADMIN_PASSWORD);
      expect(res.status).to.equal(200);
      expect(res.body.user.mustChangePassword).to.equal(true);
      expect(res.body.permissions).to.deep.equal(['*']);
      const token = res.body.token as string;
      const info = await test.http().get('/api/v1/system/info').set('Authorization', `Bearer ${token}`);
      expect(info.status).to.equal(403);
      expect(info.body.error.code).to.equal('PASSWORD_CHANGE_REQUIRED');
      const policy = await test.http().get('/api/v1/auth/password-policy').set('Authorization', `Bearer ${token}`);
      expect(policy.body).to.deep.equal({ minLength: 10, maxLength: 64, requiredClasses: 3, notUsername: true, historyCount: 5 });

      const encrypted = await encryptedFields(test, { currentPassword: ADMIN_PASSWORD, newPassword: 'Huiji#Secure2026' });
      const changed = await test.http().post('/api/v1/auth/password').set('Authorization', `Bearer ${token}`).send({ encrypted });
      expect(changed.status, JSON.stringify(changed.body)).to.equal(200);
      expect(changed.body.user.mustChangePassword).to.equal(false);
      const after = await test.http().get('/api/v1/system/info').set('Authorization', `Bearer ${token}`);
      expect(after.status).to.equal(200);
      expect(after.body.database.dialect).to.equal(TEST_DIALECT);
      expect(after.body.migrations.pending).to.equal(0);
    });

    it('enforces length, character classes and the username, naming each broken rule', async () => {
      await createStaff(test, { username: 'policy', password: GOOD });
      const token = await tokenFor(test, 'policy', GOOD);
      const attempt = (newPassword: string) =>
        test.http().post('/api/v1/auth/password').set('Authorization', `Bearer ${token}`).send({ currentPassword: GOOD, newPassword });
      const short = await attempt('Ab#1');
      expect(short.status).to.equal(422);
      expect(short.body.error.code).to.equal('PASSWORD_POLICY');
      expect(short.body.error.details.rules).to.deep.equal(['length']);
      expect(short.body.error.details.fields).to.deep.equal([{ path: 'newPassword', code: 'length', message: '长度须为 10-64 个字符' }]);
      expect((await attempt('alllowercaseletters')).body.error.details.rules).to.deep.equal(['classes']);
      expect((await attempt('Policy#2026xyz')).body.error.details.rules).to.deep.equal(['username']);
      expect((await attempt('ycilop#2026XYZ')).body.error.details.rules).to.deep.equal(['username']);
    });

    it('refuses the last five passwords', async () => {
      await createStaff(test, { username: 'rotator', password: 'Rotate#0pass' });
      const token = await tokenFor(test, 'rotator', 'Rotate#0pass');
      const change = (currentPassword: string, newPassword: string) =>
        test.http().post('/api/v1/auth/password').set('Authorization', `Bearer ${token}`).send({ currentPassword, newPassword });
      let current = 'Rotate#0pass';
      for (let i = 1; i <= 5; i++) {
        const next = `Rotate#${i}pass`;
        expect((await change(current, next)).status).to.equal(200);
        current = next;
      }
      // Current is #5; #1..#5 are the last five and refused, #0 has aged out.
      for (const reused of ['Rotate#5pass', 'Rotate#3pass', 'Rotate#1pass']) {
        const res = await change(current, reused);
        expect(res.status, reused).to.equal(422);
        expect(res.body.error.details.rules).to.deep.equal(['history']);
      }
      expect((await change(current, 'Rotate#0pass')).status).to.equal(200);
      expect(await test.ctx.models.auth.PasswordHistory.count({ where: { userId: (await test.ctx.models.auth.User.findOne({ where: { username: 'rotator' } }))!.id } })).to.equal(5);
    });

    it('refuses a wrong current password and ends the user’s other sessions on success', async () => {
      await createStaff(test, { username: 'twodevices', password: GOOD });
      const phone = await tokenFor(test, 'twodevices', GOOD);
      const desk = await tokenFor(test, 'twodevices', GOOD);
      const wrong = await test.http().post('/api/v1/auth/password').set('Authorization', `Bearer ${desk}`).send({ currentPassword: 'Wrong#2026x', newPassword: 'Fresh#2026pass' });
      expect(wrong.status).to.equal(400);
      expect(wrong.body.error.code).to.equal('CURRENT_PASSWORD_WRONG');
      const ok = await test.http().post('/api/v1/auth/password').set('Authorization', `Bearer ${desk}`).send({ currentPassword: GOOD, newPassword: 'Fresh#2026pass' });
      expect(ok.status).to.equal(200);
      expect((await test.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${desk}`)).status).to.equal(200);
      expect((await test.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${phone}`)).status).to.equal(401);
      expect((await login(test, 'twodevices', GOOD)).status).to.equal(401);
      expect((await login(test, 'twodevices', 'Fresh#2026pass')).status).to.equal(200);
    });

    it('removes the printed initial password file once the admin sets a password', async () => {
      const fresh = await startTestApp();
      try {
        const file = path.join(fresh.dataDir, 'initial-admin-password');
        fs.writeFileSync(file, 'x\n', { mode: 0o600 });
        const token = await tokenFor(fresh, 'admin', ADMIN_PASSWORD);
        const res = await fresh.http().post('/api/v1/auth/password').set('Authorization', `Bearer ${token}`).send({ currentPassword: ADMIN_PASSWORD, newPassword: 'Huiji#Secure2026' });
        expect(res.status).to.equal(200);
        expect(fs.existsSync(file)).to.equal(false);
      } finally {
        await fresh.close();
      }
    });
  });

  describe('permissions', () => {
    it('refuses a route to a user without its permission, naming the permission', async () => {
      await createStaff(test, { username: 'cashier1', password: GOOD, roles: ['cashier'] });
      const token = await tokenFor(test, 'cashier1', GOOD);
      const res = await test.http().get('/api/v1/system/info').set('Authorization', `Bearer ${token}`).set('Accept-Language', 'en');
      expect(res.status).to.equal(403);
      expect(res.body.error).to.deep.equal({ code: 'FORBIDDEN', message: 'Permission denied: system:info:view is required' });
    });

    it('refuses anonymous calls to protected routes', async () => {
      const res = await test.http().get('/api/v1/system/info');
      expect(res.status).to.equal(401);
      expect(res.body.error.code).to.equal('UNAUTHENTICATED');
    });
  });
});
