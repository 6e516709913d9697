import { expect } from 'chai';
import { startTestApp, type TestApp } from '../support/app.js';
import { STAFF_PASSWORD, seedAccessFixture, type AccessFixture } from '../support/access.js';
import { TEST_DIALECT } from '../support/database.js';
import { login, tokenFor } from '../support/users.js';

describe(`staff accounts (${TEST_DIALECT})`, () => {
  let test: TestApp;
  let f: AccessFixture;
  before(async () => {
    test = await startTestApp();
    f = await seedAccessFixture(test);
  });
  after(() => test.close());
  const as = (name: keyof AccessFixture['tokens']) => ({ Authorization: `Bearer ${f.tokens[name]}` });

  it('creates an account with a generated password shown once, which must be changed at first login', async () => {
    const res = await test.http().post('/api/v1/users').set(as('manager1')).send({ username: 'cashier9', displayName: '王小明', roles: ['cashier'], storeIds: [f.stores.s1.id] });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body.user).to.include({ username: 'cashier9', status: 'active', mustChangePassword: true });
    expect(res.body.user.roles).to.deep.equal(['cashier']);
    const first = await login(test, 'cashier9', res.body.initialPassword);
    expect(first.body.user.mustChangePassword).to.equal(true);
    const record = await test.ctx.models.audit.AuditLog.findOne({ where: { action: 'user.create', entityId: String(res.body.user.id) } });
    expect(record?.diff).to.not.contain(res.body.initialPassword);
    expect((await test.http().get(`/api/v1/users/${res.body.user.id}`).set(as('root'))).body.username).to.equal('cashier9');
  });

  it('refuses a duplicate username and a password that breaks the policy', async () => {
    const dup = await test.http().post('/api/v1/users').set(as('root')).send({ username: 'cashier1', displayName: 'x', roles: ['cashier'] });
    expect(dup.status).to.equal(409);
    expect(dup.body.error.code).to.equal('USERNAME_TAKEN');
    const weak = await test.http().post('/api/v1/users').set(as('root')).send({ username: 'weak1', displayName: 'x', roles: ['cashier'], password: 'abc' });
    expect(weak.status).to.equal(422);
    expect(weak.body.error.code).to.equal('PASSWORD_POLICY');
  });

  it('stops a store manager from granting more than they hold or reaching other stores', async () => {
    const admin = await test.http().post('/api/v1/users').set(as('manager1')).send({ username: 'sneaky', displayName: 'x', roles: ['super_admin'], storeIds: [f.stores.s1.id] });
    expect(admin.status).to.equal(403);
    expect(admin.body.error.code).to.equal('CANNOT_GRANT');
    const auditor = await test.http().post('/api/v1/users').set(as('manager1')).send({ username: 'sneaky', displayName: 'x', roles: ['auditor'], storeIds: [f.stores.s1.id] });
    expect(auditor.body.error.code).to.equal('CANNOT_GRANT');
    const elsewhere = await test.http().post('/api/v1/users').set(as('manager1')).send({ username: 'sneaky', displayName: 'x', roles: ['cashier'], storeIds: [f.stores.s2.id] });
    expect(elsewhere.body.error.code).to.equal('CANNOT_GRANT');
    expect(await test.ctx.models.auth.User.count({ where: { username: 'sneaky' } })).to.equal(0);
  });

  it('lists only staff of the manager’s stores; another store’s staff answer 404', async () => {
    const list = await test.http().get('/api/v1/users').set(as('manager1'));
    const names = list.body.items.map((u: { username: string }) => u.username);
    expect(names).to.include.members(['manager1', 'cashier1']);
    expect(names).to.not.include.members(['manager2', 'cashier2', 'root1', 'auditor1']);
    for (const path of [`/api/v1/users/${f.users.cashier2.id}`, `/api/v1/users/${f.users.cashier2.id}/sessions`]) {
      const res = await test.http().get(path).set(as('manager1'));
      expect(res.status, path).to.equal(404);
      expect(res.body.error.code).to.equal('USER_NOT_FOUND');
    }
    const reset = await test.http().post(`/api/v1/users/${f.users.cashier2.id}/reset-password`).set(as('manager1'));
    expect(reset.status).to.equal(404);
    const byStore = await test.http().get('/api/v1/users').query({ storeId: f.stores.s2.id }).set(as('manager1'));
    expect(byStore.body.items).to.deep.equal([]);
  });

  it('disabling an account ends its sessions; resetting a password forces a change', async () => {
    const target = await test.http().post('/api/v1/users').set(as('root')).send({ username: 'temp1', displayName: '临时工', roles: ['cashier'], storeIds: [f.stores.s1.id], password: 'Temp#Pass2026' });
    const id = target.body.user.id as number;
    await test.ctx.models.auth.User.update({ mustChangePassword: false }, { where: { id } });
    const token = await tokenFor(test, 'temp1', 'Temp#Pass2026');
    const sessions = await test.http().get(`/api/v1/users/${id}/sessions`).set(as('manager1'));
    expect(sessions.body.items).to.have.length(1);
    const disabled = await test.http().patch(`/api/v1/users/${id}`).set(as('manager1')).send({ status: 'disabled' });
    expect(disabled.status).to.equal(200);
    expect((await test.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`)).status).to.equal(401);
    expect((await login(test, 'temp1', 'Temp#Pass2026')).body.error.code).to.equal('ACCOUNT_DISABLED');
    await test.http().patch(`/api/v1/users/${id}`).set(as('manager1')).send({ status: 'active' });
    const reset = await test.http().post(`/api/v1/users/${id}/reset-password`).set(as('manager1'));
    expect(reset.body.initialPassword).to.be.a('string');
    const again = await login(test, 'temp1', reset.body.initialPassword);
    expect(again.body.user.mustChangePassword).to.equal(true);
    const actions = (await test.ctx.models.audit.AuditLog.findAll({ where: { entityType: 'user', entityId: String(id) } })).map((r) => r.action);
    expect(actions).to.include.members(['user.create', 'user.disable', 'user.update', 'user.reset_password']);
  });

  it('ends one session on request', async () => {
    const token = await tokenFor(test, 'cashier1', STAFF_PASSWORD);
    const sessions = await test.http().get(`/api/v1/users/${f.users.cashier1.id}/sessions`).set(as('manager1'));
    const id = sessions.body.items[0].id as number;
    const res = await test.http().delete(`/api/v1/users/${f.users.cashier1.id}/sessions/${id}`).set(as('manager1'));
    expect(res.status).to.equal(204);
    const remaining = await test.http().get(`/api/v1/users/${f.users.cashier1.id}/sessions`).set(as('manager1'));
    expect(remaining.body.items.map((s: { id: number }) => s.id)).to.not.include(id);
    void token;
  });

  it('keeps at least one active super admin', async () => {
    const admin = (await test.ctx.models.auth.User.findOne({ where: { username: 'admin' } }))!;
    await test.http().patch(`/api/v1/users/${admin.id}`).set(as('root')).send({ status: 'disabled' });
    const res = await test.http().patch(`/api/v1/users/${f.users.root.id}`).set(as('root')).send({ roles: ['auditor'] });
    expect(res.status).to.equal(409);
    expect(res.body.error.code).to.equal('LAST_SUPER_ADMIN');
    expect((await test.http().get('/api/v1/auth/me').set(as('root'))).body.permissions).to.deep.equal(['*']);
  });
});
