import { Op, QueryTypes, UniqueConstraintError, type Sequelize } from 'sequelize';
import { AUDIT_PURGE_PROCEDURE } from '../../migrations/routines/audit-purge.js';
import { withTransaction } from '../../platform/db/transaction.js';
import type { AuditKeys } from './keys.js';
import { GENESIS_HASH, chainHash, checkpointPayload } from './integrity.js';
import type { AuditModels } from './models.js';

const BATCH = 2000;
/** Records commit out of id order; look this far behind the newest sealed one for stragglers. */
const STRAGGLER_WINDOW_MS = 15 * 60_000;

/**
 * Seals committed audit records into a hash chain after the fact, so writers never wait
 * on a global lock: each pass appends links in the order it finds records. Two sealers
 * racing (two nodes) collide on the chain's primary key; the loser's pass rolls back and
 * the next one continues from the winner's tail.
 */
export class AuditSealer {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly models: AuditModels,
    private readonly keys: AuditKeys,
  ) {}

  /** Seals every committed, unsealed record; returns how many. */
  async sealPending(options: { fullScan?: boolean } = {}): Promise<number> {
    let total = 0;
    for (;;) {
      let sealed: number;
      try {
        sealed = await this.sealBatch(options.fullScan ?? false);
      } catch (error) {
        if (error instanceof UniqueConstraintError) return total;
        throw error;
      }
      total += sealed;
      if (sealed < BATCH) return total;
    }
  }

  private async sealBatch(fullScan: boolean): Promise<number> {
    const { AuditChain } = this.models;
    return withTransaction(this.sequelize, async (transaction) => {
      const tail = await AuditChain.findOne({ order: [['seq', 'DESC']], transaction });
      let since: Date | null = null;
      if (tail && !fullScan) {
        const last = await this.models.AuditLog.findByPk(tail.recordId, { attributes: ['occurredAt'], transaction });
        since = last ? new Date(last.occurredAt.getTime() - STRAGGLER_WINDOW_MS) : null;
      }
      const rows = await this.sequelize.query<{ id: number; mac: string }>(
        `SELECT a.id AS id, a.mac AS mac FROM audit_logs a
         LEFT JOIN audit_chain c ON c.record_id = a.id
         WHERE c.record_id IS NULL ${since ? 'AND a.occurred_at >= :since' : ''}
         ORDER BY a.id LIMIT ${BATCH}`,
        { type: QueryTypes.SELECT, replacements: since ? { since } : {}, transaction },
      );
      if (rows.length === 0) return 0;
      let seq = tail ? Number(tail.seq) : 0;
      let prev = tail?.hash ?? GENESIS_HASH;
      const now = new Date();
      const links = rows.map((row) => {
        seq += 1;
        const link = { seq, recordId: Number(row.id), prevHash: prev, hash: chainHash(prev, seq, Number(row.id), row.mac), sealedAt: now };
        prev = link.hash;
        return link;
      });
      await AuditChain.bulkCreate(links, { transaction });
      return links.length;
    });
  }

  /** Signs the chain's current tail; made even when nothing happened, so silence shows as a signed empty period. */
  async checkpoint(kind: 'periodic' | 'purge' = 'periodic', purgedBefore: Date | null = null): Promise<void> {
    await withTransaction(this.sequelize, async (transaction) => {
      const tail = await this.models.AuditChain.findOne({ order: [['seq', 'DESC']], transaction });
      const fields = {
        kind,
        seqTo: tail ? Number(tail.seq) : 0,
        chainHash: tail?.hash ?? GENESIS_HASH,
        purgedBefore,
        createdAt: new Date(),
      };
      const signature = this.keys.signer.sign(Buffer.from(checkpointPayload(fields)), 'base64') as string;
      await this.models.AuditCheckpoint.create({ ...fields, keyId: this.keys.signingKeyId, signature }, { transaction });
    });
  }

  /**
   * Deletes the chain's oldest segment whose records are past retention, with those
   * records, after signing a checkpoint at the segment's end that verification starts from.
   */
  async purge(retentionDays: number): Promise<number> {
    const cutoff = new Date(Date.now() - retentionDays * 86_400_000);
    await this.sealPending({ fullScan: true });
    return withTransaction(this.sequelize, async (transaction) => {
      const [end] = await this.sequelize.query<{ seq: number; hash: string }>(
        `SELECT c.seq AS seq, c.hash AS hash FROM audit_chain c JOIN audit_logs a ON a.id = c.record_id
         WHERE a.occurred_at < :cutoff ORDER BY c.seq DESC LIMIT 1`,
        { type: QueryTypes.SELECT, replacements: { cutoff }, transaction },
      );
      if (!end) return 0;
      const seqTo = Number(end.seq);
      const fields = { kind: 'purge' as const, seqTo, chainHash: end.hash, purgedBefore: cutoff, createdAt: new Date() };
      const signature = this.keys.signer.sign(Buffer.from(checkpointPayload(fields)), 'base64') as string;
      await this.models.AuditCheckpoint.create({ ...fields, keyId: this.keys.signingKeyId, signature }, { transaction });
      const segment = await this.models.AuditChain.findAll({ where: { seq: { [Op.lte]: seqTo } }, attributes: ['recordId'], transaction });
      if (this.sequelize.getDialect() === 'mysql') {
        // The app's account cannot delete audit records itself; the procedure checks the age and the checkpoint.
        await this.sequelize.query(`CALL ${AUDIT_PURGE_PROCEDURE}(?)`, { replacements: [seqTo], transaction });
        return segment.length;
      }
      await this.models.AuditChain.destroy({ where: { seq: { [Op.lte]: seqTo } }, transaction });
      let deleted = 0;
      for (let i = 0; i < segment.length; i += 1000) {
        const ids = segment.slice(i, i + 1000).map((link) => link.recordId);
        deleted += await this.models.AuditLog.destroy({ where: { id: ids }, transaction });
      }
      return deleted;
    });
  }
}
