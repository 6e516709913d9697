import { expect } from 'chai';
import { startTestApp, type TestApp } from '../support/app.js';
import { STAFF_PASSWORD, seedAccessFixture, type AccessFixture } from '../support/access.js';
import { TEST_DIALECT } from '../support/database.js';
import { createStaff, tokenFor } from '../support/users.js';

describe(`roles and API keys (${TEST_DIALECT})`, () => {
  let test: TestApp;
  let f: AccessFixture;
  before(async () => {
    test = await startTestApp();
    f = await seedAccessFixture(test);
  });
  after(() => test.close());
  const as = (name: keyof AccessFixture['tokens']) => ({ Authorization: `Bearer ${f.tokens[name]}` });

  describe('roles', () => {
    it('lists built-in roles with user counts, data scopes and field policies', async () => {
      const res = await test.http().get('/api/v1/roles').set(as('auditor1'));
      const cashier = res.body.items.find((r: { code: string }) => r.code === 'cashier');
      expect(cashier).to.include({ builtin: true, dataScope: 'assigned', userCount: 2 });
      expect(cashier.fieldPolicy.defaults.member.contact).to.equal('masked');
      expect(cashier.fieldPolicy.fields['member.birthday']).to.equal('masked');
      const groups = await test.http().get('/api/v1/permissions').set(as('auditor1'));
      expect(groups.body.groups.map((g: { key: string }) => g.key)).to.include('audit:log');
      const fields = await test.http().get('/api/v1/field-registry').set(as('auditor1'));
      const member = fields.body.entities.find((e: { entity: string }) => e.entity === 'member');
      expect(member.fields.find((x: { key: string }) => x.key === 'phone')).to.include({ sensitivity: 'contact', maskable: true });
    });

    it('creates, changes and deletes a custom role, auditing each step', async () => {
      const created = await test.http().post('/api/v1/roles').set(as('root')).send({
        code: 'front_desk',
        nameZh: '前台',
        nameEn: 'Front desk',
        permissions: ['system:store:view', 'system:user:view'],
        dataScope: 'assigned',
        fieldPolicy: { fields: { 'member.phone': 'masked', 'member.birthday': 'hidden' } },
      });
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      const id = created.body.id as number;
      const changed = await test.http().patch(`/api/v1/roles/${id}`).set(as('root')).send({ permissions: ['system:store:view'] });
      expect(changed.body.permissions).to.deep.equal(['system:store:view']);
      expect((await test.http().delete(`/api/v1/roles/${id}`).set(as('root'))).status).to.equal(204);
      const actions = (await test.ctx.models.audit.AuditLog.findAll({ where: { entityType: 'role', entityId: String(id) } })).map((r) => r.action);
      expect(actions).to.deep.equal(['role.create', 'role.update', 'role.delete']);
    });

    it("applies a role's change to its holders' very next request, although grants are cached", async () => {
      const created = await test.http().post('/api/v1/roles').set(as('root')).send({
        code: 'viewer_now', nameZh: '查看', nameEn: 'Viewer', permissions: ['system:store:view'], dataScope: 'all', fieldPolicy: {},
      });
      await createStaff(test, { username: 'viewer1', password: STAFF_PASSWORD, roles: ['viewer_now'] });
      const token = await tokenFor(test, 'viewer1', STAFF_PASSWORD);
      expect((await test.http().get('/api/v1/stores').set('Authorization', `Bearer ${token}`)).status).to.equal(200);
      await test.http().patch(`/api/v1/roles/${created.body.id}`).set(as('root')).send({ permissions: ['system:user:view'] });
      expect((await test.http().get('/api/v1/stores').set('Authorization', `Bearer ${token}`)).status).to.equal(403);
      expect((await test.http().get('/api/v1/users').set('Authorization', `Bearer ${token}`)).status).to.equal(200);
    });

    it('refuses unknown permissions and fields, and granting what the caller lacks', async () => {
      const base = { nameZh: 'x', nameEn: 'x', dataScope: 'assigned', fieldPolicy: {} };
      const unknown = await test.http().post('/api/v1/roles').set(as('root')).send({ ...base, code: 'r1', permissions: ['member:profile:fly'] });
      expect(unknown.body.error.code).to.equal('UNKNOWN_PERMISSION');
      const badField = await test.http().post('/api/v1/roles').set(as('root')).send({ ...base, code: 'r2', permissions: [], fieldPolicy: { fields: { 'member.shoeSize': 'read' } } });
      expect(badField.body.error.code).to.equal('UNKNOWN_FIELD_POLICY');
      await createStaff(test, { username: 'roleadmin', password: STAFF_PASSWORD, roles: [] });
      await test.ctx.models.access.Role.create({ code: 'role_admin', nameZh: '角色管理', nameEn: 'Role admin', builtin: false, permissions: JSON.stringify(['system:role:view', 'system:role:create']), dataScope: 'all', fieldPolicy: null });
      const user = await test.ctx.models.auth.User.findOne({ where: { username: 'roleadmin' } });
      await test.ctx.services.access.assignRole(user!.id, 'role_admin');
      const token = await tokenFor(test, 'roleadmin', STAFF_PASSWORD);
      const escalate = await test.http().post('/api/v1/roles').set('Authorization', `Bearer ${token}`).send({ ...base, code: 'r3', permissions: ['audit:log:view'] });
      expect(escalate.status).to.equal(403);
      expect(escalate.body.error.code).to.equal('CANNOT_GRANT');
    });

    it('keeps built-in roles, and super admin’s full rights', async () => {
      const roles = (await test.http().get('/api/v1/roles').set(as('root'))).body.items as Array<{ id: number; code: string }>;
      const superAdmin = roles.find((r) => r.code === 'super_admin')!;
      const cashier = roles.find((r) => r.code === 'cashier')!;
      expect((await test.http().delete(`/api/v1/roles/${cashier.id}`).set(as('root'))).body.error.code).to.equal('ROLE_BUILTIN');
      const narrowed = await test.http().patch(`/api/v1/roles/${superAdmin.id}`).set(as('root')).send({ permissions: ['system:store:view'] });
      expect(narrowed.body.error.code).to.equal('SUPER_ADMIN_FIXED');
      const renamed = await test.http().patch(`/api/v1/roles/${cashier.id}`).set(as('root')).send({ nameZh: '收银' });
      expect(renamed.body.nameZh).to.equal('收银');
    });
  });

  describe('API keys', () => {
    it('shows the secret once, stores only its hash, and acts with its scopes', async () => {
      const res = await test.http().post('/api/v1/api-keys').set(as('itops1')).send({ name: 'POS 1', scopes: ['system:store:view'] });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      const secret = res.body.secret as string;
      expect(secret).to.match(/^hj_[a-z2-7]{8}_[A-Za-z0-9_-]{43}$/);
      expect(res.body.apiKey.prefix).to.equal(secret.slice(0, 11));
      const row = await test.ctx.models.access.ApiKey.findByPk(res.body.apiKey.id);
      expect(JSON.stringify(row!.get())).to.not.contain(secret.slice(12));
      const list = await test.http().get('/api/v1/api-keys').set(as('itops1'));
      expect(JSON.stringify(list.body)).to.not.contain(secret.slice(12));

      const stores = await test.http().get('/api/v1/stores').set('Authorization', `Bearer ${secret}`);
      expect(stores.status).to.equal(200);
      const viaHeader = await test.http().get('/api/v1/stores').set('X-Api-Key', secret);
      expect(viaHeader.status).to.equal(200);
      const outside = await test.http().get('/api/v1/system/info').set('Authorization', `Bearer ${secret}`);
      expect(outside.status).to.equal(403);
      const record = await test.ctx.models.audit.AuditLog.findOne({ where: { action: 'http.denied', actorType: 'api_key' } });
      expect(record?.actorName).to.equal('itops1/POS 1');
    });

    it('cannot carry scopes its creator lacks, and narrows when the creator loses them', async () => {
      const beyond = await test.http().post('/api/v1/api-keys').set(as('itops1')).send({ name: 'x', scopes: ['audit:log:view'] });
      expect(beyond.body.error.code).to.equal('CANNOT_GRANT');
      const created = await test.http().post('/api/v1/api-keys').set(as('root')).send({ name: 'ERP', scopes: ['audit:log:view', 'system:store:view'] });
      const secret = created.body.secret as string;
      expect((await test.http().get('/api/v1/audit-logs').set('Authorization', `Bearer ${secret}`)).status).to.equal(200);
      // A key's rights are its scopes within its creator's current rights.
      await test.ctx.models.access.Role.create({ code: 'integrator', nameZh: '集成', nameEn: 'Integrator', builtin: false, permissions: JSON.stringify(['system:store:view', 'system:role:view', 'system:apikey:create']), dataScope: 'all', fieldPolicy: null });
      const maker = await createStaff(test, { username: 'keymaker', password: STAFF_PASSWORD, roles: ['integrator'] });
      const makerToken = await tokenFor(test, 'keymaker', STAFF_PASSWORD);
      const key = await test.http().post('/api/v1/api-keys').set('Authorization', `Bearer ${makerToken}`).send({ name: 'sync', scopes: ['system:store:view', 'system:role:view'] });
      expect((await test.http().get('/api/v1/roles').set('Authorization', `Bearer ${key.body.secret}`)).status).to.equal(200);
      await test.ctx.models.access.Role.update({ permissions: JSON.stringify(['system:store:view', 'system:apikey:create']) }, { where: { code: 'integrator' } });
      // Written behind the role service's back: nodes see it once their cached grants expire
      // (GRANTS_CACHE_MS); this test does not wait for that.
      test.ctx.services.access.forget();
      expect((await test.http().get('/api/v1/roles').set('Authorization', `Bearer ${key.body.secret}`)).status).to.equal(403);
      expect((await test.http().get('/api/v1/stores').set('Authorization', `Bearer ${key.body.secret}`)).status).to.equal(200);
      await test.ctx.models.auth.User.update({ status: 'disabled' }, { where: { id: maker.id } });
      expect((await test.http().get('/api/v1/stores').set('Authorization', `Bearer ${key.body.secret}`)).body.error.code).to.equal('API_KEY_INVALID');
    });

    it('stops working when revoked, expired, or its creator is disabled', async () => {
      const make = async (body: object) => (await test.http().post('/api/v1/api-keys').set(as('root')).send({ name: 'k', scopes: ['system:store:view'], ...body })).body;
      const revoked = await make({});
      expect((await test.http().post(`/api/v1/api-keys/${revoked.apiKey.id}/revoke`).set(as('root'))).status).to.equal(204);
      const expired = await make({ expiresAt: new Date(Date.now() + 60_000).toISOString() });
      await test.ctx.models.access.ApiKey.update({ expiresAt: new Date(Date.now() - 1000) }, { where: { id: expired.apiKey.id } });
      for (const key of [revoked, expired]) {
        const res = await test.http().get('/api/v1/stores').set('Authorization', `Bearer ${key.secret}`);
        expect(res.status).to.equal(401);
        expect(res.body.error.code).to.equal('API_KEY_INVALID');
      }
      const forged = await test.http().get('/api/v1/stores').set('Authorization', `Bearer ${revoked.secret.slice(0, -2)}xx`);
      expect(forged.body.error.code).to.equal('API_KEY_INVALID');
    });

    it('limits requests per minute per key', async () => {
      const { secret } = (await test.http().post('/api/v1/api-keys').set(as('root')).send({ name: 'slow', scopes: ['system:store:view'], rateLimitPerMinute: 3 })).body;
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await test.http().get('/api/v1/stores').set('Authorization', `Bearer ${secret}`)).status);
      expect(statuses).to.deep.equal([200, 200, 200, 429, 429]);
    });

    it('lets exactly the limit through when requests arrive at once', async () => {
      const { secret } = (await test.http().post('/api/v1/api-keys').set(as('root')).send({ name: 'burst', scopes: ['system:store:view'], rateLimitPerMinute: 5 })).body;
      // The window is a calendar minute: do not start a burst that would straddle two.
      const intoMinute = Date.now() % 60_000;
      if (intoMinute > 55_000) await new Promise((resolve) => setTimeout(resolve, 60_500 - intoMinute));
      const statuses = await Promise.all(
        Array.from({ length: 20 }, () => test.http().get('/api/v1/stores').set('Authorization', `Bearer ${secret}`).then((res) => res.status)),
      );
      expect(statuses.filter((status) => status === 200)).to.have.length(5);
      expect(statuses.filter((status) => status === 429)).to.have.length(15);
    });

    it('binds a key to one store', async () => {
      const { secret } = (await test.http().post('/api/v1/api-keys').set(as('root')).send({ name: 'till', scopes: ['system:store:view'], storeId: f.stores.s2.id })).body;
      const res = await test.http().get('/api/v1/stores').set('Authorization', `Bearer ${secret}`);
      expect(res.body.items.map((s: { code: string }) => s.code)).to.deep.equal(['S002']);
      expect((await test.http().get(`/api/v1/stores/${f.stores.s1.id}`).set('Authorization', `Bearer ${secret}`)).status).to.equal(404);
    });
  });
});
