import { expect } from 'chai';
import { isKnownPermission } from '../../server/src/modules/access/permissions.js';
import { toOpenApiPath } from '../../server/src/platform/http/openapi.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { TEST_DIALECT } from '../support/database.js';

describe(`route registry (${TEST_DIALECT})`, () => {
  let test: TestApp;
  before(async () => {
    test = await startTestApp();
  });
  after(() => test.close());

  it('has every route declare who may call it, with a known permission code', () => {
    expect(test.ctx.routes.length).to.be.above(0);
    for (const route of test.ctx.routes) {
      const name = `${route.method.toUpperCase()} ${route.path}`;
      expect(['public', 'authenticated', 'permission'], name).to.include(route.access?.kind);
      if (route.access.kind === 'permission') expect(isKnownPermission(route.access.code), `${name}: ${route.access.code}`).to.equal(true);
      expect(route.path, name).to.match(/^\/api\/v1\//);
    }
  });

  it('keeps public routes to the few that must be', () => {
    const publicRoutes = test.ctx.routes.filter((r) => r.access.kind === 'public').map((r) => `${r.method} ${r.path}`);
    expect(publicRoutes).to.have.members([
      'get /api/v1/auth/public-key',
      'post /api/v1/auth/login',
      // Self-registration's public page (registration/public-routes.ts).
      'get /api/v1/public/registration/:code',
      'post /api/v1/public/registration/:code/sms-code',
      'post /api/v1/public/registration/:code/submit',
      // The coupon claim page's (coupons/routes.ts).
      'get /api/v1/public/coupons/:claimCode',
      'post /api/v1/public/coupons/:claimCode/sms-code',
      'post /api/v1/public/coupons/:claimCode/claim',
    ]);
  });

  it('documents every route in the OpenAPI document', async () => {
    const spec = (await test.http().get('/api/v1/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    for (const route of test.ctx.routes) {
      expect(spec.paths[toOpenApiPath(route.path)]?.[route.method], `${route.method} ${route.path}`).to.be.an('object');
    }
  });

  it('has no duplicate method and path pairs', () => {
    const keys = test.ctx.routes.map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).to.equal(keys.length);
  });
});
