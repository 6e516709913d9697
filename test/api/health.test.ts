import { expect } from 'chai';
import { startTestApp, type TestApp } from '../support/app.js';
import { TEST_DIALECT } from '../support/database.js';

describe(`http basics (${TEST_DIALECT})`, () => {
  let test: TestApp;
  before(async () => {
    test = await startTestApp();
  });
  after(() => test.close());

  it('answers /healthz and /readyz when the database is reachable and migrated', async () => {
    const health = await test.http().get('/healthz');
    expect(health.status).to.equal(200);
    expect(health.body.status).to.equal('ok');
    const ready = await test.http().get('/readyz');
    expect(ready.status).to.equal(200);
    expect(ready.body).to.deep.equal({ status: 'ready', checks: { database: 'ok', migrations: 'ok', jobs: 'ok' } });
  });

  it('gives every response an X-Request-Id, keeping a sane one the caller sent', async () => {
    const generated = await test.http().get('/healthz');
    expect(generated.headers['x-request-id']).to.match(/^[0-9a-f-]{36}$/);
    const echoed = await test.http().get('/healthz').set('X-Request-Id', 'pos-42.retry:1');
    expect(echoed.headers['x-request-id']).to.equal('pos-42.retry:1');
    const replaced = await test.http().get('/healthz').set('X-Request-Id', 'bad id with spaces');
    expect(replaced.headers['x-request-id']).to.not.equal('bad id with spaces');
  });

  it('answers an unknown /api path with a JSON 404 in the requested language', async () => {
    const zh = await test.http().get('/api/v1/no-such-thing');
    expect(zh.status).to.equal(404);
    expect(zh.body).to.deep.equal({ error: { code: 'NOT_FOUND', message: '接口不存在：GET /api/v1/no-such-thing' } });
    const en = await test.http().get('/api/v1/no-such-thing').set('Accept-Language', 'en-US,en;q=0.9');
    expect(en.body.error.message).to.equal('No such endpoint: GET /api/v1/no-such-thing');
  });

  it('answers a known path with the wrong method with 405', async () => {
    const res = await test.http().delete('/api/v1/auth/login');
    expect(res.status).to.equal(405);
    expect(res.body.error.code).to.equal('METHOD_NOT_ALLOWED');
  });

  it('refuses malformed JSON with 400 MALFORMED_JSON', async () => {
    const res = await test
      .http()
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/json')
      .set('Accept-Language', 'en')
      .send('{"username": "admin", ');
    expect(res.status).to.equal(400);
    expect(res.body.error.code).to.equal('MALFORMED_JSON');
    expect(res.body.error.message).to.match(/^The request body is not valid JSON/);
  });

  it('refuses a body over the size limit with 413 and a body that is not JSON with 415', async () => {
    const big = await test
      .http()
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ username: 'a', password: 'x'.repeat(2 * 1024 * 1024) }));
    expect(big.status).to.equal(413);
    expect(big.body.error.code).to.equal('PAYLOAD_TOO_LARGE');
    const form = await test.http().post('/api/v1/auth/login').type('form').send('username=a&password=b');
    expect(form.status).to.equal(415);
    expect(form.body.error.code).to.equal('UNSUPPORTED_MEDIA_TYPE');
  });

  it('lists each bad field of a validation error, in the requested language', async () => {
    const res = await test
      .http()
      .post('/api/v1/auth/login')
      .set('Accept-Language', 'en')
      .send({ username: '', extra: true });
    expect(res.status).to.equal(422);
    expect(res.body.error.code).to.equal('VALIDATION_FAILED');
    expect(res.body.error.message).to.equal('Some fields are invalid; check the fields listed');
    const paths = (res.body.error.details.fields as Array<{ path: string }>).map((f) => f.path);
    expect(paths).to.include.members(['username', 'extra']);
    const zh = await test.http().post('/api/v1/auth/login').send({ username: 'a' });
    expect(zh.status).to.equal(422);
    expect(zh.body.error.details.fields).to.deep.include({ path: 'password', code: 'custom', message: '必填' });
  });

  it('never answers 500 to odd but well-formed requests', async () => {
    const probes = [
      test.http().post('/api/v1/auth/login').send([1, 2, 3]),
      test.http().post('/api/v1/auth/login').set('Content-Type', 'application/json').send('null'),
      test.http().post('/api/v1/auth/login').set('Content-Type', 'application/json').send('"text"'),
      test.http().post('/api/v1/auth/login').send({ username: { $gt: '' }, password: 1 }),
      test.http().get('/api/v1/auth/me').set('Authorization', 'Bearer '),
      test.http().get('/api/v1/auth/me').set('Authorization', 'Basic YWRtaW46YWRtaW4='),
      test.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${'x'.repeat(5000)}`),
      test.http().get('/api/%E0%A4%A'),
    ];
    for (const res of await Promise.all(probes)) {
      expect(res.status, JSON.stringify(res.body)).to.be.within(400, 499);
      expect(res.body.error.code).to.be.a('string');
    }
  });

  it('serves the OpenAPI document and a local API reference page', async () => {
    const spec = await test.http().get('/api/v1/openapi.json');
    expect(spec.status).to.equal(200);
    expect(spec.body.openapi).to.equal('3.1.0');
    expect(spec.body.paths['/api/v1/auth/login'].post.requestBody).to.be.an('object');
    expect(spec.body.paths['/api/v1/system/info'].get.description).to.contain('system:info:view');
    const page = await test.http().get('/api/docs/');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('assets/swagger-ui-bundle.js').and.not.match(/https?:\/\//);
    const bundle = await test.http().get('/api/docs/assets/swagger-ui-bundle.js');
    expect(bundle.status).to.equal(200);
  });

  it('sets security headers that work on a plain-HTTP intranet', async () => {
    const res = await test.http().get('/healthz');
    expect(res.headers['content-security-policy']).to.contain("script-src 'self'").and.not.contain('upgrade-insecure-requests');
    expect(res.headers['x-content-type-options']).to.equal('nosniff');
    expect(res.headers['x-powered-by']).to.equal(undefined);
  });
});
