import { Op, type Sequelize, type WhereOptions } from 'sequelize';
import { withTransaction } from '../../platform/db/transaction.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { Locale } from '../../platform/http/request-context.js';
import type { Principal } from '../../platform/http/route.js';
import { isFullPhone, normalisePhone } from '../access/field-policy/formats.js';
import type { AuditService } from '../audit/service.js';
import type { DomainEvents } from '../events/outbox.js';
import type { TaskService } from '../jobs/task-service.js';
import type { MemberListInput, MemberService } from '../members/service.js';
import type { BatchInput } from './batch-schemas.js';
import { assertIssuableTarget, type IssuableTarget, type SkipCounts } from './batch-targets.js';
import { BatchRun, type BatchRunHooks, type BatchTally } from './batch-run.js';
import type { BatchRecord, CouponModels, TemplateRecord, TemplateStatus } from './models.js';
import { STATUS_LABELS } from './template-checks.js';
import type { TemplateService } from './templates.js';
import { businessDay, couponWindow } from './validity.js';

export const BATCH_JOB = 'coupons.batch-issue';

export interface BatchJobInput {
  batchId: number;
  userId: number;
  locale: Locale;
  /** Ids, values or filtered members planned when queued: the scale of the progress bar. */
  planned: number;
}

/** What the batch row keeps in `target`: the target and the coupons per member, so a retry runs the same batch. */
interface StoredTarget {
  target: IssuableTarget;
  count: number;
}

export interface BatchDeps {
  sequelize: Sequelize;
  models: CouponModels;
  templates: TemplateService;
  members: MemberService;
  run: BatchRun;
  tasks: TaskService;
  audit: AuditService;
  events: DomainEvents;
  businessTimezone: string;
}

const TARGET_WORDS = { members: '选定会员', filter: '会员筛选', list: '手机号/卡号名单' } as const;

/**
 * Batch issues (批量发券): a preview count first, then a background job with progress
 * (the member import's kind of task) that issues chunk by chunk and leaves a file of
 * whoever got nothing and why. A caller limited to some stores sees only the batches
 * they started; the job acts with their permissions and scope, read again when it runs.
 */
export class CouponBatches {
  constructor(private readonly deps: BatchDeps) {}

  async preview(principal: Principal, input: BatchInput): Promise<BatchTally> {
    assertIssuableTarget(input.target);
    const template = await this.issuableTemplate(input.templateId);
    return this.deps.run.preview(principal, template, input.target, input.count);
  }

  async submit(principal: Principal, input: BatchInput, locale: Locale) {
    const { target, count } = input;
    assertIssuableTarget(target);
    const template = await this.issuableTemplate(input.templateId);
    const planned = target.type === 'members' ? target.ids.length : target.type === 'list' ? target.values.length : await this.deps.members.count(principal, { ...(target.query as MemberListInput), limit: 1 });
    return withTransaction(this.deps.sequelize, async (transaction) => {
      const stored: StoredTarget = { target, count };
      const batch = await this.deps.models.CouponBatch.create(
        { templateId: template.id, target: JSON.stringify(stored), status: 'queued', createdBy: principal.kind === 'user' ? principal.userId : null, createdAt: new Date() },
        { transaction },
      );
      const input: BatchJobInput = { batchId: batch.id, userId: principal.userId, locale, planned };
      const task = await this.deps.tasks.submit(principal, BATCH_JOB, input, async (queued) => {
        await batch.update({ taskId: queued.id }, { transaction });
        await this.deps.audit.record(
          {
            action: 'coupon.batch_create',
            entityType: 'coupon_batch',
            entityId: batch.id,
            summary: `创建批量发券 #${batch.id}「${template.name}」：${TARGET_WORDS[target.type]}（约 ${planned}），每人 ${count} 张（后台任务 ${queued.id}）`,
            diff: { templateId: template.id, target: summarize(target), count, planned, taskId: Number(queued.id) },
          },
          { transaction },
        );
      });
      return { batch: this.view(batch, template), task };
    });
  }

  async list(principal: Principal, query: { templateId?: number; cursor?: string; limit: number }) {
    const and: WhereOptions[] = [this.scope(principal)];
    if (query.templateId) and.push({ templateId: query.templateId });
    if (query.cursor) and.push({ id: { [Op.lt]: Number(query.cursor) } });
    const rows = await this.deps.models.CouponBatch.findAll({ where: { [Op.and]: and }, order: [['id', 'DESC']], limit: query.limit + 1 });
    const page = rows.slice(0, query.limit);
    const templates = await this.deps.models.CouponTemplate.findAll({ where: { id: [...new Set(page.map((row) => row.templateId))] }, attributes: ['id', 'name'] });
    const names = new Map(templates.map((row) => [row.id, row]));
    return { items: page.map((row) => this.view(row, names.get(row.templateId))), nextCursor: rows.length > query.limit ? String(page.at(-1)!.id) : null };
  }

  async get(principal: Principal, id: number) {
    const batch = await this.find(principal, id);
    return this.view(batch, await this.deps.templates.find(batch.templateId));
  }

  /** Runs a queued batch as its requester (the job's handler); repeatable after a crash. */
  async execute(principal: Principal, batchId: number, hooks: BatchRunHooks): Promise<{ batch: BatchRecord; tally: BatchTally }> {
    const batch = await this.find(principal, batchId);
    const stored = JSON.parse(batch.target) as StoredTarget;
    await batch.update({ status: 'running' });
    const tally = await this.deps.run.run(principal, batch, stored.target, stored.count, hooks);
    await withTransaction(this.deps.sequelize, async (transaction) => {
      const finishedAt = new Date();
      await batch.update({ status: 'done', matched: tally.matched, issued: tally.coupons, skipped: JSON.stringify(tally.skipped), finishedAt }, { transaction });
      await this.deps.events.emit(
        { type: 'coupon.batch_issued', entityType: 'coupon_batch', entityId: batch.id, payload: { templateId: batch.templateId, matched: tally.matched, members: tally.issuable, coupons: tally.coupons, skipped: tally.skipped }, at: finishedAt },
        transaction,
      );
    });
    return { batch, tally };
  }

  /** A run that threw: queued again while the job has retries left (a retry issues only what is missing), else failed. */
  async markFailed(batchId: number, options: { willRetry: boolean }): Promise<void> {
    await this.deps.models.CouponBatch.update(options.willRetry ? { status: 'queued' } : { status: 'failed', finishedAt: new Date() }, { where: { id: batchId } });
  }

  private async find(principal: Principal, id: number): Promise<BatchRecord> {
    const batch = await this.deps.models.CouponBatch.findOne({ where: { [Op.and]: [{ id }, this.scope(principal)] } });
    if (!batch) throw new AppError('COUPON_BATCH_NOT_FOUND', { params: { id } });
    return batch;
  }

  /** Batches reach members of many stores; a caller limited to some stores sees their own only. */
  private scope(principal: Principal): WhereOptions {
    return principal.storeScope === null ? {} : { createdBy: principal.userId };
  }

  private async issuableTemplate(templateId: number): Promise<TemplateRecord> {
    const template = await this.deps.templates.find(templateId);
    if (template.status !== 'active') throw new AppError('COUPON_TEMPLATE_NOT_ACTIVE', { params: { name: template.name, status: STATUS_LABELS[template.status as TemplateStatus] } });
    const now = new Date();
    const { validUntil } = couponWindow(template, now, this.deps.businessTimezone);
    if (validUntil < now) throw new AppError('COUPON_TEMPLATE_EXPIRED', { params: { name: template.name, until: businessDay(validUntil, this.deps.businessTimezone) } });
    return template;
  }

  private view(batch: BatchRecord, template: Pick<TemplateRecord, 'name'> | undefined) {
    const stored = JSON.parse(batch.target) as StoredTarget;
    return {
      id: batch.id,
      templateId: batch.templateId,
      templateName: template?.name ?? '',
      target: summarize(stored.target),
      count: stored.count,
      status: batch.status,
      matched: batch.matched ?? 0,
      issued: batch.issued ?? 0,
      skipped: batch.skipped ? (JSON.parse(batch.skipped) as SkipCounts) : null,
      taskId: batch.taskId ?? null,
      createdBy: batch.createdBy,
      createdAt: batch.createdAt,
      finishedAt: batch.finishedAt ?? null,
    };
  }
}

/**
 * A target as lists and audit records show it: how many ids or values (never the phone
 * numbers themselves), or the filter with a phone keyword masked 3+4.
 */
function summarize(target: IssuableTarget) {
  if (target.type !== 'filter') return { type: target.type, size: target.type === 'members' ? target.ids.length : target.values.length, query: null };
  const query: Record<string, unknown> = { ...target.query };
  const keyword = query.keyword;
  if (typeof keyword === 'string' && isFullPhone(keyword)) query.keyword = normalisePhone(keyword).replace(/^(\d{3})\d{4}(\d{4})$/, '$1****$2');
  return { type: target.type, size: null, query };
}
