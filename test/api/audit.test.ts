import { expect } from 'chai';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/app.js';
import { asDba, backdatedRecords } from '../support/audit.js';
import { TEST_DIALECT } from '../support/database.js';
import { createStaff, login, tokenFor } from '../support/users.js';

const GOOD = 'Counter#2026a';

describe(`audit log (${TEST_DIALECT})`, () => {
  let test: TestApp;
  let auditorToken: string;

  before(async () => {
    test = await startTestApp();
    await createStaff(test, { username: 'auditor1', password: GOOD, roles: ['auditor'] });
    await createStaff(test, { username: 'cashier1', password: GOOD, roles: ['cashier'] });
    auditorToken = await tokenFor(test, 'auditor1', GOOD);
  });
  after(() => test.close());

  const verify = () => test.http().post('/api/v1/audit-logs/verify').set('Authorization', `Bearer ${auditorToken}`);
  const seal = () => test.ctx.auditSealer.sealPending({ fullScan: true });

  it('records logins, failures and denied requests with actor, address and request id', async () => {
    await login(test, 'cashier1', 'Wrong#pass123', '10.20.0.1');
    const cashier = await tokenFor(test, 'cashier1', GOOD);
    const denied = await test.http().get('/api/v1/audit-logs').set('Authorization', `Bearer ${cashier}`).set('X-Request-Id', 'probe-denied');
    expect(denied.status).to.equal(403);

    const res = await test.http().get('/api/v1/audit-logs').query({ limit: 200 }).set('Authorization', `Bearer ${auditorToken}`);
    expect(res.status).to.equal(200);
    const items = res.body.items as Array<Record<string, unknown>>;
    const failure = items.find((i) => i.action === 'auth.login' && i.actorName === 'cashier1' && i.result === 'failure');
    expect(failure).to.include({ ip: '10.20.0.1', actorType: 'user', entityType: 'user' });
    const refusal = items.find((i) => i.requestId === 'probe-denied');
    expect(refusal).to.include({ action: 'http.denied', result: 'denied', actorName: 'cashier1' });
    expect(refusal?.actorRoles).to.deep.equal(['cashier']);
    expect(refusal?.summary).to.equal('GET /api/v1/audit-logs → FORBIDDEN (audit:log:view)');
  });

  it('filters by action prefix and pages newest first', async () => {
    const first = await test.http().get('/api/v1/audit-logs').query({ action: 'auth.*', limit: 2 }).set('Authorization', `Bearer ${auditorToken}`);
    expect(first.body.items).to.have.length(2);
    expect((first.body.items as Array<{ action: string }>).every((i) => i.action.startsWith('auth.'))).to.equal(true);
    const second = await test
      .http()
      .get('/api/v1/audit-logs')
      .query({ action: 'auth.*', limit: 2, before: first.body.nextBefore })
      .set('Authorization', `Bearer ${auditorToken}`);
    expect(second.body.items[0].id).to.be.below(first.body.items[1].id);
    const bad = await test.http().get('/api/v1/audit-logs').query({ action: 'DROP TABLE' }).set('Authorization', `Bearer ${auditorToken}`);
    expect(bad.status).to.equal(422);
  });

  it('writes the record in the change’s transaction: no change without its record', async () => {
    const { AuditLog } = test.ctx.models.audit;
    const before = await AuditLog.count();
    const failed = test.ctx.sequelize.transaction(async (transaction) => {
      await test.ctx.services.audit.record({ action: 'probe.rollback', summary: 'rolled back' }, { transaction });
      throw new Error('the change failed');
    });
    await failed.catch(() => undefined);
    expect(await AuditLog.count()).to.equal(before);
  });

  it('refuses UPDATE and DELETE of audit rows in the database itself', async () => {
    const { sequelize } = test.ctx;
    await seal();
    await test.ctx.auditSealer.checkpoint();
    for (const sql of [
      "UPDATE audit_logs SET summary = 'edited'",
      'DELETE FROM audit_logs',
      "UPDATE audit_chain SET hash = 'x'",
      'DELETE FROM audit_chain',
      'DELETE FROM audit_checkpoints',
    ]) {
      const error = await sequelize.query(sql).then(
        () => null,
        (e: Error & { parent?: Error }) => e.parent ?? e,
      );
      expect(error?.message, sql).to.match(/append-only/);
    }
  });

  it('verifies a clean trail, counting every sealed record', async () => {
    await seal();
    await test.ctx.auditSealer.checkpoint();
    const records = await test.ctx.models.audit.AuditLog.count();
    const res = await verify();
    expect(res.status).to.equal(200);
    expect(res.body.ok).to.equal(true);
    expect(res.body.checked + res.body.pending).to.equal(records);
    expect(res.body.checkpoints).to.be.at.least(1);
  });

  it('produces a chain that verifies after 16 clients write at once', async () => {
    const clients = Array.from({ length: 16 }, (_, i) => i);
    await Promise.all(
      clients.map(async (client) => {
        for (let i = 0; i < 10; i++) {
          await test.ctx.sequelize.transaction((transaction) =>
            test.ctx.services.audit.record({ action: 'probe.concurrent', summary: `client ${client} write ${i}` }, { transaction }),
          );
        }
      }),
    );
    // Two sealers racing, as two nodes would.
    await Promise.all([seal(), seal()]);
    const res = await verify();
    expect(res.body, JSON.stringify(res.body)).to.include({ ok: true });
    expect(await test.ctx.models.audit.AuditLog.count({ where: { action: 'probe.concurrent' } })).to.equal(160);
  });

  describe('tampering', () => {
    let fresh: TestApp;
    let token: string;
    beforeEach(async () => {
      fresh = await startTestApp();
      await createStaff(fresh, { username: 'auditor1', password: GOOD, roles: ['auditor'] });
      token = await tokenFor(fresh, 'auditor1', GOOD);
      for (let i = 0; i < 5; i++) await fresh.ctx.services.audit.record({ action: 'probe.write', summary: `write ${i}` });
      await fresh.ctx.auditSealer.sealPending({ fullScan: true });
      await fresh.ctx.auditSealer.checkpoint();
    });
    afterEach(() => fresh.close());

    const freshVerify = async () => {
      const res = await fresh.http().post('/api/v1/audit-logs/verify').set('Authorization', `Bearer ${token}`);
      expect(res.status).to.equal(200);
      return res.body as { ok: boolean; firstBad?: { id: number; reason: string } };
    };
    const probeIds = async () =>
      (await fresh.ctx.models.audit.AuditLog.findAll({ where: { action: 'probe.write' }, order: [['id', 'ASC']] })).map((r) => Number(r.id));

    it('reports an edited record by id', async () => {
      const [, second] = await probeIds();
      await asDba(fresh.ctx.sequelize, 'audit_logs', 'update', "UPDATE audit_logs SET summary = 'nothing happened' WHERE id = ?", [second]);
      const result = await freshVerify();
      expect(result.ok).to.equal(false);
      expect(result.firstBad).to.deep.equal({
        id: second,
        code: 'RECORD_ALTERED',
        reason: `record ${second} was altered after it was written`,
        message: `记录 ${second} 写入后被修改`,
      });
    });

    it('reports a deleted record by id', async () => {
      const [, , third] = await probeIds();
      await asDba(fresh.ctx.sequelize, 'audit_logs', 'delete', 'DELETE FROM audit_logs WHERE id = ?', [third]);
      const result = await freshVerify();
      expect(result.firstBad).to.include({ id: third, code: 'RECORD_DELETED', reason: `record ${third} was deleted`, message: `记录 ${third} 已被删除` });
    });

    it('reports a record and its link deleted together', async () => {
      const [first, second] = await probeIds();
      await asDba(fresh.ctx.sequelize, 'audit_logs', 'delete', 'DELETE FROM audit_logs WHERE id = ?', [first]);
      await asDba(fresh.ctx.sequelize, 'audit_chain', 'delete', 'DELETE FROM audit_chain WHERE record_id = ?', [first]);
      const result = await freshVerify();
      expect(result.ok).to.equal(false);
      expect(result.firstBad?.reason).to.match(/missing \(links deleted\)|does not follow/);
      expect(result.firstBad?.id).to.be.oneOf([first, second]);
    });

    it('reports a forged record inserted directly', async () => {
      const [sample] = await fresh.ctx.models.audit.AuditLog.findAll({ limit: 1 });
      const forged = await fresh.ctx.models.audit.AuditLog.create({
        ...sample.get(),
        id: undefined,
        uid: 'f'.repeat(32),
        summary: 'a login that never happened',
        mac: 'a'.repeat(64),
      });
      const result = await freshVerify();
      expect(result.firstBad?.id).to.equal(Number(forged.id));
      expect(result.firstBad?.reason).to.contain('not a genuine record');
    });

    it('reports swapped chain links', async () => {
      const [first, second] = await probeIds();
      await asDba(fresh.ctx.sequelize, 'audit_chain', 'update', [
        `UPDATE audit_chain SET record_id = 0 WHERE record_id = ${first}`,
        `UPDATE audit_chain SET record_id = ${first} WHERE record_id = ${second}`,
        `UPDATE audit_chain SET record_id = ${second} WHERE record_id = 0`,
      ]);
      const result = await freshVerify();
      expect(result.ok).to.equal(false);
    });
  });

  it('purges records past retention behind a signed checkpoint, and still verifies', async () => {
    const fresh = await startTestApp();
    try {
      const { AuditLog } = fresh.ctx.models.audit;
      await backdatedRecords(fresh.ctx.models.audit, fresh.ctx.auditKeys, { count: 3, daysAgo: 400, action: 'probe.old' });
      await fresh.ctx.services.audit.record({ action: 'probe.new', summary: 'recent' });
      const purged = await fresh.ctx.auditSealer.purge(365);
      expect(purged).to.equal(3);
      expect(await AuditLog.count({ where: { action: 'probe.old' } })).to.equal(0);
      await fresh.ctx.auditSealer.sealPending({ fullScan: true });
      const { verifyAuditTrail } = await import('../../server/src/modules/audit/verify.js');
      const result = await verifyAuditTrail(fresh.ctx.sequelize, fresh.ctx.models.audit, fresh.ctx.auditKeys);
      expect(result).to.include({ ok: true });
    } finally {
      await fresh.close();
    }
  });

  it('lets only auditors and super admins read and verify', async () => {
    const cashier = await tokenFor(test, 'cashier1', GOOD);
    expect((await test.http().post('/api/v1/audit-logs/verify').set('Authorization', `Bearer ${cashier}`)).status).to.equal(403);
    const admin = await tokenFor(test, 'admin', ADMIN_PASSWORD);
    // The first admin must change the password before anything else, audit included.
    expect((await test.http().get('/api/v1/audit-logs').set('Authorization', `Bearer ${admin}`)).status).to.equal(403);
  });
});
