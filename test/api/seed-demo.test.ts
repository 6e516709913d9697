import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { QueryTypes, type Sequelize } from 'sequelize';
import { DatabaseNotEmptyError, demoPassword, seedDemo, type SeedSummary } from '../../server/src/cli/seed/index.js';
import { loadAuditKeys } from '../../server/src/modules/audit/keys.js';
import { defineAuditModels } from '../../server/src/modules/audit/models.js';
import { verifyAuditTrail } from '../../server/src/modules/audit/verify.js';
import { verifyPassword } from '../../server/src/modules/auth/password.js';
import { createSequelize } from '../../server/src/platform/db/connect.js';
import { runMigrations } from '../../server/src/platform/db/migrate.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from '../support/database.js';

const STAFF_PASSWORD = 'Demo#2026test';
const ADMIN_PASSWORD = 'Admin#2026test';

interface StaffRow {
  username: string;
  password_hash: string;
  must_change_password: number | boolean;
  status: string;
  role: string;
  store_code: string | null;
  store_status: string | null;
}

async function freshDatabase(): Promise<{ db: TestDatabase; sequelize: Sequelize }> {
  const db = await createTestDatabase();
  const sequelize = createSequelize({ url: db.url });
  await runMigrations(sequelize);
  return { db, sequelize };
}

describe(`seed:demo (${TEST_DIALECT})`, () => {
  let db: TestDatabase;
  let sequelize: Sequelize;
  let dataDir: string;
  let summary: SeedSummary;

  before(async () => {
    ({ db, sequelize } = await freshDatabase());
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'huiji-seed-'));
    summary = await seedDemo({
      sequelize,
      stores: 5,
      staffPerStore: 3,
      members: 1000,
      seed: 7,
      staffPassword: STAFF_PASSWORD,
      dataDir,
      adminPassword: ADMIN_PASSWORD,
    });
  });
  after(async () => {
    await sequelize.close();
    await db.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const staff = () =>
    sequelize.query<StaffRow>(
      `SELECT u.username, u.password_hash, u.must_change_password, u.status, r.code AS role,
              s.code AS store_code, s.status AS store_status
         FROM users u
         JOIN user_roles ur ON ur.user_id = u.id
         JOIN roles r ON r.id = ur.role_id
         LEFT JOIN user_stores us ON us.user_id = u.id
         LEFT JOIN stores s ON s.id = us.store_id
        ORDER BY u.id`,
      { type: QueryTypes.SELECT },
    );

  it('fills stores, staff, roles and store assignments and counts them', async () => {
    // 5 stores x 3 accounts, the auditor and the IT operator (both in S001), and the first admin.
    expect(summary.counts).to.deep.equal({ stores: 5, users: 18, user_roles: 18, user_stores: 17 });
    expect(summary.staffPassword).to.equal(STAFF_PASSWORD);
    expect(summary.admin.created).to.equal(true);
    expect(summary.sampleLogins).to.deep.equal(['manager1', 'cashier1', 'auditor1', 'itops1', 'manager2', 'cashier2']);
  });

  it('codes stores S001… and puts the named accounts in S001 and S002, generated ones elsewhere', async () => {
    const rows = await staff();
    const stores = await sequelize.query<{ code: string; name: string; status: string }>('SELECT code, name, status FROM stores ORDER BY id', {
      type: QueryTypes.SELECT,
    });
    expect(stores.map((store) => store.code)).to.deep.equal(['S001', 'S002', 'S003', 'S004', 'S005']);
    expect(stores[0].status).to.equal('open');
    expect(stores[1].status).to.equal('open');
    const people = (code: string) => rows.filter((row) => row.store_code === code).map((row) => [row.username, row.role]);
    expect(people('S001')).to.deep.equal([
      ['manager1', 'store_manager'],
      ['cashier1', 'cashier'],
      ['s001-c2', 'cashier'],
      ['auditor1', 'auditor'],
      ['itops1', 'it_ops'],
    ]);
    expect(people('S002')).to.deep.equal([
      ['manager2', 'store_manager'],
      ['cashier2', 'cashier'],
      ['s002-c2', 'cashier'],
    ]);
    for (const store of stores.slice(2)) {
      expect(store.name).to.match(new RegExp(`^${summary.brand} .+店$`));
      const prefix = store.code.toLowerCase();
      expect(people(store.code)).to.deep.equal([
        [`${prefix}-mgr`, 'store_manager'],
        [`${prefix}-c1`, 'cashier'],
        [`${prefix}-c2`, 'cashier'],
      ]);
    }
    expect(rows.filter((row) => row.store_code === null).map((row) => [row.username, row.role])).to.deep.equal([['admin', 'super_admin']]);
  });

  it('shares one argon2id hash of the demo password and needs no password change, the admin aside', async () => {
    const rows = (await staff()).filter((row) => row.username !== 'admin');
    expect(new Set(rows.map((row) => row.password_hash)).size).to.equal(1);
    expect(await verifyPassword(rows[0].password_hash, STAFF_PASSWORD)).to.equal(true);
    for (const row of rows) {
      expect(Boolean(row.must_change_password)).to.equal(false);
      expect(row.status).to.equal(row.store_status === 'closed' ? 'disabled' : 'active');
    }
    const [admin] = (await staff()).filter((row) => row.username === 'admin');
    expect(await verifyPassword(admin.password_hash, ADMIN_PASSWORD)).to.equal(true);
  });

  it('leaves one seed.demo record by the system, sealed, in a trail that verifies', async () => {
    const models = defineAuditModels(sequelize);
    const records = await models.AuditLog.findAll({ where: { action: 'seed.demo' } });
    expect(records).to.have.length(1);
    expect(records[0]).to.deep.include({ actorType: 'system', actorName: 'system', result: 'success' });
    expect(records[0].summary).to.equal(`生成演示数据：5 家门店、17 名员工（${summary.brand}，随机种子 7）`);
    expect(JSON.parse(records[0].diff!)).to.deep.include({ seed: 7, stores: 5, staffPerStore: 3 });
    const result = await verifyAuditTrail(sequelize, models, loadAuditKeys(dataDir));
    expect(result).to.include({ ok: true, pending: 0 });
    expect(result.checked).to.be.at.least(1);
  });

  it('takes the password from HUIJI_DEMO_PASSWORD, else Huiji@2026', () => {
    expect(demoPassword({})).to.equal('Huiji@2026');
    expect(demoPassword({ HUIJI_DEMO_PASSWORD: 'Other#2026pw' })).to.equal('Other#2026pw');
  });

  it('refuses fewer than two stores, saying why', async () => {
    const error = await seedDemo({ sequelize, dataDir, stores: 1 }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(RangeError);
    expect((error as Error).message).to.match(/^stores must be a whole number from 2 to 1000, got 1: S001 and S002 hold the named demo accounts/);
  });

  it('says that members are not seeded yet instead of pretending', () => {
    expect(summary.notices.join(' ')).to.match(/members .*ignored/);
  });

  it('refuses a database that already has stores and writes nothing', async () => {
    const error = await seedDemo({ sequelize, dataDir }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(DatabaseNotEmptyError);
    expect((error as Error).message).to.match(/^database is not empty/);
    const [{ n }] = await sequelize.query<{ n: number }>('SELECT COUNT(*) AS n FROM users', { type: QueryTypes.SELECT });
    expect(Number(n)).to.equal(18);
  });

  it('refuses a database with more users than the first admin', async () => {
    const other = await freshDatabase();
    try {
      const now = new Date();
      await other.sequelize.getQueryInterface().bulkInsert(
        'users',
        ['admin', 'zhang'].map((username) => ({
          username,
          display_name: username,
          password_hash: 'x',
          created_at: now,
          updated_at: now,
        })),
      );
      const error = await seedDemo({ sequelize: other.sequelize, dataDir }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(DatabaseNotEmptyError);
      expect((error as Error).message).to.contain('users has 2 rows');
    } finally {
      await other.sequelize.close();
      await other.db.drop();
    }
  });
  describe('the CLI', () => {
    it('seeds the named accounts with HUIJI_DEMO_PASSWORD and no forced change', async () => {
      const other = await createTestDatabase();
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huiji-seed-cli-'));
      try {
        const env = { HUIJI_DATABASE_URL: other.url, HUIJI_DATA_DIR: dir, HUIJI_DEMO_PASSWORD: 'Env#Demo2026' };
        const run = await runCli('server/src/cli/seed-demo.ts', ['--yes', '--stores', '2', '--staff-per-store', '2'], env);
        expect(run.code, run.stderr).to.equal(0);
        expect(run.stdout).to.contain('Try logging in as: manager1, cashier1, auditor1, itops1, manager2, cashier2');
        const check = createSequelize({ url: other.url });
        try {
          const rows = await check.query<{ username: string; password_hash: string; must_change_password: number | boolean }>(
            "SELECT username, password_hash, must_change_password FROM users WHERE username <> 'admin' ORDER BY username",
            { type: QueryTypes.SELECT },
          );
          expect(rows.map((row) => row.username)).to.deep.equal(['auditor1', 'cashier1', 'cashier2', 'itops1', 'manager1', 'manager2']);
          expect(await verifyPassword(rows[0].password_hash, 'Env#Demo2026')).to.equal(true);
          for (const row of rows) expect(Boolean(row.must_change_password)).to.equal(false);
        } finally {
          await check.close();
        }
      } finally {
        await other.drop();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('refuses --stores 1 with the reason and exit code 2', async () => {
      const run = await runCli('server/src/cli/seed-demo.ts', ['--yes', '--stores', '1'], { HUIJI_DATABASE_URL: 'sqlite::memory:' });
      expect(run.code).to.equal(2);
      expect(run.stderr).to.contain('expected a whole number from 2 to 1000 (S001 and S002 hold the named demo accounts');
    });
  });
});
