import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { isValidCardNumber } from '../../server/src/platform/ids/card-number.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { STAFF_PASSWORD, seedAccessFixture, type AccessFixture } from '../support/access.js';
import { createStaff, tokenFor } from '../support/users.js';
import { TEST_DIALECT } from '../support/database.js';

describe(`members: register, find, change, freeze, reveal (${TEST_DIALECT})`, function () {
  this.timeout(60_000);
  let test: TestApp;
  let f: AccessFixture;
  let phoneSeq = 0;
  const nextPhone = () => `1380013${String(++phoneSeq).padStart(4, '0')}`;
  const as = (name: keyof AccessFixture['tokens']) => ({ Authorization: `Bearer ${f.tokens[name]}` });
  const create = async (who: keyof AccessFixture['tokens'], body: Record<string, unknown>) => {
    const res = await test.http().post('/api/v1/members').set(as(who)).send(body);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body as { id: number; cardNo: string } & Record<string, unknown>;
  };

  before(async () => {
    test = await startTestApp({ jobs: 'off' });
    f = await seedAccessFixture(test);
  });
  after(() => test.close());

  describe('registering', () => {
    it('gives a new member a Luhn-checked card number, shows the manager a masked phone, and keeps no plain phone in the table', async () => {
      const phone = nextPhone();
      const member = await create('manager1', { name: '张三丰', phone, email: 'Zhang@Example.com', idNumber: '11010519491231002x', birthday: '1990-05-17', region: '110101' });
      expect(member.cardNo).to.match(/^8\d{9}$/);
      expect(isValidCardNumber(member.cardNo)).to.equal(true);
      expect(member).to.include({ name: '张三丰', phone: `${phone.slice(0, 3)}****${phone.slice(7)}`, homeStoreId: f.stores.s1.id, status: 'normal', birthday: '1990-05-17' });
      expect(member.email).to.equal('z***@example.com');
      expect(member.idNumber).to.equal('110105********002X');

      const rows = await test.ctx.sequelize.query('SELECT * FROM members', { type: QueryTypes.SELECT });
      const raw = JSON.stringify(rows);
      expect(raw).not.to.include(phone);
      expect(raw).not.to.include(phone.slice(3));
      expect(raw.toLowerCase()).not.to.include('zhang@example.com');
      expect(raw).not.to.include('11010519491231002');
      expect(rows[0]).to.include({ phone_last4: phone.slice(7) });
    });

    it('audits the registration with the phone masked and hashed, never in clear', async () => {
      const phone = nextPhone();
      const member = await create('manager1', { name: '李四', phone });
      const record = await test.ctx.models.audit.AuditLog.findOne({ where: { action: 'member.create', entityId: String(member.id) } });
      expect(record?.storeId).to.equal(f.stores.s1.id);
      expect(record!.diff).not.to.include(phone);
      const diff = JSON.parse(record!.diff!) as Array<{ field: string; after: unknown; changedHash?: unknown }>;
      const phoneEntry = diff.find((entry) => entry.field === 'phone');
      expect(phoneEntry?.after).to.equal(`${phone.slice(0, 3)}****${phone.slice(7)}`);
      expect(phoneEntry?.changedHash).to.be.an('object');
      expect(record!.summary).to.equal(`新建会员 ${member.cardNo}`);
    });

    it('answers one of two concurrent registrations of one phone with 409 and the card number of the other', async () => {
      const phone = nextPhone();
      const results = await Promise.all(
        ['manager1', 'root'].map((who) =>
          test.http().post('/api/v1/members').set(as(who as 'root')).send({ name: '并发', phone, homeStoreId: f.stores.s1.id }),
        ),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).to.deep.equal([201, 409]);
      const created = results.find((r) => r.status === 201)!;
      const refused = results.find((r) => r.status === 409)!;
      expect(refused.body.error.code).to.equal('MEMBER_PHONE_TAKEN');
      expect(refused.body.error.details.cardNo).to.equal(created.body.cardNo);
      expect(refused.body.error.message).to.include(created.body.cardNo);
      const count = await test.ctx.models.members.Member.count({ where: { phoneBidx: test.ctx.services.members['deps'].contact.phoneIndex(phone) } });
      expect(count).to.equal(1);
    });

    it('does not tell another store which member holds a phone number', async () => {
      const phone = nextPhone();
      await create('manager1', { phone });
      const res = await test.http().post('/api/v1/members').set(as('manager2')).send({ phone });
      expect(res.status).to.equal(409);
      expect(res.body.error.code).to.equal('MEMBER_PHONE_TAKEN_ELSEWHERE');
      expect(JSON.stringify(res.body)).not.to.match(/\d{10}/);
    });

    it('refuses bad input on the right field and writes nothing', async () => {
      const before = await test.ctx.models.members.Member.count();
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ phone: '12345' }, 'phone'],
        [{ phone: nextPhone(), idNumber: '110105194912310021' }, 'idNumber'],
        [{ phone: nextPhone(), region: '999999' }, 'region'],
        [{ phone: nextPhone(), birthday: '2001-02-30' }, 'birthday'],
        [{ phone: nextPhone(), email: 'not-an-email' }, 'email'],
        [{ phone: nextPhone(), cardNo: '80000000011' }, 'cardNo'],
        [{ phone: nextPhone(), custom: { skin_type: 'oily' } }, 'custom.skin_type'],
        [{ phone: nextPhone(), homeStoreId: f.stores.s2.id }, 'homeStoreId'],
        [{ phone: nextPhone(), referrerId: 999999 }, 'referrerId'],
        [{ phone: nextPhone(), pointsBalance: 100 }, 'pointsBalance'],
      ];
      for (const [body, path] of cases) {
        const res = await test.http().post('/api/v1/members').set(as('manager1')).set('Accept-Language', 'en').send(body);
        expect(res.status, `${path}: ${JSON.stringify(res.body)}`).to.equal(422);
        expect(res.body.error.details.fields.map((e: { path: string }) => e.path)).to.include(path);
      }
      expect(await test.ctx.models.members.Member.count()).to.equal(before);
    });

    it('needs a home store from a caller who reaches several', async () => {
      const res = await test.http().post('/api/v1/members').set(as('root')).send({ phone: nextPhone() });
      expect(res.status).to.equal(422);
      expect(res.body.error.details.fields[0].path).to.equal('homeStoreId');
    });

    it('lets a cashier register with contact data but refuses fields the cashier may not write, naming them', async () => {
      const member = await create('cashier1', { name: '王五', phone: nextPhone(), birthday: '1988-01-02' });
      expect(member.birthday).to.equal('01-02');
      const res = await test.http().post('/api/v1/members').set(as('cashier1')).send({ phone: nextPhone(), notes: 'VIP' });
      expect(res.status).to.equal(403);
      expect(res.body.error.code).to.equal('FIELD_NOT_EDITABLE');
      expect(res.body.error.details.fields).to.deep.equal(['notes']);
    });
  });

  describe('finding', () => {
    let member: { id: number; cardNo: string };
    let phone: string;
    before(async () => {
      phone = nextPhone();
      member = await create('manager1', { name: '赵敏', phone, channel: 'poster', birthday: '1995-08-08' });
    });

    it('looks a member up by the whole phone number or the card number, for a cashier too', async () => {
      const byPhone = await test.http().get('/api/v1/members/lookup').query({ phone: `+86 ${phone}` }).set(as('cashier1'));
      expect(byPhone.status, JSON.stringify(byPhone.body)).to.equal(200);
      expect(byPhone.body).to.include({ id: member.id, cardNo: member.cardNo, name: '赵敏' });
      expect(byPhone.body.phone).to.equal(`${phone.slice(0, 3)}****${phone.slice(7)}`);
      const byCard = await test.http().get('/api/v1/members/lookup').query({ cardNo: member.cardNo }).set(as('cashier1'));
      expect(byCard.body.id).to.equal(member.id);
      const badCheck = await test.http().get('/api/v1/members/lookup').query({ cardNo: `${member.cardNo.slice(0, -1)}${(Number(member.cardNo.at(-1)) + 1) % 10}` }).set(as('cashier1'));
      expect(badCheck.status).to.equal(422);
    });

    it('answers another store exactly as it answers a member that does not exist', async () => {
      const other = await test.http().get(`/api/v1/members/${member.id}`).set(as('manager2'));
      const missing = await test.http().get('/api/v1/members/99999999').set(as('manager2'));
      expect(other.status).to.equal(404);
      expect(other.body.error.code).to.equal(missing.body.error.code);
      const lookup = await test.http().get('/api/v1/members/lookup').query({ phone }).set(as('cashier2'));
      expect(lookup.status).to.equal(404);
      const listed = await test.http().get('/api/v1/members').query({ keyword: phone }).set(as('manager2'));
      expect(listed.body.items).to.deep.equal([]);
    });

    it('limits an own-members-only role to the members it manages, by list, id and lookup', async () => {
      await test.ctx.models.access.Role.create({
        code: 'consultant',
        nameZh: '顾问',
        nameEn: 'Consultant',
        builtin: false,
        permissions: JSON.stringify(['member:member:view']),
        dataScope: 'own',
        fieldPolicy: JSON.stringify({ defaults: { member: 'read' } }),
      });
      const consultant = await createStaff(test, { username: 'consultant1', password: STAFF_PASSWORD, roles: ['consultant'] });
      await test.ctx.models.access.UserStore.create({ userId: consultant.id, storeId: f.stores.s1.id });
      const token = { Authorization: `Bearer ${await tokenFor(test, 'consultant1', STAFF_PASSWORD)}` };
      const managed = await create('root', { phone: nextPhone(), homeStoreId: f.stores.s1.id, managerId: consultant.id });
      const listed = await test.http().get('/api/v1/members').query({ limit: 200 }).set(token);
      expect(listed.body.items.map((m: { id: number }) => m.id)).to.deep.equal([managed.id]);
      expect((await test.http().get(`/api/v1/members/${member.id}`).set(token)).status).to.equal(404);
      expect((await test.http().get('/api/v1/members/lookup').query({ phone }).set(token)).status).to.equal(404);
      expect((await test.http().get(`/api/v1/members/${managed.id}`).set(token)).status).to.equal(200);
    });

    it('finds by keyword: whole phone, last four digits, card number, name prefix', async () => {
      const ids = async (who: 'manager1' | 'cashier1', keyword: string) => {
        const res = await test.http().get('/api/v1/members').query({ keyword }).set(as(who));
        expect(res.status, JSON.stringify(res.body)).to.equal(200);
        return res.body.items.map((m: { id: number }) => m.id) as number[];
      };
      expect(await ids('manager1', phone)).to.deep.equal([member.id]);
      expect(await ids('cashier1', phone)).to.deep.equal([member.id]);
      expect(await ids('cashier1', phone.slice(7))).to.include(member.id);
      expect(await ids('cashier1', member.cardNo)).to.deep.equal([member.id]);
      expect(await ids('manager1', '赵')).to.include(member.id);
    });

    it('refuses searching or sorting by a masked field, naming it', async () => {
      const search = await test.http().get('/api/v1/members').query({ keyword: '赵' }).set(as('auditor1'));
      expect(search.status).to.equal(403);
      expect(search.body.error).to.include({ code: 'FIELD_FILTER_FORBIDDEN' });
      expect(search.body.error.details.fields).to.deep.equal(['name']);
      const sort = await test.http().get('/api/v1/members').query({ sort: 'birthday' }).set(as('cashier1'));
      expect(sort.status).to.equal(403);
      expect(sort.body.error.details.fields).to.deep.equal(['birthday']);
      const birthday = await test.http().get('/api/v1/members').query({ birthdayMonth: 8 }).set(as('auditor1'));
      expect(birthday.status).to.equal(403);
      expect(birthday.body.error.details.fields).to.deep.equal(['birthday']);
    });

    it('filters by channel, birthday month and registration day', async () => {
      const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
      const res = await test.http().get('/api/v1/members').query({ channel: 'poster', birthdayMonth: 8, registeredFrom: today, registeredTo: today }).set(as('manager1'));
      expect(res.body.items.map((m: { id: number }) => m.id)).to.deep.equal([member.id]);
      const yesterday = await test.http().get('/api/v1/members').query({ channel: 'poster', registeredTo: '2020-01-01' }).set(as('manager1'));
      expect(yesterday.body.items).to.deep.equal([]);
    });

    it('shows an auditor masked contact data and no birthday at all', async () => {
      const res = await test.http().get(`/api/v1/members/${member.id}`).set(as('auditor1'));
      expect(res.status).to.equal(200);
      expect(res.body).not.to.have.property('birthday');
      expect(res.body.phone).to.equal(`${phone.slice(0, 3)}****${phone.slice(7)}`);
    });

    it('audits a read of unmasked contact data, and not a masked one', async () => {
      const { AuditLog } = test.ctx.models.audit;
      const before = await AuditLog.count({ where: { action: 'member.read_sensitive' } });
      await test.http().get(`/api/v1/members/${member.id}`).set(as('manager1'));
      expect(await AuditLog.count({ where: { action: 'member.read_sensitive' } })).to.equal(before);
      const res = await test.http().get(`/api/v1/members/${member.id}`).set(as('root'));
      expect(res.body.phone).to.equal(phone);
      const record = await AuditLog.findOne({ where: { action: 'member.read_sensitive' }, order: [['id', 'DESC']] });
      expect(record?.entityId).to.equal(String(member.id));
      expect(JSON.parse(record!.diff!)).to.deep.include({ via: 'detail', memberIds: [member.id] });
    });
  });

  describe('paging', () => {
    const names = ['甲', '乙', null, '丙', '丁', null, '戊', '己', '庚', '辛', '壬', '癸'];
    before(async () => {
      for (const name of names) await create('manager2', { name, phone: nextPhone() });
    });

    for (const [sort, order] of [['registeredAt', 'desc'], ['name', 'asc'], ['name', 'desc'], ['cardNo', 'asc']] as const) {
      it(`walks every member exactly once by ${sort} ${order}, five at a time`, async () => {
        const seen: number[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const res: { status: number; body: { items: Array<{ id: number }>; nextCursor: string | null } } = await test.http().get('/api/v1/members').query({ sort, order, limit: 5, ...(cursor ? { cursor } : {}) }).set(as('manager2'));
          expect(res.status, JSON.stringify(res.body)).to.equal(200);
          seen.push(...res.body.items.map((m: { id: number }) => m.id));
          cursor = res.body.nextCursor;
          pages += 1;
        } while (cursor && pages < 20);
        const all = await test.ctx.models.members.Member.findAll({ where: { homeStoreId: f.stores.s2.id } });
        expect(seen.length).to.equal(all.length);
        expect(new Set(seen).size).to.equal(all.length);
      });
    }

    it('refuses a cursor from another sort order', async () => {
      const first = await test.http().get('/api/v1/members').query({ limit: 2 }).set(as('manager2'));
      const res = await test.http().get('/api/v1/members').query({ sort: 'name', limit: 2, cursor: first.body.nextCursor }).set(as('manager2'));
      expect(res.status).to.equal(400);
      expect(res.body.error.code).to.equal('MEMBER_CURSOR_INVALID');
    });
  });

  describe('changing', () => {
    it('records only the fields that changed, and nothing when nothing did', async () => {
      const member = await create('manager1', { name: '周芷若', phone: nextPhone() });
      const res = await test.http().patch(`/api/v1/members/${member.id}`).set(as('manager1')).send({ name: '周芷若', nickname: '芷若' });
      expect(res.status).to.equal(200);
      const records = await test.ctx.models.audit.AuditLog.findAll({ where: { action: 'member.update', entityId: String(member.id) } });
      expect(records).to.have.length(1);
      expect(JSON.parse(records[0].diff!).map((e: { field: string }) => e.field)).to.deep.equal(['nickname']);
      await test.http().patch(`/api/v1/members/${member.id}`).set(as('manager1')).send({ nickname: '芷若' });
      expect(await test.ctx.models.audit.AuditLog.count({ where: { action: 'member.update', entityId: String(member.id) } })).to.equal(1);
    });

    it('refuses a phone that belongs to another member, and a cashier editing notes', async () => {
      const taken = nextPhone();
      await create('manager1', { phone: taken });
      const member = await create('manager1', { phone: nextPhone() });
      const manager = await test.http().patch(`/api/v1/members/${member.id}`).set(as('manager1')).send({ phone: taken });
      expect(manager.status, 'a manager sees phones masked, so may not change one').to.equal(403);
      const res = await test.http().patch(`/api/v1/members/${member.id}`).set(as('root')).send({ phone: taken });
      expect(res.status).to.equal(409);
      expect(res.body.error.code).to.equal('MEMBER_PHONE_TAKEN');
      const cashier = await test.http().patch(`/api/v1/members/${member.id}`).set(as('cashier1')).send({ notes: 'x' });
      expect(cashier.status).to.equal(403);
    });

    it('changes a phone number: the new one is found, the old one no longer', async () => {
      const [oldPhone, newPhone] = [nextPhone(), nextPhone()];
      const member = await create('manager1', { phone: oldPhone });
      const res = await test.http().patch(`/api/v1/members/${member.id}`).set(as('root')).send({ phone: newPhone });
      expect(res.body.phone).to.equal(newPhone);
      expect((await test.http().get('/api/v1/members/lookup').query({ phone: newPhone }).set(as('manager1'))).body.id).to.equal(member.id);
      expect((await test.http().get('/api/v1/members/lookup').query({ phone: oldPhone }).set(as('manager1'))).status).to.equal(404);
    });

    it('freezes with a reason and unfreezes, each once, each audited', async () => {
      const member = await create('manager1', { phone: nextPhone() });
      const frozen = await test.http().post(`/api/v1/members/${member.id}/freeze`).set(as('manager1')).send({ reason: '疑似盗刷' });
      expect(frozen.body).to.include({ status: 'frozen', frozenReason: '疑似盗刷' });
      const again = await test.http().post(`/api/v1/members/${member.id}/freeze`).set(as('manager1')).send({ reason: '疑似盗刷' });
      expect(again.status).to.equal(409);
      expect(again.body.error.code).to.equal('MEMBER_ALREADY_FROZEN');
      const cashier = await test.http().post(`/api/v1/members/${member.id}/unfreeze`).set(as('cashier1')).send({});
      expect(cashier.status).to.equal(403);
      const thawed = await test.http().post(`/api/v1/members/${member.id}/unfreeze`).set(as('manager1')).send({});
      expect(thawed.body).to.include({ status: 'normal', frozenReason: null });
      const actions = (await test.ctx.models.audit.AuditLog.findAll({ where: { entityType: 'member', entityId: String(member.id) }, order: [['id', 'ASC']] })).map((r) => r.action);
      expect(actions).to.deep.equal(['member.create', 'member.freeze', 'member.unfreeze']);
    });
  });

  describe('revealing', () => {
    it('shows a manager the unmasked phone for a reason and audits the read', async () => {
      const phone = nextPhone();
      const member = await create('manager1', { phone });
      const res = await test.http().post(`/api/v1/members/${member.id}/reveal`).set(as('manager1')).send({ fields: ['phone'], reason: '客户来电核实' });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body).to.deep.equal({ id: member.id, values: { phone } });
      const record = await test.ctx.models.audit.AuditLog.findOne({ where: { action: 'member.reveal', entityId: String(member.id) } });
      expect(record?.summary).to.include('客户来电核实');
      expect(record!.summary + record!.diff).not.to.include(phone);
    });

    it('refuses roles without the reveal permission, fields that are hidden or unknown, and other stores', async () => {
      const member = await create('manager1', { phone: nextPhone() });
      const body = { fields: ['phone'], reason: '核实身份' };
      expect((await test.http().post(`/api/v1/members/${member.id}/reveal`).set(as('cashier1')).send(body)).status).to.equal(403);
      expect((await test.http().post(`/api/v1/members/${member.id}/reveal`).set(as('auditor1')).send(body)).status).to.equal(403);
      expect((await test.http().post(`/api/v1/members/${member.id}/reveal`).set(as('manager2')).send(body)).status).to.equal(404);
      const unknown = await test.http().post(`/api/v1/members/${member.id}/reveal`).set(as('manager1')).send({ fields: ['password'], reason: '核实身份' });
      expect(unknown.status).to.equal(403);
      expect(unknown.body.error.code).to.equal('FIELD_NOT_REVEALABLE');
      const noReason = await test.http().post(`/api/v1/members/${member.id}/reveal`).set(as('manager1')).send({ fields: ['phone'] });
      expect(noReason.status).to.equal(422);
    });
  });

  describe('saved views', () => {
    it("keeps each user's named filters, replaces one saved again under its name, and hides them from others", async () => {
      const save = (who: 'manager1' | 'manager2', body: object) => test.http().put('/api/v1/member-views').set(as(who)).send(body);
      const first = await save('manager1', { name: '海报渠道', query: { channel: 'poster', sort: 'name', order: 'asc' } });
      expect(first.status, JSON.stringify(first.body)).to.equal(200);
      const again = await save('manager1', { name: '海报渠道', query: { channel: 'poster', birthdayMonth: 5 } });
      expect(again.body.id).to.equal(first.body.id);
      const mine = await test.http().get('/api/v1/member-views').set(as('manager1'));
      expect(mine.body.items).to.have.length(1);
      expect(mine.body.items[0].query).to.include({ channel: 'poster', birthdayMonth: 5 });
      expect((await test.http().get('/api/v1/member-views').set(as('manager2'))).body.items).to.deep.equal([]);
      expect((await test.http().delete(`/api/v1/member-views/${first.body.id}`).set(as('manager2'))).status).to.equal(404);
      expect((await save('manager1', { name: '坏的', query: { colour: 'red' } })).status).to.equal(422);
      expect((await test.http().delete(`/api/v1/member-views/${first.body.id}`).set(as('manager1'))).status).to.equal(204);
      const actions = (await test.ctx.models.audit.AuditLog.findAll({ where: { entityType: 'member_view' } })).map((r) => r.action);
      expect(actions).to.deep.equal(['member_view.save', 'member_view.save', 'member_view.delete']);
    });
  });
});
