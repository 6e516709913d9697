import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { FieldCipher } from '../../server/src/platform/crypto/field-cipher.js';
import { loadFieldKeys } from '../../server/src/platform/crypto/field-keys.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { seedAccessFixture, type AccessFixture } from '../support/access.js';
import { runCli } from '../support/cli.js';
import { TEST_DIALECT } from '../support/database.js';

const CLI = 'server/src/cli/keys.ts';
const PHONES = ['13700000001', '13700000002', '13700000003'];

describe(`npm run keys: rotating the member field keys (${TEST_DIALECT})`, function () {
  this.timeout(120_000);
  let test: TestApp;
  let f: AccessFixture;
  const run = (...args: string[]) => runCli(CLI, args, { HUIJI_DATABASE_URL: test.db.url, HUIJI_DATA_DIR: test.dataDir });
  const stored = () =>
    test.ctx.sequelize.query<{ phone_enc: string; email_enc: string | null }>('SELECT phone_enc, email_enc FROM members ORDER BY id', { type: QueryTypes.SELECT });

  before(async () => {
    test = await startTestApp({ jobs: 'off' });
    f = await seedAccessFixture(test);
    for (const phone of PHONES) {
      const res = await test.http().post('/api/v1/members').set({ Authorization: `Bearer ${f.tokens.manager1}` }).send({ phone, email: `${phone}@example.com` });
      expect(res.status).to.equal(201);
    }
  });
  after(() => test.close());

  it('adds a key, re-encrypts every value under it, and leaves the data readable with the new key file', async () => {
    const rotated = await run('rotate');
    expect(rotated.code, rotated.stderr).to.equal(0);
    expect(rotated.stdout).to.include('k2');

    const status = await run('status', '--json');
    expect(status.code, status.stderr).to.equal(0);
    const before = JSON.parse(status.stdout) as { active: string; counts: Array<{ column: string; key: string; values: number }> };
    expect(before.active).to.equal('k2');
    expect(before.counts).to.deep.include({ column: 'members.phone_enc', key: 'k1', values: PHONES.length });

    const reencrypted = await run('reencrypt');
    expect(reencrypted.code, reencrypted.stderr).to.equal(0);
    expect(reencrypted.stdout).to.include(`Done: ${PHONES.length * 2} values now under key k2`);

    const rows = await stored();
    expect(rows.every((row) => row.phone_enc.startsWith('v1:k2:') && row.email_enc!.startsWith('v1:k2:'))).to.equal(true);
    const cipher = new FieldCipher(loadFieldKeys(test.dataDir, {}));
    expect(rows.map((row) => cipher.decrypt(row.phone_enc, 'members.phone'))).to.deep.equal(PHONES);

    const again = await run('reencrypt');
    expect(again.stdout, 'a second run has nothing to do').to.include('Done: 0 values');
    const record = await test.ctx.models.audit.AuditLog.findOne({ where: { action: 'system.keys_reencrypt' }, order: [['id', 'DESC']] });
    expect(record?.actorType).to.equal('system');
  });

  it('sends an administrator whose keys are in the configuration to the configuration, with exit code 2', async () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const res = await runCli(CLI, ['rotate'], {
      HUIJI_DATABASE_URL: test.db.url,
      HUIJI_DATA_DIR: test.dataDir,
      HUIJI_FIELD_KEYS: `k1:${key}`,
      HUIJI_BLIND_INDEX_KEY: key,
    });
    expect(res.code, res.stdout + res.stderr).to.equal(2);
    expect(res.stderr).to.include('crypto.fieldKeys');
  });
});
