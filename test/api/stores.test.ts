import { expect } from 'chai';
import { startTestApp, type TestApp } from '../support/app.js';
import { STAFF_PASSWORD, seedAccessFixture, type AccessFixture } from '../support/access.js';
import { TEST_DIALECT } from '../support/database.js';
import { createStaff, tokenFor } from '../support/users.js';

describe(`stores (${TEST_DIALECT})`, () => {
  let test: TestApp;
  let f: AccessFixture;
  before(async () => {
    test = await startTestApp();
    f = await seedAccessFixture(test);
  });
  after(() => test.close());
  const as = (name: keyof AccessFixture['tokens']) => ({ Authorization: `Bearer ${f.tokens[name]}` });

  it('creates a store, audits it with a diff, and refuses a duplicate code', async () => {
    const res = await test.http().post('/api/v1/stores').set(as('root')).send({ code: 'S003', name: '南山店', region: '深圳', address: '' });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body).to.include({ code: 'S003', name: '南山店', region: '深圳', address: null, status: 'open' });
    const record = await test.ctx.models.audit.AuditLog.findOne({ where: { action: 'store.create', entityId: String(res.body.id) } });
    expect(record?.actorName).to.equal('root1');
    expect(JSON.parse(record!.diff!)).to.deep.include({ field: 'name', before: null, after: '南山店' });
    const dup = await test.http().post('/api/v1/stores').set(as('root')).send({ code: 'S003', name: 'x' });
    expect(dup.status).to.equal(409);
    expect(dup.body.error.code).to.equal('STORE_CODE_TAKEN');
  });

  it('shows a manager only their own stores, and another store by id answers 404 like a missing one', async () => {
    const list = await test.http().get('/api/v1/stores').set(as('manager1'));
    expect(list.body.items.map((s: { code: string }) => s.code)).to.deep.equal(['S001']);
    const other = await test.http().get(`/api/v1/stores/${f.stores.s2.id}`).set(as('manager1'));
    const missing = await test.http().get('/api/v1/stores/999999').set(as('manager1'));
    expect(other.status).to.equal(404);
    expect(other.body.error.code).to.equal(missing.body.error.code);
    const searched = await test.http().get('/api/v1/stores').query({ keyword: '天河' }).set(as('manager1'));
    expect(searched.body.items).to.deep.equal([]);
  });

  it('lets an all-stores role see every store and filter by status', async () => {
    await test.http().patch(`/api/v1/stores/${f.stores.s2.id}`).set(as('root')).send({ status: 'closed' });
    const all = await test.http().get('/api/v1/stores').set(as('auditor1'));
    expect(all.body.items.length).to.be.at.least(2);
    const closed = await test.http().get('/api/v1/stores').query({ status: 'closed' }).set(as('auditor1'));
    expect(closed.body.items.map((s: { code: string }) => s.code)).to.deep.equal(['S002']);
  });

  it('records only changed fields and refuses to change the code', async () => {
    const res = await test.http().patch(`/api/v1/stores/${f.stores.s1.id}`).set(as('root')).send({ name: '徐汇旗舰店', region: '上海' });
    expect(res.status).to.equal(200);
    const record = await test.ctx.models.audit.AuditLog.findOne({ where: { action: 'store.update', entityId: String(f.stores.s1.id) }, order: [['id', 'DESC']] });
    expect(JSON.parse(record!.diff!)).to.deep.equal([{ field: 'name', before: '徐汇店', after: '徐汇旗舰店' }]);
    const code = await test.http().patch(`/api/v1/stores/${f.stores.s1.id}`).set(as('root')).send({ code: 'X1' });
    expect(code.status).to.equal(422);
    expect(code.body.error.details.fields[0].path).to.equal('code');
  });

  it('takes 16 concurrent edits, more than the connection pool holds, without a failure', async () => {
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        test.http().patch(`/api/v1/stores/${f.stores.s1.id}`).set(as('root')).send({ address: `上海市徐汇区漕溪北路 ${i} 号` }),
      ),
    );
    expect(results.map((r) => r.status)).to.deep.equal(Array(16).fill(200));
    expect(await test.ctx.models.audit.AuditLog.count({ where: { action: 'store.update', entityId: String(f.stores.s1.id) } })).to.be.at.least(16);
  });

  it('shows a store-scoped log reader only the records of their stores', async () => {
    await test.http().patch(`/api/v1/stores/${f.stores.s2.id}`).set(as('root')).send({ phone: '020-12345678' });
    await test.ctx.models.access.Role.create({ code: 'store_auditor', nameZh: '门店稽核', nameEn: 'Store auditor', builtin: false, permissions: JSON.stringify(['audit:log:view']), dataScope: 'assigned', fieldPolicy: null });
    const reader = await createStaff(test, { username: 'storeaudit', password: STAFF_PASSWORD, roles: ['store_auditor'] });
    await test.ctx.models.access.UserStore.create({ userId: reader.id, storeId: f.stores.s1.id });
    const token = await tokenFor(test, 'storeaudit', STAFF_PASSWORD);
    const list = await test.http().get('/api/v1/audit-logs').query({ limit: 200 }).set('Authorization', `Bearer ${token}`);
    expect(list.body.items.length).to.be.above(0);
    expect(new Set(list.body.items.map((i: { storeId: number }) => i.storeId))).to.deep.equal(new Set([f.stores.s1.id]));
    const other = await test.ctx.models.audit.AuditLog.findOne({ where: { storeId: f.stores.s2.id } });
    expect((await test.http().get(`/api/v1/audit-logs/${other!.id}`).set('Authorization', `Bearer ${token}`)).status).to.equal(404);
    const filtered = await test.http().get('/api/v1/audit-logs').query({ storeId: f.stores.s2.id }).set('Authorization', `Bearer ${token}`);
    expect(filtered.body.items).to.deep.equal([]);
  });
});
