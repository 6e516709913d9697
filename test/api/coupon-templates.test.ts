import { expect } from 'chai';
import { startTestApp, type TestApp } from '../support/app.js';
import { seedAccessFixture, type AccessFixture } from '../support/access.js';
import { TEST_DIALECT } from '../support/database.js';

type Body = Record<string, unknown>;

const FULL_REDUCTION: Body = { name: '满200减30', kind: 'full_reduction', amountOff: 3_000, threshold: 20_000, validityType: 'relative', validDays: 30 };

describe(`coupon templates: kinds, validity, status, locked rules (${TEST_DIALECT})`, function () {
  this.timeout(60_000);
  let test: TestApp;
  let f: AccessFixture;
  let phoneSeq = 0;
  const as = (name: keyof AccessFixture['tokens']) => ({ Authorization: `Bearer ${f.tokens[name]}` });
  const create = (body: Body, who: keyof AccessFixture['tokens'] = 'root') => test.http().post('/api/v1/coupon-templates').set(as(who)).send(body);
  const created = async (body: Body) => {
    const res = await create(body);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body as Body & { id: number; rule: { zh: string; en: string }; status: string };
  };
  const patch = (id: number, body: Body, who: keyof AccessFixture['tokens'] = 'root') => test.http().patch(`/api/v1/coupon-templates/${id}`).set(as(who)).send(body);
  const fieldsOf = (res: { body: { error: { details: { fields: Array<{ path: string; code: string }> } } } }) => res.body.error.details.fields.map((field) => `${field.path}:${field.code}`);

  before(async () => {
    test = await startTestApp({ jobs: 'off' });
    f = await seedAccessFixture(test);
  });
  after(() => test.close());

  it('creates each kind with its one-line rule in both languages', async () => {
    const cases: Array<[Body, { zh: string; en: string }]> = [
      [FULL_REDUCTION, { zh: '满200减30', en: '¥30 off orders over ¥200' }],
      [{ name: '无门槛券', kind: 'voucher', amountOff: 1_050, validityType: 'relative', validDays: 7 }, { zh: '无门槛减10.5元', en: '¥10.5 off' }],
      [
        { name: '85折', kind: 'discount', discountRate: 85, maxOff: 5_000, validityType: 'relative', validDays: 7 },
        { zh: '8.5折，最多减¥50', en: '15% off, up to ¥50' },
      ],
      [{ name: '满100打8折', kind: 'discount', discountRate: 80, threshold: 10_000, validityType: 'relative', validDays: 7 }, { zh: '满100享8折', en: '20% off on orders over ¥100' }],
      [{ name: '咖啡兑换', kind: 'exchange', itemSku: 'COF-01', itemName: '美式咖啡', validityType: 'relative', validDays: 7 }, { zh: '兑换：美式咖啡', en: 'Free: 美式咖啡' }],
      [
        { name: '洗剪吹次卡', kind: 'punch', itemSku: 'SVC-HAIR', itemName: '洗剪吹', punchUses: 10, validityType: 'fixed', validFrom: '2030-01-01', validUntil: '2030-12-31' },
        { zh: '次卡：洗剪吹 10 次', en: 'Punch card: 10 × 洗剪吹' },
      ],
    ];
    for (const [body, rule] of cases) {
      const template = await created(body);
      expect(template.rule, String(body.name)).to.deep.equal(rule);
      expect(template.status).to.equal('draft');
      expect(template.locked).to.equal(false);
    }
    const fixed = (await test.http().get('/api/v1/coupon-templates?kind=punch').set(as('root'))).body.items[0];
    expect(fixed).to.include({ validFrom: '2030-01-01', validUntil: '2030-12-31', punchUses: 10 });
  });

  it('names every missing or foreign field of a kind and of the validity, writing nothing', async () => {
    const before = await test.ctx.services.coupons.models.CouponTemplate.count();
    const missing = await create({ name: '坏满减', kind: 'full_reduction', amountOff: 3_000, validityType: 'relative', validDays: 7 });
    expect(missing.status).to.equal(422);
    expect(fieldsOf(missing)).to.deep.equal(['threshold:required']);
    expect(missing.body.error.details.fields[0].message).to.equal('满减券须填写使用门槛');

    const foreign = await create({ name: '坏代金券', kind: 'voucher', amountOff: 500, discountRate: 90, itemName: '咖啡', validityType: 'relative', validDays: 7 });
    expect(fieldsOf(foreign)).to.deep.equal(['discountRate:not_for_kind', 'itemName:not_for_kind']);

    expect(fieldsOf(await create({ name: '坏折扣', kind: 'discount', validityType: 'relative', validDays: 7 }))).to.deep.equal(['discountRate:required']);
    expect(fieldsOf(await create({ name: '坏兑换', kind: 'exchange', validityType: 'relative', validDays: 7 }))).to.deep.equal(['itemSku:required', 'itemName:required']);
    expect(fieldsOf(await create({ name: '坏次卡', kind: 'punch', itemSku: 'S', itemName: '护理', validityType: 'relative', validDays: 7 }))).to.deep.equal(['punchUses:required']);
    expect(fieldsOf(await create({ ...FULL_REDUCTION, amountOff: 30_000 }))).to.deep.equal(['amountOff:above_threshold']);

    expect(fieldsOf(await create({ ...FULL_REDUCTION, validityType: 'fixed', validDays: null }))).to.deep.equal(['validFrom:required', 'validUntil:required']);
    expect(fieldsOf(await create({ ...FULL_REDUCTION, validityType: 'fixed', validDays: null, validFrom: '2030-02-01', validUntil: '2030-01-01' }))).to.deep.equal([
      'validUntil:before_start',
    ]);
    expect(fieldsOf(await create({ ...FULL_REDUCTION, validFrom: '2030-01-01' }))).to.deep.equal(['validFrom:not_for_validity']);
    expect(fieldsOf(await create({ ...FULL_REDUCTION, validDays: undefined }))).to.deep.equal(['validDays:required']);
    expect(fieldsOf(await create({ ...FULL_REDUCTION, storeIds: [f.stores.s1.id, 999_999] }))).to.deep.equal(['storeIds.1:not_found']);
    expect((await create({ ...FULL_REDUCTION, discountRate: 100 })).status).to.equal(422);
    expect(await test.ctx.services.coupons.models.CouponTemplate.count()).to.equal(before);
  });

  it('answers in English when asked', async () => {
    const res = await create({ name: 'bad', kind: 'punch', itemSku: 'S', itemName: 'Care', validityType: 'relative', validDays: 7 }).set('Accept-Language', 'en');
    expect(res.body.error.details.fields[0].message).to.equal('A punch card coupon needs the number of uses');
  });

  it('moves status draft -> active <-> paused -> ended and refuses other moves', async () => {
    const template = await created({ ...FULL_REDUCTION, name: '状态流转' });
    const move = async (status: string, expected: number) => {
      const res = await patch(template.id, { status });
      expect(res.status, `${status}: ${JSON.stringify(res.body)}`).to.equal(expected);
      return res;
    };
    expect((await move('paused', 409)).body.error.code).to.equal('COUPON_TEMPLATE_BAD_TRANSITION');
    await move('active', 200);
    const back = await move('draft', 409);
    expect(back.body.error.message).to.equal('券模板「状态流转」不能从进行中改为草稿');
    await move('paused', 200);
    await move('active', 200);
    await move('ended', 200);
    await move('active', 409);
    const audit = await test.ctx.models.audit.AuditLog.findAll({ where: { action: 'coupon.template.update', entityId: String(template.id) }, order: [['id', 'ASC']] });
    expect(audit.map((record) => record.summary)).to.deep.equal([
      '修改券模板「状态流转」（草稿 → 进行中）：status',
      '修改券模板「状态流转」（进行中 → 已暂停）：status',
      '修改券模板「状态流转」（已暂停 → 进行中）：status',
      '修改券模板「状态流转」（进行中 → 已结束）：status',
    ]);
    const created_ = await test.ctx.models.audit.AuditLog.findOne({ where: { action: 'coupon.template.create', entityId: String(template.id) } });
    expect(created_!.summary).to.equal('新建满减券模板「状态流转」（满200减30，草稿）');
  });

  it('refuses to activate a fixed template whose last day has passed', async () => {
    const res = await create({ ...FULL_REDUCTION, status: 'active', validityType: 'fixed', validDays: null, validFrom: '2020-01-01', validUntil: '2020-01-31' });
    expect(res.status).to.equal(409);
    expect(res.body.error.code).to.equal('COUPON_TEMPLATE_EXPIRED');
  });

  it('locks the rules of a template that issued coupons, but lets names, stock and limits change', async () => {
    const template = await created({ ...FULL_REDUCTION, name: '锁定规则', status: 'active', stock: 10 });
    // Before any issue, rules still change.
    expect((await patch(template.id, { amountOff: 2_000 })).status).to.equal(200);
    const memberRes = await test.http().post('/api/v1/members').set(as('manager1')).send({ name: '锁定会员', phone: `1390077${String(++phoneSeq).padStart(4, '0')}` });
    const issued = await test.http().post(`/api/v1/coupon-templates/${template.id}/issue`).set(as('manager1')).send({ memberId: memberRes.body.id, count: 2 });
    expect(issued.status, JSON.stringify(issued.body)).to.equal(201);

    const locked = await patch(template.id, { amountOff: 5_000, threshold: 30_000, name: '改名' });
    expect(locked.status).to.equal(409);
    expect(locked.body.error.code).to.equal('COUPON_TEMPLATE_LOCKED');
    expect(locked.body.error.details.fields).to.deep.equal(['amountOff', 'threshold']);
    const fine = await patch(template.id, { name: '锁定规则·加量', description: '加库存', stock: 50, perMemberLimit: 2, perDayLimit: 100, status: 'paused' });
    expect(fine.status, JSON.stringify(fine.body)).to.equal(200);
    expect(fine.body).to.include({ name: '锁定规则·加量', stock: 50, remaining: 48, issuedCount: 2, locked: true, status: 'paused' });
    // The same value again is no change.
    expect((await patch(template.id, { amountOff: 2_000 })).status).to.equal(200);
    const below = await patch(template.id, { stock: 1 });
    expect(below.status).to.equal(422);
    expect(fieldsOf(below)).to.deep.equal(['stock:below_issued']);
  });

  it('keeps claim codes unique and lower-case', async () => {
    const first = await created({ ...FULL_REDUCTION, name: '领券一', claimCode: 'Spring-2030' });
    expect(first.claimCode).to.equal('spring-2030');
    expect(first.claimUrl).to.match(/\/c\/spring-2030$/);
    const taken = await create({ ...FULL_REDUCTION, name: '领券二', claimCode: 'spring-2030' });
    expect(taken.status).to.equal(409);
    expect(taken.body.error.code).to.equal('COUPON_CLAIM_CODE_TAKEN');
    expect((await create({ ...FULL_REDUCTION, claimCode: 'a b' })).status).to.equal(422);
  });

  it('lists with filters and keyset paging', async () => {
    await created({ ...FULL_REDUCTION, name: '列表·进行中', status: 'active' });
    const all = await test.http().get('/api/v1/coupon-templates?limit=200').set(as('cashier1'));
    expect(all.status).to.equal(200);
    const ids = all.body.items.map((t: { id: number }) => t.id);
    expect(ids).to.deep.equal([...ids].sort((a: number, b: number) => b - a));
    const pages: number[] = [];
    let cursor: string | null = null;
    do {
      const res = await test.http().get(`/api/v1/coupon-templates?limit=3${cursor ? `&cursor=${cursor}` : ''}`).set(as('root'));
      const body = res.body as { items: Array<{ id: number }>; nextCursor: string | null };
      pages.push(...body.items.map((t) => t.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(pages).to.deep.equal(ids);
    const active = await test.http().get('/api/v1/coupon-templates?status=active&kind=full_reduction').set(as('root'));
    expect(active.body.items.length).to.be.greaterThan(0);
    expect(active.body.items.every((t: Body) => t.status === 'active' && t.kind === 'full_reduction')).to.equal(true);
    const keyword = await test.http().get(`/api/v1/coupon-templates?keyword=${encodeURIComponent('锁定')}`).set(as('root'));
    expect(keyword.body.items.map((t: Body) => t.name)).to.deep.equal(['锁定规则·加量']);
    const one = await test.http().get(`/api/v1/coupon-templates/${ids[0]}`).set(as('auditor1'));
    expect(one.status).to.equal(200);
    expect((await test.http().get('/api/v1/coupon-templates/999999').set(as('root'))).body.error.code).to.equal('COUPON_TEMPLATE_NOT_FOUND');
  });

  it('lets only template managers create and change templates', async () => {
    expect((await create(FULL_REDUCTION, 'cashier1')).status).to.equal(403);
    expect((await create(FULL_REDUCTION, 'manager1')).status).to.equal(403);
    const template = await created({ ...FULL_REDUCTION, name: '权限' });
    expect((await patch(template.id, { name: '改' }, 'manager1')).status).to.equal(403);
    expect((await test.http().get('/api/v1/coupon-templates').set(as('itops1'))).status).to.equal(403);
  });
});
