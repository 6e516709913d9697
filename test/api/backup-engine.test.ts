import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { MEMBER_ENCRYPTED_COLUMNS } from '../../server/src/modules/members/contact.js';
import {
  BackupError,
  checkBackupStructure,
  createBackup,
  generateBackupKeyPair,
  readBackupHeader,
  readVerification,
  restoreBackup,
  tableSums,
  verifyBackup,
  type CreatedBackup,
} from '../../server/src/platform/backup/index.js';
import { closeMysql, openMysql } from '../../server/src/platform/backup/mysql-dump.js';
import { loadConfig } from '../../server/src/platform/config/load.js';
import { createSequelize } from '../../server/src/platform/db/connect.js';
import { seedAccessFixture, type AccessFixture } from '../support/access.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { allowAnyBonus, auth, checkout, topUp } from '../support/checkout.js';
import { MYSQL_ADMIN_URL, TEST_DIALECT, createTestDatabase, type TestDatabase } from '../support/database.js';
import { assertAllPointsInvariants, assertAllWalletInvariants } from '../support/ledger-invariants.js';

const expectBackupError = async (work: Promise<unknown>, exitCode: number) => {
  try {
    await work;
  } catch (error) {
    expect(error, String(error)).to.be.instanceOf(BackupError);
    expect((error as BackupError).exitCode, (error as Error).message).to.equal(exitCode);
    return error as BackupError;
  }
  throw new Error(`expected a BackupError with exit code ${exitCode}`);
};

/**
 * The backup engine end to end on the real app: a backup taken while 16 tills keep selling
 * is consistent (its manifest matches a restore table by table, and the ledgers add up),
 * and a damaged file, a cut file or the wrong key are refused before anything changes.
 */
describe(`encrypted backups (${TEST_DIALECT})`, function () {
  this.timeout(300_000);
  let test: TestApp;
  let f: AccessFixture;
  let backup: CreatedBackup;
  let work: string;
  const keys = generateBackupKeyPair(3072);
  const otherKeys = generateBackupKeyPair(3072);
  const scratchUrl = MYSQL_ADMIN_URL;
  const memberIds: number[] = [];

  before(async () => {
    test = await startTestApp({ jobs: 'off' });
    f = await seedAccessFixture(test);
    await allowAnyBonus(test, f.tokens.root);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'huiji-backup-'));
    for (let i = 0; i < 16; i++) {
      const res = await test.http().post('/api/v1/members').set(auth(f.tokens.root)).send({ name: `备份${i}`, phone: `1370000${String(i).padStart(4, '0')}`, homeStoreId: f.stores.s1.id });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      memberIds.push(res.body.id as number);
      await topUp(test, f.tokens.root, res.body.id as number, 100_000, 10_000);
    }
    fs.mkdirSync(path.join(test.dataDir, 'exports'), { recursive: true });
    fs.writeFileSync(path.join(test.dataDir, 'exports', 'members.xlsx'), Buffer.alloc(300_000, 7));
  });
  after(async () => {
    await test.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('takes a consistent backup while 16 tills keep writing orders', async () => {
    let stop = false;
    let written = 0;
    const till = async (memberId: number) => {
      while (!stop) {
        const res = await checkout(test, f.tokens.cashier1, {
          memberId,
          storeId: f.stores.s1.id,
          items: [{ sku: 'T', name: '茶', quantity: 1, unitPrice: 300 }],
          payments: [{ method: 'wallet', amount: 200 }, { method: 'cash', amount: 100 }],
        });
        expect(res.status, JSON.stringify(res.body)).to.equal(201);
        written += 1;
      }
    };
    const ordersNow = async () => Number(((await test.ctx.sequelize.query('SELECT COUNT(*) AS n FROM orders', { plain: true })) as { n: number }).n);
    const tills = memberIds.map((id) => till(id));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const atStart = await ordersNow();
    const writtenAtStart = written;
    backup = await createBackup({ config: test.ctx.config, publicKeyPem: keys.publicKeyPem, out: path.join(work, 'huiji-test.hjbak') });
    const writtenDuring = written - writtenAtStart;
    const atEnd = await ordersNow();
    stop = true;
    await Promise.all(tills);
    expect(writtenDuring, 'orders completed while the backup ran').to.be.greaterThan(0);
    const orders = backup.manifest.tables.find((table) => table.name === 'orders');
    expect(orders?.rows, 'orders in the backup: one moment between its start and its end').to.be.within(atStart, atEnd);
    expect((fs.statSync(backup.file).mode & 0o777).toString(8)).to.equal('600');
    expect((fs.statSync(backup.keyFile).mode & 0o777).toString(8)).to.equal('600');
    expect(backup.manifest.dataFiles).to.deep.include({ path: 'exports/members.xlsx', bytes: 300_000 });
    expect(backup.manifest.dataFiles.some((file) => file.path.startsWith('keys'))).to.equal(false);
    const header = await readBackupHeader(backup.file);
    expect(header).to.include({ kind: 'backup', dialect: TEST_DIALECT, keyFingerprint: keys.fingerprint });
    expect(await checkBackupStructure(backup.file)).to.include({ ok: true });
    // Nothing readable without the key: neither the phone numbers nor the table names.
    const raw = fs.readFileSync(backup.file);
    expect(raw.includes(Buffer.from('point_ledger'))).to.equal(false);
    expect(raw.includes(Buffer.from('13700000001'))).to.equal(false);
  });

  it('verifies: every chunk, a scratch restore whose checksums equal the manifest, the secrets', async () => {
    const report = await verifyBackup({ file: backup.file, privateKeyPem: keys.privateKeyPem, scratchUrl, encryptedColumns: MEMBER_ENCRYPTED_COLUMNS });
    expect(report.ok, JSON.stringify(report.mismatches)).to.equal(true);
    expect(report.tables).to.equal(backup.manifest.tables.length);
    expect(report.keys).to.equal('ok');
    expect(report.decryption?.checked).to.be.greaterThan(15);
    expect(report.decryption?.failed).to.equal(0);
    expect(report.dataFiles).to.include({ count: 1, bytes: 300_000 });
    expect((await readVerification(backup.file))?.ok).to.equal(true);
  });

  it('restores into a new database: tables equal the manifest and the ledgers add up', async () => {
    const target: TestDatabase = await createTestDatabase();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'huiji-restored-'));
    try {
      const config = loadConfig({ cwd: dataDir, env: { HUIJI_DATA_DIR: dataDir, HUIJI_DATABASE_URL: target.url } });
      const report = await restoreBackup({ config, configFile: null, file: backup.file, privateKeyPem: keys.privateKeyPem, encryptedColumns: MEMBER_ENCRYPTED_COLUMNS });
      expect(report.tables).to.equal(backup.manifest.tables.length);
      expect(report.decryption.failed).to.equal(0);
      expect(report.dataFiles).to.equal(1);
      expect(fs.readFileSync(path.join(dataDir, 'exports', 'members.xlsx')).length).to.equal(300_000);
      expect(fs.existsSync(path.join(dataDir, 'keys', 'field-keys.json'))).to.equal(true);
      const restored = createSequelize({ url: target.url });
      try {
        await assertAllWalletInvariants(restored);
        await assertAllPointsInvariants(restored);
        // The audit tables' append-only guards are code, put back after the restore.
        const triggers = await restored.query<{ name: string }>(
          TEST_DIALECT === 'mysql'
            ? 'SELECT TRIGGER_NAME AS name FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()'
            : "SELECT name FROM sqlite_master WHERE type = 'trigger'",
          { type: QueryTypes.SELECT },
        );
        expect(triggers.map((row) => row.name).sort()).to.deep.equal(
          ['audit_chain', 'audit_checkpoints', 'audit_logs'].flatMap((table) => [`${table}_no_delete`, `${table}_no_update`]),
        );
      } finally {
        await restored.close();
      }
      if (TEST_DIALECT === 'mysql') {
        const connection = await openMysql(target.url);
        try {
          const sums = await tableSums({ dialect: 'mysql', connection });
          expect(sums).to.deep.equal(backup.manifest.tables);
        } finally {
          await closeMysql(connection);
        }
      }
    } finally {
      await target.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  describe('refusals', () => {
    let target: TestDatabase;
    let dataDir: string;
    let config: ReturnType<typeof loadConfig>;
    const damaged = (name: string, change: (bytes: Buffer) => Buffer) => {
      const file = path.join(work, `${name}.hjbak`);
      fs.writeFileSync(file, change(fs.readFileSync(backup.file)));
      fs.copyFileSync(backup.keyFile, path.join(work, `${name}.hjkey`));
      return file;
    };
    const targetTables = async () => {
      const restored = createSequelize({ url: target.url });
      try {
        return (await restored.getQueryInterface().showAllTables()).length;
      } finally {
        await restored.close();
      }
    };

    before(async () => {
      target = await createTestDatabase();
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'huiji-refused-'));
      config = loadConfig({ cwd: dataDir, env: { HUIJI_DATA_DIR: dataDir, HUIJI_DATABASE_URL: target.url } });
    });
    after(async () => {
      await target.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    for (const [label, offsetOf] of [
      ['in the header', () => 40],
      ['in the middle', (size: number) => Math.floor(size / 2)],
      ['in the last chunk tag', (size: number) => size - 3],
    ] as const) {
      it(`refuses a backup with one flipped byte ${label} (exit 3), restoring nothing`, async () => {
        const file = damaged(`flip-${label.replace(/ /g, '-')}`, (bytes) => {
          const copy = Buffer.from(bytes);
          copy[offsetOf(copy.length)] ^= 0x01;
          return copy;
        });
        await expectBackupError(verifyBackup({ file, privateKeyPem: keys.privateKeyPem, scratchUrl }), 3);
        await expectBackupError(restoreBackup({ config, configFile: null, file, privateKeyPem: keys.privateKeyPem, encryptedColumns: MEMBER_ENCRYPTED_COLUMNS }), 3);
        expect(await targetTables()).to.equal(0);
      });
    }

    it('refuses a truncated backup (exit 3), restoring nothing', async () => {
      for (const keep of [0.5, 0.999]) {
        const file = damaged(`cut-${keep}`, (bytes) => bytes.subarray(0, Math.floor(bytes.length * keep)));
        expect((await checkBackupStructure(file)).ok).to.equal(false);
        await expectBackupError(verifyBackup({ file, privateKeyPem: keys.privateKeyPem, scratchUrl }), 3);
        await expectBackupError(restoreBackup({ config, configFile: null, file, privateKeyPem: keys.privateKeyPem, encryptedColumns: MEMBER_ENCRYPTED_COLUMNS }), 3);
      }
      expect(await targetTables()).to.equal(0);
    });

    it('refuses the wrong private key (exit 4), restoring nothing', async () => {
      const error = await expectBackupError(verifyBackup({ file: backup.file, privateKeyPem: otherKeys.privateKeyPem, scratchUrl }), 4);
      expect(error.message).to.contain(keys.fingerprint);
      await expectBackupError(restoreBackup({ config, configFile: null, file: backup.file, privateKeyPem: otherKeys.privateKeyPem, encryptedColumns: MEMBER_ENCRYPTED_COLUMNS }), 4);
      expect(await targetTables()).to.equal(0);
    });

    it('refuses a restore without the .hjkey secrets file (exit 5)', async () => {
      const file = path.join(work, 'no-keys.hjbak');
      fs.copyFileSync(backup.file, file);
      await expectBackupError(restoreBackup({ config, configFile: null, file, privateKeyPem: keys.privateKeyPem, encryptedColumns: MEMBER_ENCRYPTED_COLUMNS }), 5);
      expect(await targetTables()).to.equal(0);
    });
  });
});

describe('MySQL dump of unusual columns', function () {
  this.timeout(60_000);
  if (TEST_DIALECT !== 'mysql') return;

  it('dumps generated, binary, JSON-like and zero-valued columns so they load back identical', async () => {
    const source = await createTestDatabase();
    const copy = await createTestDatabase();
    try {
      const a = await openMysql(source.url);
      const b = await openMysql(copy.url);
      try {
        const { run } = await import('../../server/src/platform/backup/mysql-dump.js');
        await run(a, `CREATE TABLE odd (id INT AUTO_INCREMENT PRIMARY KEY, price BIGINT NOT NULL, qty INT NOT NULL,
          total BIGINT AS (price * qty) STORED, half BIGINT AS (price DIV 2) VIRTUAL, raw VARBINARY(64), doc LONGTEXT,
          at DATETIME(3), note VARCHAR(200), created TIMESTAMP DEFAULT CURRENT_TIMESTAMP)`);
        await run(a, "SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_AUTO_VALUE_ON_ZERO')");
        await run(a, `INSERT INTO odd (id, price, qty, raw, doc, at, note) VALUES (0, 5, 2, X'00FF0A0D27225C1A', '{"a":"引号\\\\"和\\\\n换行"}', '2026-11-24 09:00:00.123', 'it''s \\\\ 中文'), (7, 100, 3, NULL, NULL, NULL, '')`);
        const sums: Awaited<ReturnType<typeof tableSums>> = [];
        const { dumpMysqlTables, PREAMBLE } = await import('../../server/src/platform/backup/mysql-dump.js');
        const { loadMysqlStatements } = await import('../../server/src/platform/backup/mysql-load.js');
        const statements: Buffer[] = PREAMBLE.map((text) => Buffer.from(text));
        for await (const statement of dumpMysqlTables(a, sums)) statements.push(statement);
        await loadMysqlStatements(b, (async function* () {
          yield* statements;
        })());
        expect(await tableSums({ dialect: 'mysql', connection: b })).to.deep.equal(sums);
        const [row] = await run<{ id: number; total: number; raw: Buffer }[]>(b, 'SELECT id, total, raw FROM odd ORDER BY id LIMIT 1');
        expect(row.id).to.equal(0);
        expect(Number(row.total)).to.equal(10);
        expect(Buffer.from(row.raw).toString('hex')).to.equal('00ff0a0d27225c1a');
      } finally {
        await closeMysql(a);
        await closeMysql(b);
      }
    } finally {
      await source.drop();
      await copy.drop();
    }
  });
});
