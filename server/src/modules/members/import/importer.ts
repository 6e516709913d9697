import { UniqueConstraintError, type Sequelize } from 'sequelize';
import { withTransaction } from '../../../platform/db/transaction.js';
import { AppError } from '../../../platform/errors/app-error.js';
import type { Locale } from '../../../platform/http/request-context.js';
import type { Principal } from '../../../platform/http/route.js';
import type { AuditService } from '../../audit/service.js';
import type { TaskService } from '../../jobs/task-service.js';
import type { StoreService } from '../../stores/service.js';
import type { MemberContact } from '../contact.js';
import type { CustomIndex } from '../custom-index.js';
import type { CustomValues } from '../custom-values.js';
import type { MemberModels } from '../models.js';
import type { MemberService } from '../service.js';
import { importColumns, suggestMapping, type ImportColumn } from './columns.js';
import { prepareChunk, type BadRow, type DuplicatePolicy, type PrepareContext, type PreparedChunk, type SheetRow } from './prepare.js';
import { writeImportReport, type ImportSummary } from './report.js';
import { readSheet } from './sheet-reader.js';
import { findUpload, type Upload } from './upload.js';
import type { MemberImportInput } from '../jobs/import.job.js';
import { writeChunk, type ChunkWriter } from './write.js';

export const MAX_IMPORT_ROWS = 200_000;
const CHUNK = 1000;

export interface ImportOptions {
  mapping: Record<string, string | null>;
  match: 'phone' | 'cardNo';
  duplicates: DuplicatePolicy;
  /** 'abort': any bad row and nothing is written; 'skip': the good rows are written. */
  badRows: 'abort' | 'skip';
  dryRun: boolean;
  homeStoreId?: number;
}

export interface ImporterDeps {
  sequelize: Sequelize;
  models: MemberModels;
  members: MemberService;
  contact: MemberContact;
  custom: CustomValues;
  index: CustomIndex;
  stores: StoreService;
  audit: AuditService;
  cardPrefix: string;
  timeZone: string;
  tasks: TaskService;
  outputRoot: string;
}

/**
 * Member sheets in: a preview of an upload (headers, row count, suggested mapping), and
 * the import itself, chunk by chunk. With 'abort' every row is checked before anything is
 * written and the writes share one transaction, so the file goes in whole or not at all;
 * with 'skip' each chunk commits on its own and a chunk a concurrent registration spoils
 * is retried row by row, so only the conflicting rows fail. A row is never half written.
 */
export class MemberImporter {
  constructor(private readonly deps: ImporterDeps) {}

  async columns(principal: Principal): Promise<ImportColumn[]> {
    const guard = await this.deps.members.guard(principal);
    const stores = await this.deps.stores.list(principal, {});
    return importColumns(guard, await this.deps.custom.definitions(), stores.map((s) => ({ id: Number(s.id), code: s.code, name: s.name })), this.deps.timeZone);
  }

  async preview(principal: Principal, upload: Upload) {
    const columns = await this.columns(principal);
    let headers: string[] | null = null;
    const sample: string[][] = [];
    let rows = 0;
    try {
      for await (const cells of readSheet(upload.file, upload.kind)) {
        if (!headers) headers = cells;
        else {
          rows += 1;
          if (sample.length < 5) sample.push(cells);
        }
      }
    } catch (error) {
      throw new AppError('MEMBER_IMPORT_FILE_UNREADABLE', { params: { reason: error instanceof Error ? error.message.slice(0, 200) : String(error) } });
    }
    if (!headers || rows === 0) throw new AppError('MEMBER_IMPORT_FILE_EMPTY');
    if (rows > MAX_IMPORT_ROWS) throw new AppError('MEMBER_IMPORT_TOO_MANY_ROWS', { params: { rows, max: MAX_IMPORT_ROWS } });
    return {
      fileId: upload.fileId,
      headers,
      rows,
      sample,
      mapping: suggestMapping(headers, columns),
      columns: columns.map((c) => ({ key: c.key, label: c.label, required: c.required })),
    };
  }

  /** Queues an import of the caller's upload, audited in the same transaction. */
  async submit(principal: Principal, fileId: string, options: ImportOptions, locale: Locale) {
    const upload = findUpload(this.deps.outputRoot, principal.userId, fileId);
    const { rows, headers } = await this.preview(principal, upload);
    const mapped = headers.filter((h) => options.mapping[h]);
    if (!Object.values(options.mapping).includes('phone')) {
      throw new AppError('VALIDATION_FAILED', { details: { in: 'body', fields: [{ path: 'mapping', code: 'required', message: locale === 'en' ? 'Map a column to the phone number' : '请把一列对应到“手机号”' }] } });
    }
    const input: MemberImportInput = { userId: principal.userId, fileId, rows, options, locale };
    return this.deps.tasks.submit(principal, 'members.import', input, async (task) => {
      await this.deps.audit.record({
        action: 'member.import_queue',
        entityType: 'member',
        summary: `${options.dryRun ? '预检' : '导入'}会员表格 ${rows} 行（后台任务 ${task.id}），重复按${ { skip: '跳过', update: '更新', fill: '补全空字段' }[options.duplicates] }，坏行${options.badRows === 'abort' ? '则全部不导入' : '跳过'}`,
        diff: { taskId: Number(task.id), rows, columns: mapped.map((h) => options.mapping[h]), ...options, mapping: undefined },
      });
    });
  }

  async run(
    principal: Principal,
    upload: Upload,
    options: ImportOptions,
    job: { taskId: number; locale: Locale; reportFile: string; progress: (done: number) => Promise<void> },
  ): Promise<ImportSummary> {
    const say = (zh: string, en: string) => (job.locale === 'en' ? en : zh);
    const columns = new Map((await this.columns(principal)).map((c) => [c.key, c]));
    const definitions = await this.deps.custom.definitions();
    let headers: string[] = [];
    const chunks = async function* (file: Upload): AsyncGenerator<SheetRow[]> {
      let line = 0;
      let chunk: SheetRow[] = [];
      for await (const cells of readSheet(file.file, file.kind)) {
        line += 1;
        if (line === 1) {
          headers = cells;
          continue;
        }
        chunk.push({ line, cells });
        if (chunk.length === CHUNK) {
          yield chunk;
          chunk = [];
        }
      }
      if (chunk.length > 0) yield chunk;
    };
    const context = (): PrepareContext => ({
      principal,
      guard: undefined as never,
      models: this.deps.models,
      contact: this.deps.contact,
      columns,
      keys: headers.map((h) => {
        const key = options.mapping[h];
        return key && columns.has(key) ? key : null;
      }),
      definitions,
      match: options.match,
      duplicates: options.duplicates,
      defaultStoreId: options.homeStoreId ?? (principal.storeScope?.length === 1 ? principal.storeScope[0] : null),
      seen: new Map(),
      say,
      locale: job.locale,
    });
    const guard = await this.deps.members.guard(principal);
    const writer: ChunkWriter = { ...this.deps, definitions, taskId: job.taskId };
    const summary: ImportSummary = { total: 0, created: 0, updated: 0, skipped: 0, failed: 0, dryRun: options.dryRun, aborted: false };
    const bad: BadRow[] = [];
    const tally = (chunk: PreparedChunk) => {
      summary.skipped += chunk.skipped;
      bad.push(...chunk.bad);
    };

    // Pass 1: check every row (all-or-nothing, dry runs) before a single write.
    if (options.badRows === 'abort' || options.dryRun) {
      let ctx: PrepareContext | null = null;
      for await (const rows of chunks(upload)) {
        ctx ??= { ...context(), guard };
        const chunk = await prepareChunk(rows, ctx);
        summary.total += rows.length;
        tally(chunk);
        summary.created += chunk.creates.length;
        summary.updated += chunk.updates.length;
        await job.progress(summary.total);
      }
      summary.failed = bad.length;
      if (options.dryRun || bad.length > 0) {
        summary.aborted = !options.dryRun;
        if (summary.aborted) Object.assign(summary, { created: 0, updated: 0, skipped: 0 });
        await writeImportReport(job.reportFile, headers, summary, bad, say);
        return summary;
      }
      Object.assign(summary, { total: 0, created: 0, updated: 0, skipped: 0 });
      try {
        await withTransaction(this.deps.sequelize, async (transaction) => {
          let ctx2: PrepareContext | null = null;
          for await (const rows of chunks(upload)) {
            ctx2 ??= { ...context(), guard };
            const chunk = await prepareChunk(rows, ctx2);
            summary.total += rows.length;
            if (chunk.bad.length > 0) throw new ImportAborted(chunk.bad);
            const written = await writeChunk(chunk, writer, transaction);
            summary.created += written.created;
            summary.updated += written.updated;
            summary.skipped += chunk.skipped;
            await job.progress(summary.total);
          }
        });
      } catch (error) {
        const reasons = error instanceof ImportAborted ? error.rows : error instanceof UniqueConstraintError ? [{ line: 0, cells: [], reasons: [say('导入期间有其他人登记了相同的会员，已全部撤销，请重试', 'Someone registered the same member meanwhile; everything was undone, try again')] }] : null;
        if (!reasons) throw error;
        Object.assign(summary, { created: 0, updated: 0, skipped: 0, failed: reasons.length, aborted: true });
        await writeImportReport(job.reportFile, headers, summary, reasons, say);
        return summary;
      }
      await writeImportReport(job.reportFile, headers, summary, [], say);
      return summary;
    }

    // One pass, chunk by chunk: good rows go in, bad rows go to the report.
    let ctx: PrepareContext | null = null;
    for await (const rows of chunks(upload)) {
      ctx ??= { ...context(), guard };
      const chunk = await prepareChunk(rows, ctx);
      summary.total += rows.length;
      tally(chunk);
      try {
        const written = await withTransaction(this.deps.sequelize, (transaction) => writeChunk(chunk, writer, transaction));
        summary.created += written.created;
        summary.updated += written.updated;
      } catch (error) {
        if (!(error instanceof UniqueConstraintError)) throw error;
        await this.rowByRow(chunk, writer, rows, summary, bad, say);
      }
      await job.progress(summary.total);
    }
    summary.failed = bad.length;
    await writeImportReport(job.reportFile, headers, summary, bad, say);
    return summary;
  }

  /** A chunk a concurrent write spoiled: each row on its own, so only the conflicting ones fail. */
  private async rowByRow(chunk: PreparedChunk, writer: ChunkWriter, rows: SheetRow[], summary: ImportSummary, bad: BadRow[], say: (zh: string, en: string) => string) {
    const cellsOf = (line: number) => rows.find((r) => r.line === line)?.cells ?? [];
    const single = [...chunk.creates.map((c) => ({ line: c.line, part: { ...chunk, creates: [c], updates: [], bad: [] } })), ...chunk.updates.map((u) => ({ line: u.line, part: { ...chunk, creates: [], updates: [u], bad: [] } }))];
    for (const { line, part } of single) {
      try {
        const written = await withTransaction(this.deps.sequelize, (transaction) => writeChunk(part, writer, transaction));
        summary.created += written.created;
        summary.updated += written.updated;
      } catch (error) {
        if (!(error instanceof UniqueConstraintError)) throw error;
        bad.push({ line, cells: cellsOf(line), reasons: [say('手机号、卡号或唯一字段已被其他会员使用', 'The phone, card number or a unique field is already used by another member')] });
      }
    }
  }
}

class ImportAborted extends Error {
  constructor(readonly rows: BadRow[]) {
    super('bad rows on the second pass');
  }
}
