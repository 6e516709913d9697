import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/app.js';
import { TEST_DIALECT } from '../support/database.js';

async function logLines(test: TestApp): Promise<Array<Record<string, unknown>>> {
  const dir = test.ctx.config.logDir;
  // winston writes asynchronously; give the file stream a moment.
  for (let i = 0; i < 50; i++) {
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.log')) : [];
    const text = files.map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('');
    if (text.includes('"request"') && text.includes('member lookup')) {
      return text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return [];
}

describe(`logging (${TEST_DIALECT})`, () => {
  let test: TestApp;
  before(async () => {
    test = await startTestApp({ env: { HUIJI_LOG_LEVEL: 'http' } });
  });
  after(() => test.close());

  it('writes JSON lines carrying the request id, with credentials redacted', async () => {
    const res = await test
      .http()
      .post('/api/v1/auth/login')
      .set('X-Request-Id', 'log-probe-1')
      .set('Authorization', 'Bearer should-not-appear')
      .send({ username: 'admin', password: ADMIN_PASSWORD });
    expect(res.status).to.equal(200);
    test.ctx.logger.warn('member lookup by phone 13812345678', { phone: '13812345678', password: 'hunter2' });
    const lines = await logLines(test);
    const request = lines.find((line) => line.message === 'request' && line.requestId === 'log-probe-1');
    expect(request).to.include({ method: 'POST', path: '/api/v1/auth/login', status: 200 });
    const text = JSON.stringify(lines);
    expect(text).to.not.contain(ADMIN_PASSWORD);
    expect(text).to.not.contain('should-not-appear');
    expect(text).to.not.contain('13812345678');
    expect(text).to.not.contain('hunter2');
    expect(text).to.contain('138****5678');
  });
});
