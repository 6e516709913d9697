import { expect } from 'chai';
import crypto from 'node:crypto';
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';
import { QueryTypes } from 'sequelize';
import { JOBS } from '../../server/src/jobs.js';
import { isWellFormedCode } from '../../server/src/modules/coupons/codes.js';
import expireJob from '../../server/src/modules/coupons/jobs/expire.job.js';
import { withTransaction } from '../../server/src/platform/db/transaction.js';
import type { Principal } from '../../server/src/platform/http/route.js';
import { AppError } from '../../server/src/platform/errors/app-error.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { seedAccessFixture, type AccessFixture } from '../support/access.js';
import { createCouponTemplate } from '../support/coupons.js';
import { TEST_DIALECT } from '../support/database.js';
import { createMember, phoneSequence } from '../support/members.js';

dayjs.extend(utc);
dayjs.extend(timezone);

type Body = Record<string, unknown>;
type Row = Record<string, string | number | null>;
interface CouponBody {
  id: number;
  code: string;
  status: string;
  usesTotal: number;
  usesLeft: number;
  validFrom: string;
  validUntil: string;
  member: Record<string, unknown> | null;
  rule: { zh: string; en: string };
}

/**
 * Issuing coupons: validity, limits that hold under concurrency, retries of one source,
 * voiding, expiry, who may do what, the search paths, and the public claim page.
 */
describe(`coupon issuing, voiding, expiry and self-claim (${TEST_DIALECT})`, function () {
  this.timeout(180_000);
  let test: TestApp;
  let f: AccessFixture;
  let root: Principal;
  const as = (name: keyof AccessFixture['tokens']) => ({ Authorization: `Bearer ${f.tokens[name]}` });
  const coupons = () => test.ctx.services.coupons;
  const tz = () => test.ctx.config.businessTimezone;
  const rows = (sql: string, replacements: unknown[] = []) => test.ctx.sequelize.query<Row>(sql, { replacements, type: QueryTypes.SELECT });
  const nextPhone = phoneSequence('1380066');

  const newMember = async (store: 's1' | 's2' = 's1', phone = nextPhone()) =>
    (await createMember(test, f.tokens.root, { name: '领券会员', phone, homeStoreId: f.stores[store].id })).id;
  const template = (body: Body = {}) => createCouponTemplate(test, f.tokens.root, { name: '满200减30', kind: 'full_reduction', amountOff: 3_000, threshold: 20_000, ...body });
  const issue = (templateId: number, body: Body, who: keyof AccessFixture['tokens'] = 'manager1') =>
    test.http().post(`/api/v1/coupon-templates/${templateId}/issue`).set(as(who)).send(body);
  const issued = async (templateId: number, body: Body, who: keyof AccessFixture['tokens'] = 'manager1') => {
    const res = await issue(templateId, body, who);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body.items as CouponBody[];
  };
  const issuedCount = async (templateId: number) => Number((await rows('SELECT issued_count FROM coupon_templates WHERE id = ?', [templateId]))[0].issued_count);
  const couponRows = (templateId: number) => rows('SELECT id, member_id, code, status FROM coupons WHERE template_id = ? ORDER BY id', [templateId]);
  /** Issue straight through the service (as the batch job, top-ups and tier benefits do), for concurrency. */
  const issueDirect = (templateId: number, memberId: number, options: { sourceRef?: string; count?: number; now?: Date } = {}) =>
    withTransaction(test.ctx.sequelize, async (transaction) => {
      const tpl = await coupons().templates.find(templateId, transaction);
      const member = await test.ctx.services.members.lockForBalance(root, memberId, transaction);
      return coupons().issuing.issueInTransaction(
        tpl,
        member,
        { count: options.count ?? 1, source: options.sourceRef ? 'tier' : 'manual', sourceRef: options.sourceRef ?? null, operatorId: null, storeId: null, now: options.now },
        transaction,
      );
    });
  const settle = async <T>(work: Array<Promise<T>>) => {
    const results = await Promise.allSettled(work);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => (r.reason instanceof AppError ? r.reason.code : String(r.reason)));
    return { ok: results.filter((r) => r.status === 'fulfilled').length, refused };
  };

  before(async () => {
    test = await startTestApp({ jobs: 'off' });
    f = await seedAccessFixture(test);
    root = (await test.ctx.services.auth.principalOf(f.users.root.id))!;
  });
  after(() => test.close());

  describe('issuing to one member', () => {
    it('issues with a relative validity that starts after the delay and ends at the end of the last business day', async () => {
      const { id } = await template({ validDays: 7, delayDays: 1, name: '次日生效券' });
      const memberId = await newMember();
      const [coupon] = await issued(id, { memberId, reason: '老客回馈' });
      const today = dayjs().tz(tz()).startOf('day');
      expect(coupon.validFrom).to.equal(today.add(1, 'day').toISOString());
      expect(coupon.validUntil).to.equal(today.add(8, 'day').subtract(1, 'millisecond').toISOString());
      expect(coupon).to.include({ status: 'available', usesTotal: 1, usesLeft: 1 });
      expect(coupon.rule).to.deep.equal({ zh: '满200减30', en: '¥30 off orders over ¥200' });
      expect(coupon.member).to.include({ id: memberId });
      expect(isWellFormedCode(coupon.code)).to.equal(true);
      const events = await rows('SELECT type, reason FROM coupon_events WHERE coupon_id = ?', [coupon.id]);
      expect(events).to.deep.equal([{ type: 'issued', reason: '老客回馈' }]);
      const audit = await test.ctx.models.audit.AuditLog.findOne({ where: { action: 'coupon.issue', entityId: String(memberId) } });
      expect(audit!.summary).to.match(/^向会员 \S+ 发放「次日生效券」1 张（手动发券）；原因：老客回馈$/);
      const [event] = await rows("SELECT payload FROM domain_events WHERE type = 'coupon.issued' AND member_id = ?", [memberId]);
      expect(JSON.parse(String(event.payload))).to.include({ templateId: id, count: 1, source: 'manual' });
    });

    it('issues a fixed template with its own dates, and a punch card with its uses', async () => {
      const fixed = await template({ name: '年卡', kind: 'punch', amountOff: null, threshold: null, itemSku: 'SPA', itemName: '护理', punchUses: 6, validityType: 'fixed', validDays: null, validFrom: '2026-01-01', validUntil: '2036-12-31' });
      const [coupon] = await issued(fixed.id, { memberId: await newMember(), count: 1 });
      expect(coupon.validFrom).to.equal(dayjs.tz('2026-01-01', tz()).toISOString());
      expect(coupon.validUntil).to.equal(dayjs.tz('2037-01-01', tz()).subtract(1, 'millisecond').toISOString());
      expect(coupon).to.include({ usesTotal: 6, usesLeft: 6 });
    });

    it('refuses a template that is not active, and a frozen member, writing nothing', async () => {
      const draft = await template({ status: 'draft' });
      const memberId = await newMember();
      const refused = await issue(draft.id, { memberId });
      expect(refused.status).to.equal(409);
      expect(refused.body.error.message).to.equal('券模板「满200减30」当前为草稿状态，不能发券；请先启用');
      const active = await template();
      await test.http().post(`/api/v1/members/${memberId}/freeze`).set(as('root')).send({ reason: '挂失' });
      expect((await issue(active.id, { memberId })).body.error.code).to.equal('MEMBER_FROZEN');
      expect(await issuedCount(active.id)).to.equal(0);
      expect(await couponRows(active.id)).to.deep.equal([]);
    });

    it('replays an issue with the same Idempotency-Key', async () => {
      const { id } = await template();
      const memberId = await newMember();
      const key = crypto.randomUUID();
      const first = await issue(id, { memberId, count: 2 }).set('Idempotency-Key', key);
      const again = await issue(id, { memberId, count: 2 }).set('Idempotency-Key', key);
      expect(first.status).to.equal(201);
      expect(again.headers['idempotent-replayed']).to.equal('true');
      expect(again.body.items.map((c: CouponBody) => c.code)).to.deep.equal(first.body.items.map((c: CouponBody) => c.code));
      expect(await issuedCount(id)).to.equal(2);
    });
  });

  describe('limits under concurrency', () => {
    it('issues exactly 100 coupons of a 100-stock template to 1,000 parallel issues', async () => {
      const { id } = await template({ stock: 100, name: '限量100' });
      const members = await Promise.all(Array.from({ length: 20 }, () => newMember()));
      const { ok, refused } = await settle(Array.from({ length: 1000 }, (_, i) => issueDirect(id, members[i % members.length])));
      expect(ok).to.equal(100);
      expect(new Set(refused)).to.deep.equal(new Set(['COUPON_OUT_OF_STOCK']));
      expect(await issuedCount(id)).to.equal(100);
      const all = await couponRows(id);
      expect(all).to.have.length(100);
      expect(new Set(all.map((c) => c.code)).size).to.equal(100);
      const out = await issue(id, { memberId: members[0] });
      expect(out.body.error.message).to.equal('券模板「限量100」库存不足：剩余 0 张，本次需要 1 张');
    });

    it('holds a per-member limit of 3 against 50 parallel issues to one member', async () => {
      const { id } = await template({ perMemberLimit: 3, name: '每人限3张' });
      const memberId = await newMember();
      const { ok, refused } = await settle(Array.from({ length: 50 }, () => issueDirect(id, memberId)));
      expect(ok).to.equal(3);
      expect(refused).to.have.length(47);
      expect(new Set(refused)).to.deep.equal(new Set(['COUPON_MEMBER_LIMIT']));
      expect(await issuedCount(id)).to.equal(3);
      const limit = await issue(id, { memberId });
      expect(limit.body.error).to.include({ code: 'COUPON_MEMBER_LIMIT', message: '「每人限3张」每位会员最多 3 张，该会员已有 3 张' });
      // Another member is not held by the first one's coupons.
      expect(await issued(id, { memberId: await newMember(), count: 3 })).to.have.length(3);
    });

    it('holds a per-day limit across members, gives the stock back, and starts again the next day', async () => {
      const { id } = await template({ perDayLimit: 2, stock: 10, name: '每日2张' });
      await issued(id, { memberId: await newMember() });
      await issued(id, { memberId: await newMember() });
      const third = await issue(id, { memberId: await newMember() });
      expect(third.status).to.equal(409);
      expect(third.body.error.code).to.equal('COUPON_DAILY_LIMIT');
      expect(await issuedCount(id)).to.equal(2);
      const tomorrow = dayjs().tz(tz()).add(1, 'day').toDate();
      await issueDirect(id, await newMember(), { now: tomorrow });
      expect(await issuedCount(id)).to.equal(3);
      const counts = await rows('SELECT day, issued FROM coupon_daily_counts WHERE template_id = ? ORDER BY day', [id]);
      expect(counts.map((c) => Number(c.issued))).to.deep.equal([2, 1]);
    });

    it('makes a retry of the same source and reference a no-op that returns the first coupons', async () => {
      const { id } = await template({ name: '生日券' });
      const memberId = await newMember();
      const first = await issueDirect(id, memberId, { sourceRef: 'birthday:2027', count: 2 });
      const again = await issueDirect(id, memberId, { sourceRef: 'birthday:2027', count: 2 });
      const parallel = await Promise.all([1, 2, 3].map(() => issueDirect(id, memberId, { sourceRef: 'birthday:2027', count: 2 })));
      expect(again.map((c) => c.id)).to.deep.equal(first.map((c) => c.id));
      for (const result of parallel) expect(result.map((c) => c.id)).to.deep.equal(first.map((c) => c.id));
      expect(await issuedCount(id)).to.equal(2);
      const next = await issueDirect(id, memberId, { sourceRef: 'birthday:2028' });
      expect(next).to.have.length(1);
      expect(await issuedCount(id)).to.equal(3);
    });
  });

  describe('voiding and expiry', () => {
    it('voids an available coupon with its reason and refuses a second void', async () => {
      const { id } = await template();
      const [coupon] = await issued(id, { memberId: await newMember() });
      expect((await test.http().post(`/api/v1/coupons/${coupon.id}/void`).set(as('cashier1')).send({ reason: '误发' })).status).to.equal(403);
      expect((await test.http().post(`/api/v1/coupons/${coupon.id}/void`).set(as('manager2')).send({ reason: '误发' })).status).to.equal(404);
      const voided = await test.http().post(`/api/v1/coupons/${coupon.id}/void`).set(as('manager1')).send({ reason: '误发' });
      expect(voided.status, JSON.stringify(voided.body)).to.equal(200);
      expect(voided.body).to.include({ status: 'voided', voidReason: '误发' });
      expect(voided.body.events.map((e: { type: string; reason: string | null }) => [e.type, e.reason])).to.deep.equal([
        ['issued', null],
        ['voided', '误发'],
      ]);
      const again = await test.http().post(`/api/v1/coupons/${coupon.id}/void`).set(as('manager1')).send({ reason: '再作废' });
      expect(again.status).to.equal(409);
      expect(again.body.error.message).to.equal(`优惠券 ${coupon.code} 当前为已作废状态，不能作废`);
      expect((await test.http().post(`/api/v1/coupons/${coupon.id}/void`).set(as('manager1')).send({ reason: ' ' })).status).to.equal(422);
    });

    it('refuses to void a used coupon', async () => {
      const { id } = await template();
      const [coupon] = await issued(id, { memberId: await newMember() });
      await test.ctx.sequelize.query("UPDATE coupons SET status = 'used', uses_left = 0 WHERE id = ?", { replacements: [coupon.id] });
      const res = await test.http().post(`/api/v1/coupons/${coupon.id}/void`).set(as('manager1')).send({ reason: '退款' });
      expect(res.body.error).to.include({ code: 'COUPON_VOID_REFUSED' });
      expect(res.body.error.details).to.deep.equal({ status: 'used' });
    });

    it('expires coupons past their last day in the daily job, with an event each', async () => {
      const { id } = await template({ name: '将过期' });
      const memberId = await newMember();
      const [stale, fresh] = await issued(id, { memberId, count: 2 });
      await test.ctx.sequelize.query('UPDATE coupons SET valid_until = ? WHERE id = ?', { replacements: [new Date(Date.now() - 60_000), stale.id] });
      const run = { progress: async () => undefined } as unknown as Parameters<typeof expireJob.handler>[0];
      const result = await expireJob.handler(run, test.ctx);
      expect(result!.summary!.expired).to.be.greaterThanOrEqual(1);
      expect(JOBS.map((job) => job.name)).to.include('coupons.expire');
      const states = await rows('SELECT id, status FROM coupons WHERE id IN (?, ?) ORDER BY id', [stale.id, fresh.id]);
      expect(states.map((s) => s.status)).to.deep.equal(['expired', 'available']);
      expect((await rows("SELECT type FROM coupon_events WHERE coupon_id = ? AND type = 'expired'", [stale.id])).length).to.equal(1);
      // A second run finds nothing left to expire.
      expect((await coupons().expiry.expireDue(new Date())).expired).to.equal(0);
      const voidExpired = await test.http().post(`/api/v1/coupons/${stale.id}/void`).set(as('manager1')).send({ reason: '清理' });
      expect(voidExpired.body.error.code).to.equal('COUPON_VOID_REFUSED');
    });
  });

  describe('access and reading', () => {
    it('lets only issuers issue, and only to members within their stores', async () => {
      const { id } = await template();
      const s2Member = await newMember('s2');
      expect((await issue(id, { memberId: s2Member }, 'cashier1')).status).to.equal(403);
      const outside = await issue(id, { memberId: s2Member }, 'manager1');
      expect(outside.status).to.equal(404);
      expect(outside.body.error.code).to.equal('MEMBER_NOT_FOUND');
      expect(await issued(id, { memberId: s2Member }, 'manager2')).to.have.length(1);
    });

    it('searches by exact code, member, template and status within the caller’s stores', async () => {
      const { id } = await template({ name: '查询券' });
      const mine = await newMember('s1');
      const theirs = await newMember('s2');
      const [a] = await issued(id, { memberId: mine });
      await issued(id, { memberId: theirs }, 'root');
      const byTemplate = await test.http().get(`/api/v1/coupons?templateId=${id}`).set(as('cashier1'));
      expect(byTemplate.status).to.equal(200);
      expect(byTemplate.body.items.map((c: CouponBody) => c.id)).to.deep.equal([a.id]);
      expect(Object.keys(byTemplate.body.items[0].member).sort()).to.include.members(['id', 'cardNo']);
      expect(byTemplate.body.items[0].member).to.not.have.property('phone');
      const all = await test.http().get(`/api/v1/coupons?templateId=${id}`).set(as('root'));
      expect(all.body.items).to.have.length(2);
      const byCode = await test.http().get(`/api/v1/coupons?code=${a.code.toLowerCase()}`).set(as('cashier1'));
      expect(byCode.body.items.map((c: CouponBody) => c.id)).to.deep.equal([a.id]);
      const typo = a.code.slice(0, 11) + (a.code[11] === 'A' ? 'B' : 'A');
      expect((await test.http().get(`/api/v1/coupons?code=${typo}`).set(as('root'))).body.items).to.deep.equal([]);
      const other = await test.http().get(`/api/v1/coupons?code=${a.code}`).set(as('cashier2'));
      expect(other.body.items).to.deep.equal([]);
      expect((await test.http().get(`/api/v1/coupons/${a.id}`).set(as('cashier2'))).status).to.equal(404);
      const detail = await test.http().get(`/api/v1/coupons/${a.id}`).set(as('auditor1'));
      expect(detail.body.events.map((e: { type: string }) => e.type)).to.deep.equal(['issued']);
      const byStatus = await test.http().get(`/api/v1/coupons?memberId=${mine}&status=used`).set(as('root'));
      expect(byStatus.body.items).to.deep.equal([]);
    });

    it("lists a member's coupons, available first, and only those usable in a store when asked", async () => {
      const memberId = await newMember();
      const anywhere = await template({ name: '通用券' });
      const onlyS2 = await template({ name: '天河专用', storeIds: [f.stores.s2.id] });
      await issued(anywhere.id, { memberId });
      await issued(onlyS2.id, { memberId });
      const [gone] = await issued(anywhere.id, { memberId });
      await test.http().post(`/api/v1/coupons/${gone.id}/void`).set(as('manager1')).send({ reason: '测试' });
      const list = await test.http().get(`/api/v1/members/${memberId}/coupons`).set(as('cashier1'));
      expect(list.body.items.map((c: CouponBody) => c.status)).to.deep.equal(['available', 'available', 'voided']);
      const inS1 = await test.http().get(`/api/v1/members/${memberId}/coupons?status=available&storeId=${f.stores.s1.id}`).set(as('cashier1'));
      expect(inS1.body.items.map((c: { templateName: string }) => c.templateName)).to.deep.equal(['通用券']);
      expect((await test.http().get(`/api/v1/members/${memberId}/coupons`).set(as('cashier2'))).status).to.equal(404);
      const overview = await test.http().get(`/api/v1/members/${memberId}/overview`).set(as('cashier1'));
      expect(overview.status, JSON.stringify(overview.body)).to.equal(200);
      expect(overview.body.coupons).to.have.length(2);
    });

    it('reads the redemption log of the caller’s stores only', async () => {
      const { id } = await template({ name: '核销日志' });
      const memberId = await newMember();
      const [coupon] = await issued(id, { memberId });
      const order = await test.http().post('/api/v1/orders').set(as('cashier1')).set('Idempotency-Key', crypto.randomUUID()).send({
        memberId,
        storeId: f.stores.s1.id,
        items: [{ sku: 'TEA', name: '花茶', quantity: 1, unitPrice: 5_000 }],
        payments: [{ method: 'cash', amount: 5_000 }],
      });
      expect(order.status, JSON.stringify(order.body)).to.equal(201);
      await coupons().models.CouponRedemption.create({ couponId: coupon.id, orderId: order.body.id, memberId, storeId: f.stores.s1.id, lineNo: 1, uses: 1, amount: 500, createdAt: new Date() });
      const log = await test.http().get(`/api/v1/coupon-redemptions?templateId=${id}`).set(as('manager1'));
      expect(log.status, JSON.stringify(log.body)).to.equal(200);
      expect(log.body.items).to.have.length(1);
      expect(log.body.items[0]).to.include({ code: coupon.code, templateName: '核销日志', orderNo: order.body.orderNo, amount: 500, status: 'applied' });
      expect((await test.http().get(`/api/v1/coupon-redemptions?templateId=${id}`).set(as('manager2'))).body.items).to.deep.equal([]);
    });
  });

  describe('self-claim through the public page', () => {
    class CapturingSms {
      readonly name = 'capture';
      sent: Array<{ phone: string; text: string }> = [];
      async send(phone: string, text: string) {
        this.sent.push({ phone, text });
      }
      codeFor(phone: string): string {
        const last = this.sent.filter((m) => m.phone === phone).at(-1);
        expect(last, `a code sent to ${phone}`).to.not.equal(undefined);
        return /验证码 (\d{6})/.exec(last!.text)![1];
      }
    }
    const sms = new CapturingSms();
    let ip = 0;
    const fromIp = () => `10.9.${Math.floor(++ip / 250)}.${ip % 250}`;
    const api = (claimCode: string) => `/api/v1/public/coupons/${claimCode}`;
    before(() => {
      coupons().claims['deps'].sms = sms;
    });

    it('shows the page, sends a code, and claims one coupon for the member with that phone', async () => {
      const { claimCode } = await template({ name: '扫码领券', claimCode: 'scan-2030', claimPerMember: 1, stock: 50 });
      const phone = nextPhone();
      const memberId = await newMember('s2', phone);
      const page = await test.http().get(api(claimCode!));
      expect(page.status).to.equal(200);
      expect(page.body).to.include({ name: '扫码领券', remaining: 50, available: true });
      const html = await test.http().get(`/c/${claimCode}`);
      expect(html.status).to.equal(200);
      expect(html.text).to.include('满200减30').and.include('/c/assets/claim.js');
      expect((await test.http().get('/c/no-such-page')).status).to.equal(404);

      const sent = await test.http().post(`${api(claimCode!)}/sms-code`).set('X-Forwarded-For', fromIp()).send({ phone });
      expect(sent.status, JSON.stringify(sent.body)).to.equal(202);
      expect(sms.sent.at(-1)!.text).to.include('您正在领取「扫码领券」优惠券');
      const code = sms.codeFor(phone);
      const wrong = await test.http().post(`${api(claimCode!)}/claim`).send({ phone, smsCode: code === '000000' ? '111111' : '000000' });
      expect(wrong.status).to.equal(400);
      expect(wrong.body.error.code).to.equal('REGISTRATION_CODE_WRONG');
      const claimed = await test.http().post(`${api(claimCode!)}/claim`).send({ phone, smsCode: code });
      expect(claimed.status, JSON.stringify(claimed.body)).to.equal(201);
      expect(isWellFormedCode(claimed.body.code)).to.equal(true);
      const [row] = await rows('SELECT member_id, source, store_id FROM coupons WHERE code = ?', [claimed.body.code]);
      expect(row).to.deep.equal({ member_id: memberId, source: 'claim', store_id: f.stores.s2.id });
      const audit = await test.ctx.models.audit.AuditLog.findOne({ where: { action: 'coupon.issue', entityId: String(memberId) } });
      expect(audit!.actorName).to.equal('self-claim via scan-2030');
      // The code works once; a second claim hits the per-member claim limit.
      expect((await test.http().post(`${api(claimCode!)}/claim`).send({ phone, smsCode: code })).body.error.code).to.equal('REGISTRATION_CODE_EXPIRED');
      await test.ctx.sequelize.query('UPDATE coupon_claim_codes SET created_at = ?', { replacements: [new Date(Date.now() - 120_000)] });
      await test.http().post(`${api(claimCode!)}/sms-code`).set('X-Forwarded-For', fromIp()).send({ phone });
      const second = await test.http().post(`${api(claimCode!)}/claim`).send({ phone, smsCode: sms.codeFor(phone) });
      expect(second.status).to.equal(409);
      expect(second.body.error.code).to.equal('COUPON_MEMBER_LIMIT');
      const qr = await test.http().get(`/api/v1/coupon-templates/${(await rows('SELECT id FROM coupon_templates WHERE claim_code = ?', [claimCode]))[0].id}/claim-qr?size=256`).set(as('manager1'));
      expect(qr.status).to.equal(200);
      expect(qr.headers['content-type']).to.equal('image/png');
    });

    it('answers a phone that is not a member with a hint to register, and keeps limits on codes', async () => {
      const { claimCode } = await template({ name: '非会员', claimCode: 'nonmember-2030' });
      const phone = nextPhone();
      await test.http().post(`${api(claimCode!)}/sms-code`).set('X-Forwarded-For', fromIp()).send({ phone });
      const res = await test.http().post(`${api(claimCode!)}/claim`).send({ phone, smsCode: sms.codeFor(phone) });
      expect(res.status).to.equal(404);
      expect(res.body.error).to.include({ code: 'COUPON_CLAIM_NOT_MEMBER', message: '该手机号还不是会员，请先注册会员再领券' });
      const soon = await test.http().post(`${api(claimCode!)}/sms-code`).set('X-Forwarded-For', fromIp()).send({ phone });
      expect(soon.status).to.equal(429);
      expect(soon.body.error.code).to.equal('REGISTRATION_SMS_TOO_SOON');
      expect(soon.headers['retry-after']).to.match(/^\d+$/);
    });

    it('hides paused templates and refuses codes for an empty one', async () => {
      const paused = await template({ name: '暂停领券', claimCode: 'paused-2030' });
      await test.http().patch(`/api/v1/coupon-templates/${paused.id}`).set(as('root')).send({ status: 'paused' });
      expect((await test.http().get(api('paused-2030'))).body.error.code).to.equal('COUPON_CLAIM_NOT_FOUND');
      const empty = await template({ name: '已领完', claimCode: 'empty-2030', stock: 1 });
      await issued(empty.id, { memberId: await newMember() });
      expect((await test.http().get(api('empty-2030'))).body).to.include({ remaining: 0, available: false });
      const sent = await test.http().post(`${api('empty-2030')}/sms-code`).set('X-Forwarded-For', fromIp()).send({ phone: nextPhone() });
      expect(sent.body.error.code).to.equal('COUPON_OUT_OF_STOCK');
    });
  });
});
