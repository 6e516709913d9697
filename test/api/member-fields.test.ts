import { expect } from 'chai';
import { startTestApp, type TestApp } from '../support/app.js';
import { STAFF_PASSWORD, seedAccessFixture, type AccessFixture } from '../support/access.js';
import { TEST_DIALECT } from '../support/database.js';
import { createStaff, tokenFor } from '../support/users.js';

const SKIN = {
  key: 'skin_type',
  label: { zh: '肤质', en: 'Skin type' },
  type: 'select',
  options: [
    { value: 'dry', label: { zh: '干性' } },
    { value: 'oily', label: { zh: '油性' } },
  ],
  searchable: true,
  onRegistration: true,
};

describe(`members: the form engine's custom fields (${TEST_DIALECT})`, function () {
  this.timeout(60_000);
  let test: TestApp;
  let f: AccessFixture;
  let seq = 0;
  const nextPhone = () => `1360035${String(++seq).padStart(4, '0')}`;
  const as = (name: keyof AccessFixture['tokens']) => ({ Authorization: `Bearer ${f.tokens[name]}` });
  const define = async (body: Record<string, unknown>) => {
    const res = await test.http().post('/api/v1/member-fields').set(as('root')).send(body);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body;
  };
  const register = (who: keyof AccessFixture['tokens'], custom: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    test.http().post('/api/v1/members').set(as(who)).send({ phone: nextPhone(), custom, ...extra });
  const idsFor = async (query: Record<string, string>) => {
    const res = await test.http().get('/api/v1/members').query({ limit: 200, ...query }).set(as('manager1'));
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body.items.map((m: { id: number }) => m.id) as number[];
  };

  before(async () => {
    test = await startTestApp({ jobs: 'off' });
    f = await seedAccessFixture(test);
    await define(SKIN);
    await define({ key: 'vip_no', label: { zh: '贵宾编号' }, type: 'text', unique: true, searchable: true });
    await define({ key: 'allergies', label: { zh: '过敏' }, type: 'multiselect', options: [{ value: 'nuts', label: { zh: '坚果' } }, { value: 'milk', label: { zh: '牛奶' } }], searchable: true });
    await define({ key: 'height', label: { zh: '身高' }, type: 'decimal', rules: { min: 50, max: 250, scale: 1 } });
  });
  after(() => test.close());

  it('describes the form to each role: levels, what it may type on registration, and the field types', async () => {
    const res = await test.http().get('/api/v1/member-fields').set(as('cashier1'));
    expect(res.status).to.equal(200);
    const skin = res.body.custom.find((c: { key: string }) => c.key === 'skin_type');
    expect(skin).to.include({ type: 'select', level: 'read', creatable: true, retired: false });
    expect(skin.options[0]).to.deep.equal({ value: 'dry', label: { zh: '干性', en: '干性' }, retired: false });
    expect(res.body.builtin.find((b: { key: string }) => b.key === 'phone')).to.include({ level: 'masked', creatable: true });
    expect(res.body.types.map((t: { type: string }) => t.type)).to.include.members(['text', 'money', 'region', 'member_ref', 'staff_ref']);
    expect((await test.http().post('/api/v1/member-fields').set(as('manager1')).send({ ...SKIN, key: 'x1' })).status).to.equal(403);
  });

  it('refuses a definition that does not hold together, naming the part', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...SKIN, key: 'phone' }, 'key'],
      [{ ...SKIN, key: 'k2', options: [] }, 'options'],
      [{ key: 'k3', label: { zh: '备注二' }, type: 'textarea', searchable: true }, 'searchable'],
      [{ key: 'k4', label: { zh: '评分' }, type: 'rating', unique: true }, 'unique'],
      [{ key: 'k5', label: { zh: '代码' }, type: 'text', rules: { pattern: '(' } }, 'rules.pattern'],
    ];
    for (const [body, path] of cases) {
      const res = await test.http().post('/api/v1/member-fields').set(as('root')).send(body);
      expect(res.status, `${path}: ${JSON.stringify(res.body)}`).to.equal(422);
      expect(res.body.error.details.fields.map((e: { path: string }) => e.path).join(' ')).to.include(path);
    }
    const dup = await test.http().post('/api/v1/member-fields').set(as('root')).send(SKIN);
    expect(dup.status).to.equal(409);
    expect(dup.body.error.code).to.equal('MEMBER_FIELD_KEY_TAKEN');
  });

  it('lets a cashier register a member with custom values, normalized and checked by type', async () => {
    const res = await register('cashier1', { skin_type: 'oily', vip_no: ' A001 ', allergies: ['milk', 'nuts'], height: '172.5' });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body.custom).to.deep.equal({ skin_type: 'oily', vip_no: 'A001', allergies: ['nuts', 'milk'], height: 172.5 });
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ skin_type: 'normal' }, 'custom.skin_type'],
      [{ height: 300 }, 'custom.height'],
      [{ height: '172.55' }, 'custom.height'],
      [{ allergies: 'nuts' }, 'custom.allergies'],
      [{ shoe_size: 42 }, 'custom.shoe_size'],
    ];
    for (const [custom, path] of bad) {
      const refused = await register('cashier1', custom);
      expect(refused.status, `${path}: ${JSON.stringify(refused.body)}`).to.equal(422);
      expect(refused.body.error.details.fields.map((e: { path: string }) => e.path)).to.deep.equal([path]);
    }
  });

  it('finds members by a searchable custom field, and refuses a field that is not searchable', async () => {
    const oily = await register('manager1', { skin_type: 'oily', allergies: ['nuts'] });
    const dry = await register('manager1', { skin_type: 'dry' });
    expect(await idsFor({ 'custom.skin_type': 'oily' })).to.include(oily.body.id).and.not.include(dry.body.id);
    expect(await idsFor({ 'custom.allergies': 'nuts' })).to.include(oily.body.id).and.not.include(dry.body.id);
    await define({ key: 'vip_card', label: { zh: '贵宾卡' }, type: 'switch', searchable: true });
    const holder = await register('manager1', { vip_card: true });
    expect(await idsFor({ 'custom.vip_card': 'true' })).to.deep.equal([holder.body.id]);
    expect(await idsFor({ 'custom.vip_card': 'false' })).to.deep.equal([]);
    const height = await test.http().get('/api/v1/members').query({ 'custom.height': '170' }).set(as('manager1'));
    expect(height.status).to.equal(400);
    expect(height.body.error.code).to.equal('FIELD_NOT_FILTERABLE');
    const unknownOption = await test.http().get('/api/v1/members').query({ 'custom.skin_type': 'wet' }).set(as('manager1'));
    expect(unknownOption.status).to.equal(422);
    const junk = await test.http().get('/api/v1/members').query({ colour: 'red' }).set(as('manager1'));
    expect(junk.status).to.equal(422);
  });

  it('keeps a unique field unique, also when two registrations race', async () => {
    const first = await register('manager1', { vip_no: 'V100' });
    expect(first.status).to.equal(201);
    const again = await register('manager1', { vip_no: 'V100' });
    expect(again.status).to.equal(409);
    expect(again.body.error).to.include({ code: 'MEMBER_CUSTOM_VALUE_TAKEN' });
    expect(again.body.error.details.field).to.equal('custom.vip_no');
    const race = await Promise.all([register('manager1', { vip_no: 'V200' }), register('manager1', { vip_no: 'V200' })]);
    expect(race.map((r) => r.status).sort()).to.deep.equal([201, 409]);
    const patch = await test.http().patch(`/api/v1/members/${first.body.id}`).set(as('manager1')).send({ custom: { vip_no: 'V200' } });
    expect(patch.status).to.equal(409);
    const own = await test.http().patch(`/api/v1/members/${first.body.id}`).set(as('manager1')).send({ custom: { vip_no: 'V100', height: 180 } });
    expect(own.status, 'keeping its own value is no conflict').to.equal(200);
  });

  it('retires an option: members who have it keep it, nobody new gets it', async () => {
    const member = await register('manager1', { skin_type: 'dry' });
    const res = await test.http().put('/api/v1/member-fields/skin_type').set(as('root')).send({
      ...SKIN,
      options: [
        { value: 'dry', label: { zh: '干性（停用）' }, retired: true },
        { value: 'oily', label: { zh: '油性' } },
        { value: 'mixed', label: { zh: '混合' } },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect((await register('manager1', { skin_type: 'dry' })).status).to.equal(422);
    expect((await register('manager1', { skin_type: 'mixed' })).status).to.equal(201);
    const kept = await test.http().get(`/api/v1/members/${member.body.id}`).set(as('manager1'));
    expect(kept.body.custom.skin_type).to.equal('dry');
    const untouched = await test.http().patch(`/api/v1/members/${member.body.id}`).set(as('manager1')).send({ custom: { skin_type: 'dry' }, nickname: 'n' });
    expect(untouched.status, JSON.stringify(untouched.body)).to.equal(200);

    const removed = await test.http().put('/api/v1/member-fields/skin_type').set(as('root')).send({ ...SKIN, options: [{ value: 'oily', label: { zh: '油性' } }] });
    expect(removed.status).to.equal(422);
    const retyped = await test.http().put('/api/v1/member-fields/skin_type').set(as('root')).send({ ...SKIN, type: 'radio' });
    expect(retyped.status).to.equal(422);
  });

  it('makes a field unique only when no two members share a value, and audits definition changes', async () => {
    await define({ key: 'locker', label: { zh: '储物柜' }, type: 'text' });
    const a = await register('manager1', { locker: 'L1' });
    await register('manager1', { locker: 'L1' });
    const refused = await test.http().put('/api/v1/member-fields/locker').set(as('root')).send({ key: 'locker', label: { zh: '储物柜' }, type: 'text', unique: true });
    expect(refused.status).to.equal(409);
    expect(refused.body.error.code).to.equal('MEMBER_FIELD_VALUES_NOT_UNIQUE');
    await test.http().patch(`/api/v1/members/${a.body.id}`).set(as('manager1')).send({ custom: { locker: 'L2' } });
    const made = await test.http().put('/api/v1/member-fields/locker').set(as('root')).send({ key: 'locker', label: { zh: '储物柜' }, type: 'text', unique: true });
    expect(made.status, JSON.stringify(made.body)).to.equal(200);
    expect((await register('manager1', { locker: 'L2' })).status).to.equal(409);
    const actions = (await test.ctx.models.audit.AuditLog.findAll({ where: { entityType: 'member_field', entityId: 'locker' } })).map((r) => r.action);
    expect(actions).to.deep.equal(['member_field.create', 'member_field.update']);
  });

  it('retires a field: it keeps its data, shows read-only, refuses writes, and can come back', async () => {
    await define({ key: 'old_code', label: { zh: '旧编码' }, type: 'text', searchable: true });
    const member = await register('manager1', { old_code: 'OC-1' });
    expect((await test.http().post('/api/v1/member-fields/old_code/retire').set(as('root'))).body.retired).to.equal(true);
    const shown = await test.http().get(`/api/v1/members/${member.body.id}`).set(as('manager1'));
    expect(shown.body.custom.old_code).to.equal('OC-1');
    const write = await test.http().patch(`/api/v1/members/${member.body.id}`).set(as('manager1')).send({ custom: { old_code: 'OC-2' } });
    expect(write.status).to.equal(422);
    expect(write.body.error.details.fields[0]).to.include({ path: 'custom.old_code', code: 'field_retired' });
    expect((await test.http().get('/api/v1/members').query({ 'custom.old_code': 'OC-1' }).set(as('manager1'))).status).to.equal(400);
    await test.http().post('/api/v1/member-fields/old_code/restore').set(as('root'));
    expect(await idsFor({ 'custom.old_code': 'OC-1' })).to.deep.equal([member.body.id]);
  });

  it('takes part in field policies: a hidden custom field is neither shown nor filterable', async () => {
    await test.ctx.models.access.Role.create({
      code: 'front_desk',
      nameZh: '前台',
      nameEn: 'Front desk',
      builtin: false,
      permissions: JSON.stringify(['member:member:view']),
      dataScope: 'all',
      fieldPolicy: JSON.stringify({ defaults: { member: 'read' }, fields: { 'member.custom.vip_no': 'hidden' } }),
    });
    await createStaff(test, { username: 'desk1', password: STAFF_PASSWORD, roles: ['front_desk'] });
    const token = await tokenFor(test, 'desk1', STAFF_PASSWORD);
    const member = await register('manager1', { vip_no: 'V900', skin_type: 'oily' });
    const shown = await test.http().get(`/api/v1/members/${member.body.id}`).set({ Authorization: `Bearer ${token}` });
    expect(shown.body.custom).to.deep.equal({ skin_type: 'oily' });
    const filter = await test.http().get('/api/v1/members').query({ 'custom.vip_no': 'V900' }).set({ Authorization: `Bearer ${token}` });
    expect(filter.status).to.equal(403);
    const form = await test.http().get('/api/v1/member-fields').set({ Authorization: `Bearer ${token}` });
    expect(form.body.custom.map((c: { key: string }) => c.key)).not.to.include('vip_no');
  });
});
