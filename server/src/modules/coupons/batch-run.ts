import type { Sequelize, Transaction } from 'sequelize';
import { withTransaction } from '../../platform/db/transaction.js';
import { execute, insertRows, selectRows } from '../../platform/db/raw-sql.js';
import { uniqueConflictOn } from '../../platform/db/unique-conflict.js';
import type { Principal } from '../../platform/http/route.js';
import type { AuditService } from '../audit/service.js';
import type { MemberService } from '../members/service.js';
import { planChunk, type Budget, type ChunkMember, type ChunkPlan } from './batch-plan.js';
import { noSkips, type BatchTargets, type IssuableTarget, type SkipCounts, type SkipReason } from './batch-targets.js';
import { generateCodes } from './codes.js';
import type { BatchRecord, CouponModels, TemplateRecord } from './models.js';
import { businessDay, couponWindow } from './validity.js';
import { HELD_STATUSES, couponRow } from './issuing.js';

/** Members per chunk: one transaction, one stock reservation, one audit record each. */
export const BATCH_CHUNK = 1000;
/** Rows per INSERT statement, well under both databases' limits on bound parameters. */
const ROWS_PER_INSERT = 500;
/** The coupon statuses a per-member limit counts (as IssuingService counts them): a voided coupon was taken back. */

/** matched = issuable + skipped for frozen, perMember, daily, stock and inactive; the other reasons were never matched. */
export interface BatchTally {
  matched: number;
  /** Members who receive (or already received) coupons of the batch. */
  issuable: number;
  /** Coupons of the batch: issued (by this run or an interrupted one before it), or that would be. */
  coupons: number;
  skipped: SkipCounts;
}

export interface BatchRunHooks {
  /** After each chunk commits: members gone through so far. */
  progress(done: number, tally: BatchTally): Promise<void>;
  /** Each value or member that got nothing, for the result file. */
  skipped(label: string, reason: SkipReason): void;
}

const UNMATCHED = new Set<SkipReason>(['notFound', 'invalid', 'duplicate', 'outOfScope']);

export interface BatchRunDeps {
  sequelize: Sequelize;
  models: CouponModels;
  members: MemberService;
  targets: BatchTargets;
  audit: AuditService;
  businessTimezone: string;
}

/**
 * Issues a template to every member of a target, a chunk at a time. The preview runs the
 * same chunks and the same plan without writing, so its counts are what the run does when
 * nothing changes in between. A run may be repeated (the job is retried after a crash):
 * coupons carry source `batch`, the batch id and a per-member sequence under a unique key,
 * and each chunk first reads what the batch already gave, so a repeat issues only what is
 * missing.
 */
export class BatchRun {
  constructor(private readonly deps: BatchRunDeps) {}

  async preview(principal: Principal, template: TemplateRecord, target: IssuableTarget, count: number, now = new Date()): Promise<BatchTally> {
    const tally = newTally();
    const budget: Budget = { stock: stockLeft(template), daily: dailyLeft(template, await this.issuedOn(template.id, businessDay(now, this.deps.businessTimezone))) };
    const rules = { count, perMemberLimit: template.perMemberLimit, active: this.isActive(template, now) };
    for await (const chunk of this.deps.targets.chunks(principal, target, BATCH_CHUNK)) {
      for (const { reason } of chunk.skipped) countSkip(tally, reason);
      const facts = await this.facts(template, chunk.members, null, undefined);
      this.add(tally, planChunk(chunk.members, rules, facts, budget), chunk.members.length);
    }
    return tally;
  }

  async run(principal: Principal, batch: BatchRecord, target: IssuableTarget, count: number, hooks: BatchRunHooks): Promise<BatchTally> {
    const tally = newTally();
    let done = 0;
    let chunkNo = 0;
    for await (const chunk of this.deps.targets.chunks(principal, target, BATCH_CHUNK)) {
      chunkNo += 1;
      for (const { label, reason } of chunk.skipped) {
        countSkip(tally, reason);
        hooks.skipped(label, reason);
      }
      const plan = await this.issueChunk(principal, batch, chunk.members, count, chunkNo, tally);
      for (const { label, reason } of plan.skipped) hooks.skipped(label, reason);
      done += chunk.members.length + chunk.skipped.length;
      await hooks.progress(done, tally);
    }
    return tally;
  }

  /** One chunk in one transaction; lock order as IssuingService: members, then the template, then the day's count. */
  private async issueChunk(principal: Principal, batch: BatchRecord, members: ChunkMember[], count: number, chunkNo: number, tally: BatchTally): Promise<ChunkPlan> {
    const { sequelize, models } = this.deps;
    const unlocked = await models.CouponTemplate.findByPk(batch.templateId);
    return withTransaction(sequelize, async (t) => {
      const ids = members.map((member) => member.id);
      // Only a limit needs the members' rows: a single issue counts under the same lock.
      if (unlocked!.perMemberLimit !== null) await this.deps.members.lockForBulk(ids, t);
      const facts = await this.facts(unlocked!, members, String(batch.id), t);
      const template = (await models.CouponTemplate.findByPk(batch.templateId, { transaction: t, lock: t.LOCK.UPDATE }))!;
      const now = new Date();
      const day = businessDay(now, this.deps.businessTimezone);
      const ignore = sequelize.getDialect() === 'mysql' ? 'INSERT IGNORE' : 'INSERT OR IGNORE';
      await execute(sequelize, `${ignore} INTO coupon_daily_counts (template_id, day, issued) VALUES ($1, $2, 0)`, [template.id, day], t);
      const budget: Budget = { stock: stockLeft(template), daily: dailyLeft(template, await this.issuedOn(template.id, day, t)) };
      const plan = planChunk(members, { count, perMemberLimit: template.perMemberLimit, active: this.isActive(template, now) }, facts, budget);
      const n = plan.rows.length;
      if (n > 0) {
        await execute(sequelize, 'UPDATE coupon_templates SET issued_count = issued_count + $1 WHERE id = $2', [n, template.id], t);
        await execute(sequelize, 'UPDATE coupon_daily_counts SET issued = issued + $1 WHERE template_id = $2 AND day = $3', [n, template.id, day], t);
        const couponIds = await this.insertCoupons(template, batch, plan.rows, principal, now, t);
        await this.insertEvents(couponIds, batch, now, t);
        const memberIds = [...new Set(plan.rows.map((row) => row.memberId))];
        await this.deps.audit.record(
          {
            action: 'coupon.batch_issue',
            entityType: 'coupon_batch',
            entityId: batch.id,
            summary: `批量发券 #${batch.id}「${template.name}」第 ${chunkNo} 组：向 ${memberIds.length} 位会员发放 ${n} 张`,
            diff: { templateId: template.id, chunk: chunkNo, coupons: n, memberIds },
          },
          { transaction: t },
        );
      }
      this.add(tally, plan, members.length);
      await models.CouponBatch.update({ status: 'running', matched: tally.matched, issued: tally.coupons, skipped: JSON.stringify(tally.skipped) }, { where: { id: batch.id }, transaction: t });
      return plan;
    });
  }

  /** What the batch already gave each member, and what each holds against the limit: one grouped read each. */
  private async facts(template: TemplateRecord, members: readonly ChunkMember[], batchRef: string | null, t: Transaction | undefined) {
    const have = new Map<number, Set<number>>();
    const held = new Map<number, number>();
    if (members.length === 0) return { have, held };
    const ids = members.map((member) => member.id);
    const marks = ids.map((_, i) => `$${i + 2}`).join(',');
    if (batchRef !== null) {
      const rows = await selectRows<{ member_id: number; source_seq: number }>(
        this.deps.sequelize,
        `SELECT member_id, source_seq FROM coupons WHERE template_id = $1 AND member_id IN (${marks}) AND source = 'batch' AND source_ref = $${ids.length + 2}`,
        [template.id, ...ids, batchRef],
        t,
      );
      for (const row of rows) {
        const id = Number(row.member_id);
        if (!have.has(id)) have.set(id, new Set());
        have.get(id)!.add(Number(row.source_seq));
      }
    }
    if (template.perMemberLimit !== null) {
      const rows = await selectRows<{ member_id: number; n: number }>(
        this.deps.sequelize,
        // A locking read, as the single issue's count: a plain one could read a snapshot older than the member locks.
        `SELECT member_id, COUNT(*) AS n FROM coupons WHERE template_id = $1 AND member_id IN (${marks}) AND status IN (${HELD_STATUSES.map((status) => `'${status}'`).join(',')}) GROUP BY member_id${this.deps.sequelize.getDialect() === 'mysql' ? ' FOR UPDATE' : ''}`,
        [template.id, ...ids],
        t,
      );
      for (const row of rows) held.set(Number(row.member_id), Number(row.n));
    }
    return { have, held };
  }

  /** Bulk inserts, a few hundred rows a statement; a code that is taken (odds about 2^-54) is drawn again for its rows. */
  private async insertCoupons(template: TemplateRecord, batch: BatchRecord, rows: ChunkPlan['rows'], principal: Principal, now: Date, t: Transaction): Promise<number[]> {
    const { sequelize } = this.deps;
    const window = couponWindow(template, now, this.deps.businessTimezone);
    const storeId = principal.storeScope?.length === 1 ? principal.storeScope[0] : null;
    const ids: number[] = [];
    for (let from = 0; from < rows.length; from += ROWS_PER_INSERT) {
      const part = rows.slice(from, from + ROWS_PER_INSERT);
      let codes = generateCodes(part.length);
      for (let attempt = 1; ; attempt += 1) {
        const values = part.map((row, i) =>
          couponRow(template, window, { memberId: row.memberId, code: codes[i], source: 'batch', sourceRef: String(batch.id), sourceSeq: row.seq, issuedBy: batch.createdBy, storeId }, now),
        );
        try {
          await insertRows(sequelize, 'coupons', values, t);
          break;
        } catch (error) {
          if (attempt >= 3 || !uniqueConflictOn(error, 'code') || uniqueConflictOn(error, 'source_ref', 'coupons_template_member_source')) throw error;
          codes = await this.redrawTaken(codes, t);
        }
      }
      const found = await selectRows<{ id: number }>(sequelize, `SELECT id FROM coupons WHERE code IN (${codes.map((_, i) => `$${i + 1}`).join(',')})`, codes, t);
      ids.push(...found.map((row) => Number(row.id)));
    }
    return ids;
  }

  /** The same codes, those already in the table replaced by fresh ones. */
  private async redrawTaken(codes: string[], t: Transaction): Promise<string[]> {
    const taken = new Set(
      (await selectRows<{ code: string }>(this.deps.sequelize, `SELECT code FROM coupons WHERE code IN (${codes.map((_, i) => `$${i + 1}`).join(',')})`, codes, t)).map((row) => row.code),
    );
    const fresh = generateCodes(taken.size).filter((code) => !codes.includes(code));
    return codes.map((code) => (taken.has(code) ? (fresh.pop() ?? generateCodes(1)[0]) : code));
  }

  private async insertEvents(couponIds: number[], batch: BatchRecord, now: Date, t: Transaction): Promise<void> {
    for (let from = 0; from < couponIds.length; from += ROWS_PER_INSERT) {
      const rows = couponIds.slice(from, from + ROWS_PER_INSERT).map((id) => ({ coupon_id: id, type: 'issued', order_id: null, refund_id: null, operator_id: batch.createdBy, reason: `批量发券 #${batch.id}`, at: now }));
      await insertRows(this.deps.sequelize, 'coupon_events', rows, t);
    }
  }

  private async issuedOn(templateId: number, day: string, t?: Transaction): Promise<number> {
    const lock = t && this.deps.sequelize.getDialect() === 'mysql' ? ' FOR UPDATE' : '';
    const [row] = await selectRows<{ issued: number }>(this.deps.sequelize, `SELECT issued FROM coupon_daily_counts WHERE template_id = $1 AND day = $2${lock}`, [templateId, day], t);
    return Number(row?.issued ?? 0);
  }

  private isActive(template: TemplateRecord, now: Date): boolean {
    return template.status === 'active' && couponWindow(template, now, this.deps.businessTimezone).validUntil >= now;
  }

  private add(tally: BatchTally, plan: ChunkPlan, members: number): void {
    tally.matched += members;
    tally.issuable += plan.served;
    tally.coupons += plan.before + plan.rows.length;
    for (const { reason } of plan.skipped) tally.skipped[reason] += 1;
  }
}

const newTally = (): BatchTally => ({ matched: 0, issuable: 0, coupons: 0, skipped: noSkips() });

/** A frozen member was matched by the target and then passed over; a value naming nobody never was. */
function countSkip(tally: BatchTally, reason: SkipReason): void {
  tally.skipped[reason] += 1;
  if (!UNMATCHED.has(reason)) tally.matched += 1;
}

const stockLeft = (template: TemplateRecord) => (template.stock === null ? Infinity : Math.max(0, template.stock - template.issuedCount));
const dailyLeft = (template: TemplateRecord, issuedToday: number) => (template.perDayLimit === null ? Infinity : Math.max(0, template.perDayLimit - issuedToday));
