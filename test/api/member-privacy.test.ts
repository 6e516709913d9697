import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { startTestApp, type TestApp } from '../support/app.js';
import { seedAccessFixture, type AccessFixture } from '../support/access.js';
import { TEST_DIALECT } from '../support/database.js';

describe(`members: consent, a copy of one's data, erasure, the 360 view (${TEST_DIALECT})`, function () {
  this.timeout(60_000);
  let test: TestApp;
  let f: AccessFixture;
  let seq = 0;
  const nextPhone = () => `1390024${String(++seq).padStart(4, '0')}`;
  const as = (name: keyof AccessFixture['tokens']) => ({ Authorization: `Bearer ${f.tokens[name]}` });
  const register = async (body: Record<string, unknown>) => {
    const res = await test.http().post('/api/v1/members').set(as('manager1')).send(body);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body as { id: number; cardNo: string };
  };

  before(async () => {
    test = await startTestApp({ jobs: 'off' });
    f = await seedAccessFixture(test);
  });
  after(() => test.close());

  describe('marketing consent', () => {
    it('keeps the history of each channel and treats silence as no', async () => {
      const member = await register({ phone: nextPhone() });
      const empty = await test.http().get(`/api/v1/members/${member.id}/consents`).set(as('cashier1'));
      expect(empty.body.current.sms).to.deep.equal({ granted: false, source: null, occurredAt: null });

      const put = (body: Record<string, unknown>) => test.http().put(`/api/v1/members/${member.id}/consents`).set(as('manager1')).send(body);
      const granted = await put({ sms: true, email: false, source: 'counter' });
      expect(granted.status, JSON.stringify(granted.body)).to.equal(200);
      expect(granted.body.current.sms).to.include({ granted: true, source: 'counter' });
      expect(granted.body.history, 'email was already "no": nothing to record').to.have.length(1);

      await put({ sms: true, source: 'counter' });
      const withdrawn = await put({ sms: false, source: 'phone_call' });
      expect(withdrawn.body.current.sms).to.include({ granted: false, source: 'phone_call' });
      expect(withdrawn.body.history.map((h: { granted: boolean }) => h.granted)).to.deep.equal([false, true]);
      const audits = await test.ctx.models.audit.AuditLog.count({ where: { action: 'member.consent', entityId: String(member.id) } });
      expect(audits).to.equal(2);
    });

    it('is changed only by roles that edit members, within their stores', async () => {
      const member = await register({ phone: nextPhone() });
      expect((await test.http().put(`/api/v1/members/${member.id}/consents`).set(as('cashier1')).send({ sms: true })).status).to.equal(403);
      expect((await test.http().put(`/api/v1/members/${member.id}/consents`).set(as('manager2')).send({ sms: true })).status).to.equal(404);
      const bad = await test.http().put(`/api/v1/members/${member.id}/consents`).set(as('manager1')).send({ sms: 'yes' });
      expect(bad.status).to.equal(422);
    });
  });

  describe('a copy of the personal data (PIPL Art. 45)', () => {
    it('gives an administrator everything unmasked as a JSON download and audits it', async () => {
      const phone = nextPhone();
      const member = await register({ name: '钱多多', phone, email: 'qian@example.com' });
      const res = await test.http().get(`/api/v1/members/${member.id}/personal-data`).set(as('root'));
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.headers['content-disposition']).to.include(`member-${member.id}-personal-data.json`);
      expect(res.body.profile).to.include({ name: '钱多多', phone, email: 'qian@example.com' });
      expect(res.body.fields.phone).to.deep.equal({ zh: '手机号', en: 'Phone' });
      const record = await test.ctx.models.audit.AuditLog.findOne({ where: { action: 'member.data_export', entityId: String(member.id) } });
      expect(record?.actorName).to.equal('root1');
      expect((await test.http().get(`/api/v1/members/${member.id}/personal-data`).set(as('manager1'))).status).to.equal(403);
    });
  });

  describe('erasure (PIPL Art. 47)', () => {
    it('erases every personal field irreversibly, keeps the pseudonymous row, and audits which fields, never their values', async () => {
      const phone = nextPhone();
      const member = await register({ name: '孙悟空', phone, email: 'sun@example.com', idNumber: '11010519491231002X', birthday: '1990-01-01', notes: '爱吃桃' });
      await test.http().put(`/api/v1/members/${member.id}/consents`).set(as('manager1')).send({ sms: true });
      const res = await test.http().post(`/api/v1/members/${member.id}/erase`).set(as('root')).send({ reason: '本人书面申请删除' });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body).to.include({ id: member.id, status: 'erased' });
      expect(res.body.cleared).to.include.members(['cardNo', 'name', 'phone', 'email', 'idNumber', 'birthday', 'notes']);

      const [row] = await test.ctx.sequelize.query<Record<string, unknown>>('SELECT * FROM members WHERE id = ?', { replacements: [member.id], type: QueryTypes.SELECT });
      for (const column of ['card_no', 'name', 'phone_enc', 'phone_bidx', 'phone_last4', 'email_enc', 'email_bidx', 'id_number_enc', 'id_number_bidx', 'birthday', 'notes']) {
        expect(row[column], column).to.equal(null);
      }
      expect(row.status).to.equal('erased');

      const record = await test.ctx.models.audit.AuditLog.findOne({ where: { action: 'member.erase', entityId: String(member.id) } });
      expect(record!.summary).to.include('本人书面申请删除');
      expect(`${record!.summary}${record!.diff}`).not.to.include(phone.slice(7));
      expect(`${record!.summary}${record!.diff}`).not.to.include('孙悟空');
    });

    it('lets the phone register again, shows the erased record without personal data, and refuses every further change', async () => {
      const phone = nextPhone();
      const member = await register({ name: '猪八戒', phone });
      await test.http().post(`/api/v1/members/${member.id}/erase`).set(as('root')).send({ reason: '本人申请' });
      const again = await register({ phone });
      expect(again.id).not.to.equal(member.id);

      const shown = await test.http().get(`/api/v1/members/${member.id}`).set(as('root'));
      expect(shown.body).to.include({ status: 'erased', name: null, phone: null, cardNo: null });
      const listed = await test.http().get('/api/v1/members').set(as('root')).query({ limit: 200 });
      expect(listed.body.items.map((m: { id: number }) => m.id)).not.to.include(member.id);
      const erasedOnly = await test.http().get('/api/v1/members').set(as('root')).query({ status: 'erased', limit: 200 });
      expect(erasedOnly.body.items.map((m: { id: number }) => m.id)).to.include(member.id);

      expect((await test.http().patch(`/api/v1/members/${member.id}`).set(as('root')).send({ name: 'x' })).body.error.code).to.equal('MEMBER_ERASED');
      expect((await test.http().post(`/api/v1/members/${member.id}/erase`).set(as('root')).send({ reason: '再次' })).status).to.equal(409);
      expect((await test.http().get(`/api/v1/members/${member.id}/personal-data`).set(as('root'))).status).to.equal(409);
    });

    it('waits until stored value is refunded: the money is owed to a person nobody could name afterwards', async () => {
      const member = await register({ name: '唐僧', phone: nextPhone() });
      const topup = await test.http().post(`/api/v1/members/${member.id}/wallet/topups`).set(as('root')).send({ amount: 10_000, payMethod: 'cash' });
      expect(topup.status, JSON.stringify(topup.body)).to.equal(201);
      const refused = await test.http().post(`/api/v1/members/${member.id}/erase`).set(as('root')).send({ reason: '本人申请' });
      expect(refused.status).to.equal(409);
      expect(refused.body.error.code).to.equal('MEMBER_HOLDS_STORED_VALUE');
      expect(refused.body.error.message).to.include('¥100.00');
      const refund = await test.http().post(`/api/v1/wallet/topups/${topup.body.id}/refunds`).set(as('root')).send({ reason: '注销前退还' });
      expect(refund.status, JSON.stringify(refund.body)).to.equal(201);
      const erased = await test.http().post(`/api/v1/members/${member.id}/erase`).set(as('root')).send({ reason: '本人申请' });
      expect(erased.status, JSON.stringify(erased.body)).to.equal(200);
    });

    it('is refused to store managers and cashiers', async () => {
      const member = await register({ phone: nextPhone() });
      for (const who of ['manager1', 'cashier1'] as const) {
        expect((await test.http().post(`/api/v1/members/${member.id}/erase`).set(as(who)).send({ reason: '本人申请' })).status).to.equal(403);
      }
    });
  });

  describe('the 360 view', () => {
    it("shows the member's activity with each diff as the reader may see it", async () => {
      const member = await register({ name: '沙僧', phone: nextPhone(), birthday: '1980-03-04' });
      const patched = await test.http().patch(`/api/v1/members/${member.id}`).set(as('root')).send({ birthday: '1980-03-05', nickname: '沙和尚' });
      expect(patched.status, JSON.stringify(patched.body)).to.equal(200);
      const manager = await test.http().get(`/api/v1/members/${member.id}/overview`).set(as('manager1'));
      expect(manager.status, JSON.stringify(manager.body)).to.equal(200);
      expect(manager.body.member).to.include({ id: member.id, name: '沙僧' });
      expect(manager.body).to.include.keys('recentOrders', 'coupons', 'tags', 'tierHistory');
      const update = manager.body.activity.find((a: { action: string }) => a.action === 'member.update');
      expect(update.diff.map((d: { field: string }) => d.field)).to.deep.equal(['nickname', 'birthday']);

      const auditor = await test.http().get(`/api/v1/members/${member.id}/overview`).set(as('auditor1'));
      const seen = auditor.body.activity.find((a: { action: string }) => a.action === 'member.update');
      expect(seen.diff.map((d: { field: string }) => d.field), 'the auditor may not see birthdays').to.deep.equal(['nickname']);
      expect(auditor.body.member).not.to.have.property('birthday');
      expect(JSON.stringify(auditor.body)).not.to.include('1980-03');
    });
  });
});
