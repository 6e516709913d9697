import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { isValidCardNumber } from '../../server/src/platform/ids/card-number.js';
import { qrSvg } from '../../server/src/modules/registration/qr.js';
import type { SmsProvider } from '../../server/src/modules/registration/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { seedAccessFixture, type AccessFixture } from '../support/access.js';
import { TEST_DIALECT } from '../support/database.js';
import { freshIp } from '../support/users.js';

/** Keeps what would have gone out by SMS; `failNext` makes the gateway refuse once. */
class CapturingSms implements SmsProvider {
  readonly name = 'capture';
  sent: Array<{ phone: string; text: string }> = [];
  failNext = false;
  async send(phone: string, text: string) {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('gateway down');
    }
    this.sent.push({ phone, text });
  }
  codeFor(phone: string): string {
    const last = this.sent.filter((m) => m.phone === phone).at(-1);
    expect(last, `a code sent to ${phone}`).to.not.equal(undefined);
    return /验证码 (\d{6})/.exec(last!.text)![1];
  }
}

const NOTICE = '我们收集您的手机号、姓名，仅用于会员服务。';

describe(`self-registration: channels, SMS codes, the public page (${TEST_DIALECT})`, function () {
  this.timeout(60_000);
  let test: TestApp;
  let f: AccessFixture;
  const sms = new CapturingSms();
  let seq = 0;
  const nextPhone = () => `1370046${String(++seq).padStart(4, '0')}`;
  const as = (name: keyof AccessFixture['tokens']) => ({ Authorization: `Bearer ${f.tokens[name]}` });
  const registration = () => test.ctx.services.registration;
  const codeRows = () => test.ctx.sequelize.models.RegistrationCode;
  const createChannel = async (who: keyof AccessFixture['tokens'], body: Record<string, unknown>) => {
    const res = await test.http().post('/api/v1/registration-channels').set(as(who)).send({ privacyNotice: NOTICE, storeId: f.stores.s1.id, ...body });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body as { id: number; code: string; url: string };
  };
  const sendCode = (code: string, phone: string, ip = freshIp()) =>
    test.http().post(`/api/v1/public/registration/${code}/sms-code`).set('X-Forwarded-For', ip).send({ phone });
  const submit = (code: string, body: Record<string, unknown>) =>
    test.http().post(`/api/v1/public/registration/${code}/submit`).send({ privacyAccepted: true, consent: { marketing: false }, ...body });
  /** Moves every code `ms` into the past, as if sent that much earlier (the limits count by age). */
  const age = async (ms: number) => {
    for (const row of await codeRows().findAll()) await row.update({ createdAt: new Date((row.get('createdAt') as Date).getTime() - ms) });
  };

  before(async () => {
    test = await startTestApp({ jobs: 'off' });
    f = await seedAccessFixture(test);
    registration()['deps'].sms = sms;
    const define = async (body: Record<string, unknown>) => {
      const res = await test.http().post('/api/v1/member-fields').set(as('root')).send(body);
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
    };
    await define({
      key: 'skin_type',
      label: { zh: '肤质', en: 'Skin type' },
      type: 'select',
      options: [
        { value: 'dry', label: { zh: '干性' } },
        { value: 'oily', label: { zh: '油性' } },
      ],
      onRegistration: true,
    });
    await define({ key: 'vip_no', label: { zh: '贵宾编号' }, type: 'text' });
    await define({ key: 'referrer_member', label: { zh: '推荐会员' }, type: 'member_ref', onRegistration: true });
  });
  after(() => test.close());

  describe('channels in the console', () => {
    it('lets a manager create a channel for their store, keeps the code lower-case, and audits it', async () => {
      const channel = await createChannel('manager1', { code: 'Poster-A', name: '地铁海报', fields: ['name', 'gender'] });
      expect(channel).to.include({ code: 'poster-a', name: '地铁海报', storeId: f.stores.s1.id, status: 'active', privacyNotice: NOTICE });
      expect(channel.url).to.match(/^http:\/\/127\.0\.0\.1:\d+\/r\/poster-a$/);
      const record = await test.ctx.models.audit.AuditLog.findOne({ where: { action: 'registration_channel.create', entityId: String(channel.id) } });
      expect(record).to.include({ storeId: f.stores.s1.id, actorName: 'manager1', summary: '新建注册渠道 poster-a 地铁海报' });
    });

    it("keeps a manager to their stores: another store's channel reads as missing, and they cannot create one there", async () => {
      const other = await createChannel('root', { code: 'tianhe-counter', name: '天河前台', storeId: f.stores.s2.id });
      const byId = await test.http().get(`/api/v1/registration-channels/${other.id}`).set(as('manager1'));
      expect(byId.status).to.equal(404);
      expect(byId.body.error.code).to.equal('REGISTRATION_CHANNEL_NOT_FOUND');
      const list = await test.http().get('/api/v1/registration-channels').set(as('manager1'));
      expect(list.body.items.map((c: { code: string }) => c.code)).to.include('poster-a').and.not.include('tianhe-counter');
      expect((await test.http().patch(`/api/v1/registration-channels/${other.id}`).set(as('manager1')).send({ name: 'x' })).status).to.equal(404);
      expect((await test.http().get(`/api/v1/registration-channels/${other.id}/qr.png`).set(as('manager1'))).status).to.equal(404);
      const elsewhere = await test.http().post('/api/v1/registration-channels').set(as('manager1')).send({ code: 'x1', name: 'x', storeId: f.stores.s2.id, privacyNotice: NOTICE });
      expect(elsewhere.status).to.equal(422);
      expect(elsewhere.body.error.details.fields[0].path).to.equal('storeId');
      expect((await test.http().get('/api/v1/registration-channels').set(as('cashier1'))).status).to.equal(403);
      const all = await test.http().get('/api/v1/registration-channels').query({ storeId: f.stores.s2.id }).set(as('root'));
      expect(all.body.items.map((c: { code: string }) => c.code)).to.deep.equal(['tianhe-counter']);
    });

    it('refuses a code in use (in any case) and bad input on its field', async () => {
      const dup = await test.http().post('/api/v1/registration-channels').set(as('manager1')).send({ code: 'POSTER-A', name: 'x', storeId: f.stores.s1.id, privacyNotice: NOTICE });
      expect(dup.status).to.equal(409);
      expect(dup.body.error.code).to.equal('REGISTRATION_CHANNEL_CODE_TAKEN');
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ code: 'a b', name: 'x' }, 'code'],
        [{ code: 'ok1', name: 'x', fields: ['phone'] }, 'fields.0'],
        [{ code: 'ok2', name: 'x', fields: ['name', 'name'] }, 'fields'],
        [{ code: 'ok3', name: 'x', privacyNotice: ' ' }, 'privacyNotice'],
      ];
      for (const [body, path] of cases) {
        const res = await test.http().post('/api/v1/registration-channels').set(as('manager1')).send({ storeId: f.stores.s1.id, privacyNotice: NOTICE, ...body });
        expect(res.status, `${path}: ${JSON.stringify(res.body)}`).to.equal(422);
        expect(res.body.error.details.fields.map((e: { path: string }) => e.path)).to.include(path);
      }
    });

    it('changes a channel, audits what changed, and never its code', async () => {
      const channel = await createChannel('manager1', { code: 'counter', name: '前台' });
      const res = await test.http().patch(`/api/v1/registration-channels/${channel.id}`).set(as('manager1')).send({ name: '徐汇前台', fields: ['birthday', 'region'] });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body).to.include({ name: '徐汇前台', code: 'counter' });
      expect(res.body.fields).to.deep.equal(['birthday', 'region']);
      const record = await test.ctx.models.audit.AuditLog.findOne({ where: { action: 'registration_channel.update', entityId: String(channel.id) } });
      expect(JSON.parse(record!.diff!).map((d: { field: string }) => d.field)).to.deep.equal(['name', 'fields']);
      expect((await test.http().patch(`/api/v1/registration-channels/${channel.id}`).set(as('manager1')).send({ code: 'other' })).status).to.equal(422);
    });

    it('draws the QR code of the public page as PNG and SVG, behind the proxy too', async () => {
      const [channel] = (await test.http().get('/api/v1/registration-channels').query({ keyword: 'poster' }).set(as('manager1'))).body.items;
      const png = await test.http().get(`/api/v1/registration-channels/${channel.id}/qr.png`).query({ size: 256, download: '1' }).set(as('manager1')).buffer(true);
      expect(png.status).to.equal(200);
      expect(png.headers['content-type']).to.equal('image/png');
      expect(png.headers['content-disposition']).to.include('channel-poster-a.png');
      expect((png.body as Buffer).subarray(0, 8).toString('hex')).to.equal('89504e470d0a1a0a');
      expect((png.body as Buffer).readUInt32BE(16), 'width').to.equal(256);

      // Each supertest request listens on a port of its own: pin the host the URL is taken from.
      const svg = await test.http().get(`/api/v1/registration-channels/${channel.id}/qr.svg`).set(as('manager1')).set('Host', 'reg.test').buffer(true);
      expect(svg.headers['content-type']).to.match(/^image\/svg\+xml/);
      const text = Buffer.isBuffer(svg.body) ? svg.body.toString('utf8') : svg.text;
      expect(text).to.match(/^<svg /);
      expect(text, 'encodes the page URL').to.equal(await qrSvg('http://reg.test/r/poster-a'));
      expect(text).not.to.equal(await qrSvg('http://reg.test/r/poster-b'));

      const proxied = await test.http().get(`/api/v1/registration-channels/${channel.id}`).set(as('manager1')).set('X-Forwarded-Proto', 'https').set('X-Forwarded-Host', 'vip.example.com');
      expect(proxied.body.url).to.equal('https://vip.example.com/r/poster-a');
    });
  });

  describe('the public form', () => {
    it("shows the store, the texts, the channel's fields and the registration custom fields, nothing else", async () => {
      const res = await test.http().get('/api/v1/public/registration/Poster-A');
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body).to.deep.include({ channel: { code: 'poster-a', name: '地铁海报' }, store: { name: '徐汇店' }, privacyNotice: NOTICE, codeLength: 6, resendSeconds: 60 });
      expect(res.body.consentText).to.include('营销短信');
      expect(res.body.fields.map((field: { key: string }) => field.key)).to.deep.equal(['name', 'gender', 'custom.skin_type']);
      const skin = res.body.fields[2];
      expect(skin).to.deep.include({ type: 'select', required: false, label: { zh: '肤质', en: 'Skin type' } });
      expect(skin.options.map((o: { value: string }) => o.value)).to.deep.equal(['dry', 'oily']);
      expect(res.body.regions).to.deep.equal([]);

      const withRegion = await test.http().get('/api/v1/public/registration/counter');
      expect(withRegion.body.fields.map((field: { key: string }) => field.key)).to.deep.equal(['birthday', 'region', 'custom.skin_type']);
      const guangdong = withRegion.body.regions.find((r: { value: string }) => r.value === '44');
      expect(guangdong.label).to.equal('广东省');
      expect(guangdong.children.map((c: { value: string }) => c.value)).to.include('4403');
    });

    it('answers a paused, unknown or closed-store channel with one 404', async () => {
      const paused = await createChannel('manager1', { code: 'paused-one', name: '停用', status: 'paused' });
      for (const code of [paused.code, 'no-such-channel']) {
        const res = await test.http().get(`/api/v1/public/registration/${code}`).set('Accept-Language', 'en');
        expect(res.status).to.equal(404);
        expect(res.body.error).to.include({ code: 'REGISTRATION_PAGE_NOT_FOUND' });
        expect(res.body.error.message).to.match(/paused/);
      }
      expect((await sendCode(paused.code, nextPhone())).status).to.equal(404);
      await test.http().patch(`/api/v1/stores/${f.stores.s2.id}`).set(as('root')).send({ status: 'closed' });
      try {
        expect((await test.http().get('/api/v1/public/registration/tianhe-counter')).status).to.equal(404);
      } finally {
        await test.http().patch(`/api/v1/stores/${f.stores.s2.id}`).set(as('root')).send({ status: 'open' });
      }
    });
  });

  describe('SMS codes', () => {
    it('sends a 6-digit code and keeps neither the phone nor the code in clear', async () => {
      const phone = nextPhone();
      const res = await sendCode('poster-a', phone);
      expect(res.status, JSON.stringify(res.body)).to.equal(202);
      expect(res.body).to.deep.equal({ sentTo: `${phone.slice(0, 3)}****${phone.slice(7)}`, expiresInSeconds: 600, resendInSeconds: 60 });
      const code = sms.codeFor(phone);
      expect(sms.sent.at(-1)!.text).to.include('徐汇店');
      const rows = await test.ctx.sequelize.query('SELECT * FROM registration_codes', { type: QueryTypes.SELECT });
      const raw = JSON.stringify(rows);
      expect(raw).not.to.include(phone);
      expect(raw).not.to.include(phone.slice(3));
      expect(raw).not.to.include(code);
      expect(rows.at(-1)).to.include({ attempts: 0, used_at: null });
    });

    it('sends one code a minute and five a day to a phone, each refusal a 429 saying when', async () => {
      const phone = nextPhone();
      expect((await sendCode('poster-a', phone)).status).to.equal(202);
      const soon = await sendCode('poster-a', phone);
      expect(soon.status).to.equal(429);
      expect(soon.body.error.code).to.equal('REGISTRATION_SMS_TOO_SOON');
      expect(soon.body.error.details.retryAfterSeconds).to.be.within(1, 60);
      expect(soon.headers['retry-after']).to.equal(String(soon.body.error.details.retryAfterSeconds));
      expect(soon.body.error.message).to.match(/^验证码已发送，请 \d+ 秒后/);
      expect((await sendCode('counter', phone)).status, 'on another channel too').to.equal(429);
      for (let sent = 1; sent < 5; sent++) {
        await age(61_000);
        expect((await sendCode('poster-a', phone)).status).to.equal(202);
      }
      await age(61_000);
      const daily = await sendCode('poster-a', phone);
      expect(daily.status).to.equal(429);
      expect(daily.body.error.code).to.equal('REGISTRATION_SMS_PHONE_LIMIT');
      expect(daily.body.error.message).to.match(/24 小时内已获取 5 次验证码，请于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 后再试/);
      expect(daily.body.error.details.retryAfterSeconds).to.be.above(86_400 - 6 * 61 - 60);
    });

    it('sends twenty codes an hour to one address', async () => {
      const ip = freshIp();
      for (let i = 0; i < 20; i++) expect((await sendCode('poster-a', nextPhone(), ip)).status).to.equal(202);
      const res = await sendCode('poster-a', nextPhone(), ip);
      expect(res.status).to.equal(429);
      expect(res.body.error.code).to.equal('REGISTRATION_SMS_IP_LIMIT');
      expect(res.body.error.message).to.match(/请 60 分钟后再试|请 59 分钟后再试/);
      expect((await sendCode('poster-a', nextPhone())).status, 'another address').to.equal(202);
    });

    it('caps the codes of one channel across addresses', async () => {
      const limits = registration()['deps'].limits;
      const saved = limits.channelPerWindow;
      limits.channelPerWindow = 2;
      try {
        const channel = await createChannel('manager1', { code: 'ad-b', name: '广告 B' });
        expect((await sendCode(channel.code, nextPhone())).status).to.equal(202);
        expect((await sendCode(channel.code, nextPhone())).status).to.equal(202);
        const res = await sendCode(channel.code, nextPhone());
        expect(res.status).to.equal(429);
        expect(res.body.error.code).to.equal('REGISTRATION_SMS_CHANNEL_LIMIT');
      } finally {
        limits.channelPerWindow = saved;
      }
    });

    it('lets one of two simultaneous requests for one phone through', async () => {
      const phone = nextPhone();
      const results = await Promise.all([sendCode('poster-a', phone), sendCode('poster-a', phone)]);
      expect(results.map((r) => r.status).sort()).to.deep.equal([202, 429]);
    });

    it('answers 503 when the gateway fails, and the lost code does not count', async () => {
      const phone = nextPhone();
      sms.failNext = true;
      const res = await sendCode('poster-a', phone);
      expect(res.status).to.equal(503);
      expect(res.body.error.code).to.equal('REGISTRATION_SMS_UNAVAILABLE');
      expect((await sendCode('poster-a', phone)).status).to.equal(202);
    });
  });

  describe('registering', () => {
    it('creates the member in the channel\'s store with the channel as source, records the consent, and audits it as self-registration', async () => {
      const phone = nextPhone();
      await sendCode('poster-a', phone);
      const res = await submit('poster-a', { phone, code: sms.codeFor(phone), consent: { marketing: true }, name: '王小明', gender: 'female', custom: { skin_type: 'dry' } });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(Object.keys(res.body).sort()).to.deep.equal(['cardNo', 'storeName']);
      expect(isValidCardNumber(res.body.cardNo)).to.equal(true);
      expect(res.body.storeName).to.equal('徐汇店');

      const found = await test.http().get('/api/v1/members/lookup').query({ phone }).set(as('manager1'));
      expect(found.status, JSON.stringify(found.body)).to.equal(200);
      expect(found.body).to.include({ cardNo: res.body.cardNo, channel: 'poster-a', homeStoreId: f.stores.s1.id, name: '王小明', gender: 'female' });
      expect(found.body.custom).to.deep.equal({ skin_type: 'dry' });

      const consents = await test.http().get(`/api/v1/members/${found.body.id}/consents`).set(as('manager1'));
      expect(consents.body.current.sms).to.include({ granted: true, source: 'self_registration' });
      expect(consents.body.history).to.have.length(1);
      expect(consents.body.history[0].actorUserId).to.equal(null);

      const records = await test.ctx.models.audit.AuditLog.findAll({ where: { entityType: 'member', entityId: String(found.body.id) }, order: [['id', 'ASC']] });
      expect(records.map((r) => r.action)).to.deep.equal(['member.create', 'member.consent', 'member.self_register']);
      for (const record of records) expect(record).to.include({ actorType: 'system', actorId: null, actorName: 'self-registration via poster-a', storeId: f.stores.s1.id });
      expect(records[0].diff).not.to.include(phone);
      expect(JSON.parse(records[2].diff!)).to.include({ channel: 'poster-a', marketing: true });

      const again = await submit('poster-a', { phone, code: sms.codeFor(phone) });
      expect(again.status, 'a code works once').to.equal(400);
      expect(again.body.error.code).to.equal('REGISTRATION_CODE_EXPIRED');
    });

    it('registers one member when one code is submitted twice at once', async () => {
      const phone = nextPhone();
      await sendCode('poster-a', phone);
      const code = sms.codeFor(phone);
      const results = await Promise.all([submit('poster-a', { phone, code }), submit('poster-a', { phone, code })]);
      expect(results.map((r) => r.status).sort(), JSON.stringify(results.map((r) => r.body))).to.deep.equal([201, 400]);
      expect(results.find((r) => r.status === 400)!.body.error.code).to.equal('REGISTRATION_CODE_EXPIRED');
    });

    it('records no consent when the marketing box is left unticked', async () => {
      const phone = nextPhone();
      await sendCode('poster-a', phone);
      const res = await submit('poster-a', { phone, code: sms.codeFor(phone) });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      const found = await test.http().get('/api/v1/members/lookup').query({ phone }).set(as('manager1'));
      const consents = await test.http().get(`/api/v1/members/${found.body.id}/consents`).set(as('manager1'));
      expect(consents.body.current.sms).to.deep.equal({ granted: false, source: null, occurredAt: null });
    });

    it('counts wrong codes down and burns the code at the fifth', async () => {
      const phone = nextPhone();
      await sendCode('poster-a', phone);
      const right = sms.codeFor(phone);
      const wrong = right === '000000' ? '111111' : '000000';
      for (const left of [4, 3, 2, 1]) {
        const res = await submit('poster-a', { phone, code: wrong });
        expect(res.status).to.equal(400);
        expect(res.body.error).to.deep.include({ code: 'REGISTRATION_CODE_WRONG', details: { field: 'code', attemptsLeft: left } });
      }
      const fifth = await submit('poster-a', { phone, code: wrong });
      expect(fifth.body.error.code).to.equal('REGISTRATION_CODE_LOCKED');
      const late = await submit('poster-a', { phone, code: right });
      expect(late.status).to.equal(400);
      expect(late.body.error.code).to.equal('REGISTRATION_CODE_LOCKED');
      expect((await test.http().get('/api/v1/members/lookup').query({ phone }).set(as('manager1'))).status).to.equal(404);
    });

    it('refuses an expired code, and a code of another channel', async () => {
      const phone = nextPhone();
      await sendCode('poster-a', phone);
      expect((await submit('counter', { phone, code: sms.codeFor(phone) })).body.error.code).to.equal('REGISTRATION_CODE_EXPIRED');
      await codeRows().update({ expiresAt: new Date(Date.now() - 1000) }, { where: {} });
      const res = await submit('poster-a', { phone, code: sms.codeFor(phone) });
      expect(res.status).to.equal(400);
      expect(res.body.error.code).to.equal('REGISTRATION_CODE_EXPIRED');
    });

    it('refuses what the form does not ask for, and a refused form leaves the code usable', async () => {
      const phone = nextPhone();
      await sendCode('poster-a', phone);
      const code = sms.codeFor(phone);
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ name: 'x'.repeat(65) }, 'name'],
        [{ email: 'a@example.com' }, 'email'],
        [{ custom: { vip_no: 'A1' } }, 'custom.vip_no'],
        [{ custom: { referrer_member: 1 } }, 'custom.referrer_member'],
        [{ custom: { skin_type: 'greasy' } }, 'custom.skin_type'],
        [{ privacyAccepted: false }, 'privacyAccepted'],
        [{ gender: 'x' }, 'gender'],
      ];
      for (const [extra, path] of cases) {
        const res = await submit('poster-a', { phone, code, ...extra });
        expect(res.status, `${path}: ${JSON.stringify(res.body)}`).to.equal(422);
        expect(res.body.error.details.fields.map((e: { path: string }) => e.path)).to.include(path);
      }
      const ok = await submit('poster-a', { phone, code, name: '李雷' });
      expect(ok.status, JSON.stringify(ok.body)).to.equal(201);
    });

    it('tells an existing member so, without the card number, only once the code proves the phone', async () => {
      for (const who of ['manager1', 'manager2'] as const) {
        const phone = nextPhone();
        const member = await test.http().post('/api/v1/members').set(as(who)).send({ phone, name: '老会员' });
        expect(member.status).to.equal(201);
        const sent = await sendCode('poster-a', phone);
        expect(sent.status, 'a code is sent as to anyone').to.equal(202);
        const res = await submit('poster-a', { phone, code: sms.codeFor(phone) });
        expect(res.status).to.equal(409);
        expect(res.body.error.code).to.equal('REGISTRATION_PHONE_REGISTERED');
        expect(JSON.stringify(res.body)).not.to.include(member.body.cardNo);
        expect(JSON.stringify(res.body)).not.to.match(/\d{8}/);
      }
    });

    it('never keeps a phone number or a code in clear in registration_codes', async () => {
      const rows = await test.ctx.sequelize.query('SELECT * FROM registration_codes', { type: QueryTypes.SELECT });
      expect(rows.length).to.be.above(20);
      const raw = JSON.stringify(rows);
      // As a value of its own: six digits may well turn up inside a hex digest by chance.
      const standalone = (digits: string) => new RegExp(`(^|[^0-9A-Za-z])${digits}([^0-9A-Za-z]|$)`);
      for (const { phone, text } of sms.sent) {
        expect(raw).not.to.match(standalone(phone.slice(3)));
        expect(raw).not.to.match(standalone(/验证码 (\d{6})/.exec(text)![1]));
      }
    });
  });

  describe('the public page', () => {
    it("serves a light HTML page with the channel's texts escaped and its script from the server", async () => {
      await createChannel('manager1', { code: 'xss', name: '<script>alert(1)</script>店', privacyNotice: '<img src=x onerror=alert(1)>\n第二行', consentText: '同意 "营销" & <b>短信</b>' });
      const res = await test.http().get('/r/XSS');
      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.match(/^text\/html/);
      expect(res.text).to.include('<h1>&lt;script&gt;alert(1)&lt;/script&gt;店</h1>');
      expect(res.text).to.include('&lt;img src=x onerror=alert(1)&gt;\n第二行');
      expect(res.text).to.include('同意 &quot;营销&quot; &amp; &lt;b&gt;短信&lt;/b&gt;');
      expect(res.text).to.include('徐汇店');
      expect(res.text).not.to.include('<script>alert');
      expect(res.text).not.to.include('<img');
      expect(res.text).to.include('data-code="xss"');
      const script = /<script src="([^"]+)" defer><\/script>/.exec(res.text)![1];
      expect(script).to.match(/^\/r\/assets\/register\.js\?v=[0-9a-f]{12}$/);
      expect(res.headers['content-security-policy']).to.include("script-src 'self'").and.not.include("script-src 'self' 'unsafe-inline'");

      const js = await test.http().get(script);
      expect(js.status).to.equal(200);
      expect(js.headers['content-type']).to.match(/^application\/javascript/);
      expect(js.headers['cache-control']).to.include('immutable');
      expect(js.text).to.include('/api/v1/public/registration/');
    });

    it('speaks English on ?lang=en', async () => {
      const res = await test.http().get('/r/poster-a').query({ lang: 'en' });
      expect(res.text).to.include('<html lang="en">').and.include('Mobile number').and.include('地铁海报');
    });

    it('shows a friendly 404 page for an unknown or paused channel', async () => {
      for (const path of ['/r/no-such-channel', '/r/paused-one', '/r/not%20a%20code']) {
        const res = await test.http().get(path);
        expect(res.status, path).to.equal(404);
        expect(res.headers['content-type']).to.match(/^text\/html/);
        expect(res.text).to.include('该注册页面不存在或已停用');
      }
    });
  });
});
