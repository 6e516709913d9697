import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { QueryTypes, type Sequelize } from 'sequelize';
import { DatabaseNotEmptyError, seedDemo, type SeedSummary } from '../../server/src/cli/seed/index.js';
import { verifyPassword } from '../../server/src/modules/auth/password.js';
import { createSequelize } from '../../server/src/platform/db/connect.js';
import { runMigrations } from '../../server/src/platform/db/migrate.js';
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
    // 5 stores x 3 accounts, the auditor, the IT operator and the first admin.
    expect(summary.counts).to.deep.equal({ stores: 5, users: 18, user_roles: 18, user_stores: 15 });
    expect(summary.staffPassword).to.equal(STAFF_PASSWORD);
    expect(summary.admin.created).to.equal(true);
  });

  it('gives each store one manager and cashiers for the rest, and head-office roles no store', async () => {
    const rows = await staff();
    const stores = await sequelize.query<{ code: string; name: string }>('SELECT code, name FROM stores', { type: QueryTypes.SELECT });
    for (const store of stores) {
      expect(store.name).to.match(new RegExp(`^${summary.brand} .+店$`));
      const people = rows.filter((row) => row.store_code === store.code);
      expect(people.map((row) => [row.username, row.role])).to.deep.equal([
        [`${store.code}-mgr`, 'store_manager'],
        [`${store.code}-c1`, 'cashier'],
        [`${store.code}-c2`, 'cashier'],
      ]);
    }
    const headOffice = rows.filter((row) => row.store_code === null).map((row) => [row.username, row.role]);
    expect(headOffice).to.deep.equal([
      ['admin', 'super_admin'],
      ['auditor', 'auditor'],
      ['it-ops', 'it_ops'],
    ]);
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
});
