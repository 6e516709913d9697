import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { Sequelize } from 'sequelize';
import { loadAuditKeys, type AuditKeys } from '../../server/src/modules/audit/keys.js';
import { defineAuditModels, type AuditModels } from '../../server/src/modules/audit/models.js';
import { AuditSealer } from '../../server/src/modules/audit/sealer.js';
import { AuditService } from '../../server/src/modules/audit/service.js';
import { createSequelize } from '../../server/src/platform/db/connect.js';
import { runMigrations } from '../../server/src/platform/db/migrate.js';
import { asDba, backdatedRecords } from '../support/audit.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from '../support/database.js';

const CLI = 'server/src/cli/audit.ts';

/** A migrated database and a data dir with audit keys, as a server would leave them. */
class Trail {
  db!: TestDatabase;
  dataDir!: string;
  sequelize!: Sequelize;
  models!: AuditModels;
  keys!: AuditKeys;
  audit!: AuditService;
  sealer!: AuditSealer;

  async open(): Promise<this> {
    this.db = await createTestDatabase();
    this.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'huiji-audit-cli-'));
    this.sequelize = createSequelize({ url: this.db.url });
    await runMigrations(this.sequelize);
    this.models = defineAuditModels(this.sequelize);
    this.keys = loadAuditKeys(this.dataDir);
    this.audit = new AuditService(this.models, this.keys);
    this.sealer = new AuditSealer(this.sequelize, this.models, this.keys);
    return this;
  }

  async write(count: number, action = 'probe.write'): Promise<number[]> {
    const ids: number[] = [];
    for (let i = 0; i < count; i++) ids.push(Number((await this.audit.record({ action, summary: `${action} ${i}` })).id));
    return ids;
  }

  run(...args: string[]) {
    return runCli(CLI, args, { HUIJI_DATABASE_URL: this.db.url, HUIJI_DATA_DIR: this.dataDir });
  }

  async counts() {
    const { AuditLog, AuditChain, AuditCheckpoint } = this.models;
    return { records: await AuditLog.count(), links: await AuditChain.count(), checkpoints: await AuditCheckpoint.count() };
  }

  async close(): Promise<void> {
    await this.sequelize.close();
    await this.db.drop();
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

describe(`audit CLI (${TEST_DIALECT})`, () => {
  describe('on an intact trail', () => {
    let trail: Trail;
    before(async () => {
      trail = await new Trail().open();
      // Oldest first, as time writes them: purging removes the chain's oldest segment.
      await backdatedRecords(trail.models, trail.keys, { count: 3, daysAgo: 400, action: 'probe.old' });
      await trail.write(5);
      await trail.sealer.sealPending({ fullScan: true });
      await trail.sealer.checkpoint();
    });
    after(() => trail.close());

    it('verify --json reports every record checked, exits 0 and writes nothing', async () => {
      const before = await trail.counts();
      const run = await trail.run('verify', '--json');
      expect(run.code, run.stderr).to.equal(0);
      const result = JSON.parse(run.stdout) as { ok: boolean; checked: number; pending: number; checkpoints: number };
      expect(result).to.deep.include({ ok: true, checked: before.records, pending: 0, checkpoints: before.checkpoints });
      expect(await trail.counts()).to.deep.equal(before);
    });

    it('verify prints a summary in Chinese and English', async () => {
      const { records, checkpoints } = await trail.counts();
      const run = await trail.run('verify');
      expect(run.code).to.equal(0);
      expect(run.stdout).to.contain(`审计日志完整：已校验 ${records} 条记录、${checkpoints} 个签名检查点，0 条待封存。`);
      expect(run.stdout).to.contain(`Audit trail intact: ${records} records and ${checkpoints} signed checkpoints checked, 0 awaiting sealing.`);
    });

    it('seal seals what is pending, signs a checkpoint and prints the counts', async () => {
      await trail.write(2, 'probe.late');
      const before = await trail.counts();
      const run = await trail.run('seal');
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stdout).to.contain(`Sealed 2 records; signed a checkpoint at link ${before.records}.`);
      expect(await trail.counts()).to.deep.equal({ ...before, links: before.records, checkpoints: before.checkpoints + 1 });
    });

    it('purge refuses a retention under 180 days', async () => {
      const run = await trail.run('purge', '--retention-days', '90');
      expect(run.code).to.equal(2);
      expect(run.stderr).to.contain('at least 180');
      expect(await trail.models.AuditLog.count({ where: { action: 'probe.old' } })).to.equal(3);
    });

    it('purge deletes records past retention, records that it did, and the trail still verifies', async () => {
      const run = await trail.run('purge', '--retention-days', '365');
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stdout).to.contain('Purged 3 audit records older than 365 days.');
      expect(await trail.models.AuditLog.count({ where: { action: 'probe.old' } })).to.equal(0);
      const record = await trail.models.AuditLog.findOne({ where: { action: 'audit.purge' } });
      expect(record).to.deep.include({ actorType: 'system', summary: '清理超过 365 天的审计记录 3 条' });
      const verify = await trail.run('verify', '--json');
      expect(verify.code, verify.stdout).to.equal(0);
      expect(JSON.parse(verify.stdout)).to.include({ ok: true, pending: 0 });
    });
  });

  describe('on a tampered trail', () => {
    let trail: Trail;
    let ids: number[];
    before(async () => {
      trail = await new Trail().open();
      ids = await trail.write(5);
      await trail.sealer.sealPending({ fullScan: true });
      await trail.sealer.checkpoint();
      await asDba(trail.sequelize, 'audit_logs', 'update', "UPDATE audit_logs SET summary = 'nothing happened' WHERE id = ?", [ids[2]]);
    });
    after(() => trail.close());

    it('verify --json exits 4 and names the first bad record', async () => {
      const run = await trail.run('verify', '--json');
      expect(run.code, run.stderr).to.equal(4);
      expect(JSON.parse(run.stdout)).to.deep.include({
        ok: false,
        firstBad: {
          id: ids[2],
          code: 'RECORD_ALTERED',
          reason: `record ${ids[2]} was altered after it was written`,
          message: `记录 ${ids[2]} 写入后被修改`,
        },
      });
    });

    it('verify says where the trail broke, in both languages', async () => {
      const run = await trail.run('verify');
      expect(run.code).to.equal(4);
      expect(run.stdout).to.contain(`审计日志被篡改：首个异常在记录 ${ids[2]}`);
      expect(run.stdout).to.contain(`Audit trail broken at record ${ids[2]}: record ${ids[2]} was altered after it was written`);
    });
  });

  describe('misconfigured', () => {
    it('exits 2 with the configuration error', async () => {
      const run = await runCli(CLI, ['verify'], { HUIJI_DATABASE_URL: 'postgres://nowhere/db' });
      expect(run.code).to.equal(2);
      expect(run.stderr).to.match(/^Configuration error: HUIJI_DATABASE_URL="postgres:\/\/nowhere\/db" is invalid/);
    });

    it('exits 2 without the server’s keys rather than making new ones', async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'huiji-audit-nokeys-'));
      try {
        const run = await runCli(CLI, ['verify'], { HUIJI_DATABASE_URL: `sqlite:${path.join(dataDir, 'db.sqlite')}`, HUIJI_DATA_DIR: dataDir });
        expect(run.code).to.equal(2);
        expect(run.stderr).to.contain('no audit keys at');
        expect(fs.existsSync(path.join(dataDir, 'keys'))).to.equal(false);
      } finally {
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
});
