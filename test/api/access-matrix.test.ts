import { expect } from 'chai';
import { startTestApp, type TestApp } from '../support/app.js';
import { seedAccessFixture, type AccessFixture } from '../support/access.js';
import { TEST_DIALECT } from '../support/database.js';

/** The built-in roles' permissions as installed (migrations 20261123120000, 20261124090000, 20261124110000, 20261124140000, 20261124150000, 20261125100400, 20261126100900, 20261127100000). */
const EXPECTED: Record<string, string[] | '*'> = {
  root: '*',
  manager1: [
    'system:store:view',
    'system:user:view',
    'system:user:create',
    'system:user:update',
    'system:user:reset_password',
    'system:user:revoke_session',
    'system:role:view',
    'member:member:view',
    'member:member:create',
    'member:member:update',
    'member:member:freeze',
    'member:member:reveal',
    'member:member:export',
    'member:member:import',
    'member:channel:view',
    'member:channel:create',
    'member:channel:update',
    'order:order:view',
    'order:order:create',
    'order:order:refund',
    'loyalty:points:view',
    'loyalty:points:adjust',
    'loyalty:points:grant',
    'loyalty:wallet:view',
    'loyalty:wallet:topup',
    'loyalty:wallet:refund',
    'loyalty:wallet:pin',
    'loyalty:plan:view',
    'loyalty:settings:view',
    'loyalty:report:view',
    'marketing:coupon:view',
    'marketing:coupon:issue',
    'marketing:coupon:void',
    'loyalty:tier:view',
    'loyalty:tier:adjust',
  ],
  cashier1: [
    'system:store:view',
    'member:member:view',
    'member:member:create',
    'order:order:view',
    'order:order:create',
    'loyalty:points:view',
    'loyalty:wallet:view',
    'loyalty:wallet:topup',
    'loyalty:wallet:pin',
    'loyalty:plan:view',
    'marketing:coupon:view',
    'loyalty:tier:view',
  ],
  auditor1: [
    'audit:log:view',
    'audit:log:export',
    'audit:log:verify',
    'system:store:view',
    'system:user:view',
    'system:role:view',
    'member:member:view',
    'order:order:view',
    'loyalty:points:view',
    'loyalty:wallet:view',
    'loyalty:report:view',
    'marketing:coupon:view',
    'loyalty:tier:view',
  ],
  itops1: [
    'system:info:view',
    'system:store:view',
    'system:apikey:view',
    'system:apikey:create',
    'system:apikey:revoke',
    'system:job:view',
    'system:job:run',
    'system:job:update',
    'system:backup:view',
    'system:backup:run',
  ],
};

describe(`every route x every built-in role (${TEST_DIALECT})`, () => {
  let test: TestApp;
  let fixture: AccessFixture;
  before(async function () {
    this.timeout(60_000);
    test = await startTestApp();
    fixture = await seedAccessFixture(test);
  });
  after(() => test.close());

  it('matches the permissions each role reports at login', async () => {
    for (const [name, expected] of Object.entries(EXPECTED)) {
      const res = await test.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${fixture.tokens[name as keyof AccessFixture['tokens']]}`);
      expect(res.body.permissions, name).to.have.members(expected === '*' ? ['*'] : expected);
    }
  });

  it('allows exactly what each role holds and refuses the rest with 403 FORBIDDEN', async function () {
    this.timeout(120_000);
    const mismatches: string[] = [];
    let checked = 0;
    // Logging out ends the session every later call uses, so it goes last.
    const routes = [...test.ctx.routes].sort((a, b) => Number(a.path.endsWith('/logout')) - Number(b.path.endsWith('/logout')));
    for (const route of routes) {
      const path = route.path.replace(/:(\w+)/g, '999999');
      for (const [name, expected] of Object.entries(EXPECTED)) {
        const token = fixture.tokens[name as keyof AccessFixture['tokens']];
        let request = test.http()[route.method](path).set('Authorization', `Bearer ${token}`);
        if (route.method !== 'get' && route.method !== 'delete') request = request.send({});
        const res = await request;
        checked += 1;
        const forbidden = res.status === 403 && res.body.error?.code === 'FORBIDDEN';
        if (route.access.kind === 'public') {
          if (res.status === 401 || res.status === 403) mismatches.push(`${name} ${route.method} ${route.path}: public but ${res.status}`);
          continue;
        }
        if (route.access.kind === 'authenticated') {
          if (forbidden || res.status === 401) mismatches.push(`${name} ${route.method} ${route.path}: any user, got ${res.status}`);
          continue;
        }
        const allowed = expected === '*' || expected.includes(route.access.code);
        if (allowed === forbidden) {
          mismatches.push(`${name} ${route.method} ${route.path} (${route.access.code}): expected ${allowed ? 'allowed' : 'FORBIDDEN'}, got ${res.status} ${res.body.error?.code ?? ''}`);
        }
        if (res.status >= 500) mismatches.push(`${name} ${route.method} ${route.path}: ${res.status}`);
      }
    }
    expect(mismatches, mismatches.join('\n')).to.deep.equal([]);
    expect(checked).to.equal(test.ctx.routes.length * Object.keys(EXPECTED).length);
  });
});
