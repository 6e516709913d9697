import crypto from 'node:crypto';
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
import { MemberContact } from '../../server/src/modules/members/contact.js';
import { memberView } from '../../server/src/modules/members/member-view.js';
import { defineMemberModels } from '../../server/src/modules/members/models.js';
import { CARD_SEQUENCE } from '../../server/src/modules/members/service.js';
import { FieldCipher } from '../../server/src/platform/crypto/field-cipher.js';
import { FIELD_KEY_FILE, loadFieldKeys } from '../../server/src/platform/crypto/field-keys.js';
import { createSequelize } from '../../server/src/platform/db/connect.js';
import { runMigrations } from '../../server/src/platform/db/migrate.js';
import { formatCardNumber, isValidCardNumber } from '../../server/src/platform/ids/card-number.js';
import { nextInSequence } from '../../server/src/platform/ids/sequence.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from '../support/database.js';

const STAFF_PASSWORD = 'Demo#2026test';
const ADMIN_PASSWORD = 'Admin#2026test';
/** One clock for every run here: a seed reproduces its data only with the same `now`. */
const NOW = new Date();
const MEMBERS = 1000;

interface MemberRow {
  id: number | string;
  card_no: string;
  name: string;
  home_store_id: number | string;
  channel: string;
  phone_enc: string;
  phone_bidx: string;
  phone_last4: string;
  email_enc: string | null;
  email_bidx: string | null;
  [column: string]: unknown;
}

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

/** What a member is, contact data decrypted, without the per-run ids and ciphertexts. */
async function memberFacts(sequelize: Sequelize, dataDir: string) {
  const contact = new MemberContact(new FieldCipher(loadFieldKeys(dataDir, {})));
  const rows = await sequelize.query<MemberRow>(
    `SELECT m.*, s.code AS store_code FROM members m JOIN stores s ON s.id = m.home_store_id ORDER BY m.id`,
    { type: QueryTypes.SELECT },
  );
  return rows.map((row) => ({
    cardNo: row.card_no,
    name: row.name,
    gender: row.gender,
    birthday: row.birthday,
    region: row.region,
    store: row.store_code,
    channel: row.channel,
    referrer: row.referrer_id === null ? null : Number(row.referrer_id),
    status: row.status,
    registeredAt: new Date(row.registered_at as string).toISOString(),
    ...contact.open({ phoneEnc: row.phone_enc, emailEnc: row.email_enc, idNumberEnc: null }),
  }));
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
      members: MEMBERS,
      seed: 7,
      staffPassword: STAFF_PASSWORD,
      dataDir,
      adminPassword: ADMIN_PASSWORD,
      now: NOW,
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

  it('fills stores, staff, roles, store assignments, members and consents and counts them', async () => {
    // 5 stores x 3 accounts, the auditor and the IT operator (both in S001), and the first admin.
    const { member_consents: consents, ...counts } = summary.counts;
    expect(counts).to.deep.equal({ stores: 5, users: 18, user_roles: 18, user_stores: 17, members: MEMBERS });
    // About half consent, to 1.7 channels on average.
    expect(consents).to.be.within(650, 1050);
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
    expect(records[0].summary).to.equal(`生成演示数据：5 家门店、17 名员工、1000 名会员（${summary.brand}，随机种子 7）`);
    expect(JSON.parse(records[0].diff!)).to.deep.include({ seed: 7, stores: 5, staffPerStore: 3, members: MEMBERS });
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

  it('says which key file the members’ contact data needs', () => {
    expect(summary.notices).to.have.length(1);
    expect(summary.notices[0]).to.contain(path.join(dataDir, 'keys', FIELD_KEY_FILE));
  });

  describe('members', () => {
    const members = () => sequelize.query<MemberRow>('SELECT * FROM members ORDER BY id', { type: QueryTypes.SELECT });
    const count = async (sql: string) => {
      const [{ n }] = await sequelize.query<{ n: number | string }>(sql, { type: QueryTypes.SELECT });
      return Number(n);
    };

    it('numbers cards from the server’s sequence, which continues after the last one', async () => {
      const rows = await members();
      expect(rows.map((row) => row.card_no)).to.deep.equal(Array.from({ length: MEMBERS }, (_, i) => formatCardNumber('8', i + 1)));
      for (const row of rows) expect(isValidCardNumber(row.card_no), row.card_no).to.equal(true);
      const [sequence] = await sequelize.query<{ value: number | string }>('SELECT value FROM sequences WHERE name = ?', {
        replacements: [CARD_SEQUENCE],
        type: QueryTypes.SELECT,
      });
      expect(Number(sequence.value)).to.equal(MEMBERS);
    });

    it('keeps phones and e-mails only encrypted, readable with the data directory’s keys', async () => {
      const contact = new MemberContact(new FieldCipher(loadFieldKeys(dataDir, {})));
      const rows = await members();
      let withEmail = 0;
      for (const row of rows) {
        const { phone, email } = contact.open({ phoneEnc: row.phone_enc, emailEnc: row.email_enc, idNumberEnc: null });
        expect(phone).to.match(/^1[3-9]\d{9}$/);
        expect(row.phone_last4).to.equal(phone!.slice(-4));
        expect(row.phone_bidx).to.equal(contact.phoneIndex(phone!));
        const clear = Object.values(row).filter((value) => typeof value === 'string').join('\n');
        expect(clear).to.not.contain(phone);
        if (email) {
          withEmail += 1;
          expect(row.email_bidx).to.equal(contact.emailIndex(email));
          expect(clear).to.not.contain(email);
        }
      }
      expect(new Set(rows.map((row) => row.phone_bidx)).size).to.equal(MEMBERS);
      expect(withEmail).to.be.within(150, 350);
    });

    it('is found by the phone’s blind index as the server computes it', async () => {
      const contact = new MemberContact(new FieldCipher(loadFieldKeys(dataDir, {})));
      const [row] = await sequelize.query<MemberRow>('SELECT * FROM members WHERE id = 500', { type: QueryTypes.SELECT });
      const { phone } = contact.open({ phoneEnc: row.phone_enc, emailEnc: null, idNumberEnc: null });
      const found = await sequelize.query<{ id: number | string }>('SELECT id FROM members WHERE phone_bidx = ?', {
        replacements: [contact.phoneIndex(phone!)],
        type: QueryTypes.SELECT,
      });
      expect(found.map((hit) => Number(hit.id))).to.deep.equal([500]);
    });

    it('reads back through the server’s model as whole members', async () => {
      const contact = new MemberContact(new FieldCipher(loadFieldKeys(dataDir, {})));
      const { Member } = defineMemberModels(sequelize);
      for (const member of await Member.findAll({ order: [['id', 'ASC']], limit: 50 })) {
        const view = memberView(member, contact);
        expect(view).to.deep.include({ custom: {}, pointsBalance: 0, storedValueBalance: 0, totalSpent: 0, tierId: null, idNumber: null });
        expect(view.phone).to.match(/^1[3-9]\d{9}$/);
        expect(view.status).to.be.oneOf(['normal', 'frozen']);
        expect(view.channel).to.be.oneOf(['counter', 'miniapp', 'poster', 'referral']);
      }
    });

    it('attaches every member to an existing store, registered while it was open', async () => {
      expect(await count('SELECT COUNT(*) AS n FROM members m LEFT JOIN stores s ON s.id = m.home_store_id WHERE s.id IS NULL')).to.equal(0);
      expect(
        await count(
          `SELECT COUNT(*) AS n FROM members m JOIN stores s ON s.id = m.home_store_id
            WHERE m.registered_at < s.created_at OR (s.status = 'closed' AND m.registered_at > s.updated_at)`,
        ),
      ).to.equal(0);
      expect(await count('SELECT COUNT(DISTINCT home_store_id) AS n FROM members')).to.equal(5);
    });

    it('gives account managers from the member’s own store and referrers who joined it earlier', async () => {
      expect(await count('SELECT COUNT(*) AS n FROM members WHERE manager_id IS NOT NULL')).to.be.within(200, 380);
      expect(
        await count(
          `SELECT COUNT(*) AS n FROM members m WHERE m.manager_id IS NOT NULL AND NOT EXISTS
             (SELECT 1 FROM user_stores us WHERE us.user_id = m.manager_id AND us.store_id = m.home_store_id)`,
        ),
      ).to.equal(0);
      expect(await count("SELECT COUNT(*) AS n FROM members WHERE channel = 'referral'")).to.be.above(0);
      expect(await count("SELECT COUNT(*) AS n FROM members WHERE (channel = 'referral') <> (referrer_id IS NOT NULL)")).to.equal(0);
      expect(
        await count(
          `SELECT COUNT(*) AS n FROM members m JOIN members r ON r.id = m.referrer_id
            WHERE r.id >= m.id OR r.home_store_id <> m.home_store_id OR r.registered_at > m.registered_at`,
        ),
      ).to.equal(0);
    });

    it('records marketing consent given at the counter when the member registered', async () => {
      expect(await count('SELECT COUNT(*) AS n FROM member_consents')).to.equal(summary.counts.member_consents);
      expect(
        await count(
          `SELECT COUNT(*) AS n FROM member_consents c LEFT JOIN members m ON m.id = c.member_id
            WHERE m.id IS NULL OR c.occurred_at <> m.registered_at OR c.source <> 'counter' OR c.granted <> 1
               OR c.channel NOT IN ('sms', 'email', 'wechat') OR (c.channel = 'email' AND m.email_enc IS NULL)`,
        ),
      ).to.equal(0);
      expect(await count('SELECT COUNT(DISTINCT member_id) AS n FROM member_consents')).to.be.within(400, 600);
    });

    it('seeds the same members for the same seed, and others for another', async () => {
      const seedElsewhere = async (seed: number, count: number) => {
        const other = await freshDatabase();
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huiji-seed-again-'));
        try {
          await seedDemo({ sequelize: other.sequelize, stores: 5, staffPerStore: 3, members: count, seed, dataDir: dir, now: NOW });
          return await memberFacts(other.sequelize, dir);
        } finally {
          await other.sequelize.close();
          await other.db.drop();
          fs.rmSync(dir, { recursive: true, force: true });
        }
      };
      const first = await memberFacts(sequelize, dataDir);
      expect(await seedElsewhere(7, MEMBERS)).to.deep.equal(first);
      const names = (facts: typeof first) => facts.slice(0, 50).map((member) => member.name);
      expect(names(await seedElsewhere(8, 50))).to.not.deep.equal(names(first));
    });

    // Last: it adds a member.
    it('leaves the next member the server registers an id and a card after the seeded ones', async () => {
      const { Member } = defineMemberModels(sequelize);
      const cardNo = formatCardNumber('8', await nextInSequence(sequelize, CARD_SEQUENCE));
      const member = await Member.create({ cardNo, homeStoreId: 1, registeredAt: new Date(), custom: '{}' } as never);
      expect(member.id).to.equal(MEMBERS + 1);
      expect(cardNo).to.equal(formatCardNumber('8', MEMBERS + 1));
    });
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
    it('seeds the named accounts with HUIJI_DEMO_PASSWORD, and members with the configured field keys and card prefix', async () => {
      const other = await createTestDatabase();
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huiji-seed-cli-'));
      const key = () => crypto.randomBytes(32).toString('base64');
      const fieldKeys = { fieldKeys: { k7: key() }, blindIndexKey: key() };
      try {
        const env = {
          HUIJI_DATABASE_URL: other.url,
          HUIJI_DATA_DIR: dir,
          HUIJI_DEMO_PASSWORD: 'Env#Demo2026',
          HUIJI_FIELD_KEYS: `k7:${fieldKeys.fieldKeys.k7}`,
          HUIJI_BLIND_INDEX_KEY: fieldKeys.blindIndexKey,
          HUIJI_MEMBERS_CARD_PREFIX: '66',
        };
        const run = await runCli('server/src/cli/seed-demo.ts', ['--yes', '--stores', '2', '--staff-per-store', '2'], env);
        expect(run.code, run.stderr).to.equal(0);
        expect(run.stdout).to.contain('Try logging in as: manager1, cashier1, auditor1, itops1, manager2, cashier2');
        expect(run.stdout).to.match(/\n {2}members +120\n/);
        expect(run.stdout).to.not.contain('field keys');
        const check = createSequelize({ url: other.url });
        try {
          // 60 members a store by default, sealed with the configured keys, carded with the configured prefix.
          const members = await check.query<MemberRow>('SELECT * FROM members ORDER BY id', { type: QueryTypes.SELECT });
          expect(members.map((row) => row.card_no)).to.deep.equal(Array.from({ length: 120 }, (_, i) => formatCardNumber('66', i + 1)));
          const contact = new MemberContact(new FieldCipher(loadFieldKeys(dir, fieldKeys)));
          expect(contact.open({ phoneEnc: members[0].phone_enc, emailEnc: null, idNumberEnc: null }).phone).to.match(/^1[3-9]\d{9}$/);
          expect(members[0].phone_enc).to.match(/^v1:k7:/);
          expect(fs.existsSync(path.join(dir, 'keys', FIELD_KEY_FILE))).to.equal(false);

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
