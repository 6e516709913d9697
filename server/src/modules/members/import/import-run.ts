import { UniqueConstraintError, type Sequelize } from 'sequelize';
import { withTransaction } from '../../../platform/db/transaction.js';
import type { Locale } from '../../../platform/http/request-context.js';
import type { Principal } from '../../../platform/http/route.js';
import type { FieldGuard } from '../../access/field-policy/index.js';
import type { MemberContact } from '../contact.js';
import type { CustomFieldDefinition } from '../form/index.js';
import type { MemberModels } from '../models.js';
import type { ImportColumn } from './columns.js';
import type { ImportOptions } from './importer.js';
import { prepareChunk, type BadRow, type PrepareContext, type PreparedChunk, type SheetRow } from './prepare.js';
import { writeImportReport, type ImportSummary } from './report.js';
import { readSheet } from './sheet-reader.js';
import type { Upload } from './upload.js';
import { writeChunk, type ChunkWriter } from './write.js';

const CHUNK = 1000;

export interface ImportJob {
  taskId: number;
  locale: Locale;
  reportFile: string;
  progress: (done: number) => Promise<void>;
}

export interface ImportRunSetup {
  sequelize: Sequelize;
  models: MemberModels;
  contact: MemberContact;
  principal: Principal;
  guard: FieldGuard;
  columns: ReadonlyMap<string, ImportColumn>;
  definitions: readonly CustomFieldDefinition[];
  writer: ChunkWriter;
}

/**
 * One import of one upload: reads the sheet chunk by chunk (each pass re-reads the file,
 * so memory stays flat), checks each chunk like a registration, and writes in the way
 * the options chose. Ends with the report, whatever happened.
 */
export class ImportRun {
  private headers: string[] = [];
  private readonly summary: ImportSummary;
  private readonly bad: BadRow[] = [];
  private readonly say: (zh: string, en: string) => string;

  constructor(
    private readonly setup: ImportRunSetup,
    private readonly upload: Upload,
    private readonly options: ImportOptions,
    private readonly job: ImportJob,
  ) {
    this.say = (zh, en) => (job.locale === 'en' ? en : zh);
    this.summary = { total: 0, created: 0, updated: 0, skipped: 0, failed: 0, dryRun: options.dryRun, aborted: false };
  }

  async execute(): Promise<ImportSummary> {
    if (!this.options.dryRun && this.options.badRows === 'skip') return this.writeGoodRows();
    await this.checkAll();
    if (this.options.dryRun) return this.finish();
    if (this.bad.length > 0) return this.abort(this.bad);
    return this.writeAllOrNothing();
  }

  /** Pass 1 of a dry run or an all-or-nothing import: every row checked, nothing written. */
  private async checkAll(): Promise<void> {
    await this.eachChunk(async (chunk) => {
      this.tally(chunk);
      this.summary.created += chunk.creates.length;
      this.summary.updated += chunk.updates.length;
    });
  }

  /** Pass 2 of all-or-nothing: one transaction; a row that went bad meanwhile undoes it all. */
  private async writeAllOrNothing(): Promise<ImportSummary> {
    Object.assign(this.summary, { total: 0, created: 0, updated: 0, skipped: 0 });
    try {
      await withTransaction(this.setup.sequelize, (transaction) =>
        this.eachChunk(async (chunk) => {
          if (chunk.bad.length > 0) throw new ImportAborted(chunk.bad);
          this.count(await writeChunk(chunk, this.setup.writer, transaction));
          this.summary.skipped += chunk.skipped;
        }),
      );
    } catch (error) {
      if (error instanceof ImportAborted) return this.abort(error.rows);
      if (!(error instanceof UniqueConstraintError)) throw error;
      return this.abort([{ line: 0, cells: [], reasons: [this.say('导入期间有其他人登记了相同的会员，已全部撤销，请重试', 'Someone registered the same member meanwhile; everything was undone, try again')] }]);
    }
    return this.finish();
  }

  /** One pass, a transaction per chunk: good rows go in, bad rows go to the report. */
  private async writeGoodRows(): Promise<ImportSummary> {
    await this.eachChunk(async (chunk, rows) => {
      this.tally(chunk);
      try {
        this.count(await withTransaction(this.setup.sequelize, (transaction) => writeChunk(chunk, this.setup.writer, transaction)));
      } catch (error) {
        if (!(error instanceof UniqueConstraintError)) throw error;
        await this.rowByRow(chunk, rows);
      }
    });
    return this.finish();
  }

  /** A chunk a concurrent write spoiled: each row on its own, so only the conflicting ones fail. */
  private async rowByRow(chunk: PreparedChunk, rows: SheetRow[]): Promise<void> {
    const cells = new Map(rows.map((r) => [r.line, r.cells]));
    const singles = [
      ...chunk.creates.map((c) => ({ line: c.line, part: { ...chunk, creates: [c], updates: [], bad: [] } })),
      ...chunk.updates.map((u) => ({ line: u.line, part: { ...chunk, creates: [], updates: [u], bad: [] } })),
    ];
    for (const { line, part } of singles) {
      try {
        this.count(await withTransaction(this.setup.sequelize, (transaction) => writeChunk(part, this.setup.writer, transaction)));
      } catch (error) {
        if (!(error instanceof UniqueConstraintError)) throw error;
        this.bad.push({ line, cells: cells.get(line) ?? [], reasons: [this.say('手机号、卡号或唯一字段已被其他会员使用', 'The phone, card number or a unique field is already used by another member')] });
      }
    }
  }

  /** Reads the sheet from the top, checks it chunk by chunk, and hands each chunk on. */
  private async eachChunk(handle: (chunk: PreparedChunk, rows: SheetRow[]) => Promise<void>): Promise<void> {
    this.summary.total = 0;
    let context: PrepareContext | null = null;
    for await (const rows of this.chunks()) {
      context ??= this.context();
      await handle(await prepareChunk(rows, context), rows);
      this.summary.total += rows.length;
      await this.job.progress(this.summary.total);
    }
  }

  private async *chunks(): AsyncGenerator<SheetRow[]> {
    let line = 0;
    let chunk: SheetRow[] = [];
    for await (const cells of readSheet(this.upload.file, this.upload.kind)) {
      line += 1;
      if (line === 1) {
        this.headers = cells;
        continue;
      }
      chunk.push({ line, cells });
      if (chunk.length === CHUNK) {
        yield chunk;
        chunk = [];
      }
    }
    if (chunk.length > 0) yield chunk;
  }

  /** Built once the header row is read; duplicates within the file are tracked per pass. */
  private context(): PrepareContext {
    const { principal, columns } = this.setup;
    return {
      principal,
      guard: this.setup.guard,
      models: this.setup.models,
      contact: this.setup.contact,
      columns,
      keys: this.headers.map((header) => {
        const key = this.options.mapping[header];
        return key && columns.has(key) ? key : null;
      }),
      definitions: this.setup.definitions,
      match: this.options.match,
      duplicates: this.options.duplicates,
      defaultStoreId: this.options.homeStoreId ?? (principal.storeScope?.length === 1 ? principal.storeScope[0] : null),
      seen: new Map(),
      say: this.say,
      locale: this.job.locale,
    };
  }

  private tally(chunk: PreparedChunk): void {
    this.summary.skipped += chunk.skipped;
    this.bad.push(...chunk.bad);
  }

  private count(written: { created: number; updated: number }): void {
    this.summary.created += written.created;
    this.summary.updated += written.updated;
  }

  private async abort(rows: BadRow[]): Promise<ImportSummary> {
    Object.assign(this.summary, { created: 0, updated: 0, skipped: 0, failed: rows.length, aborted: true });
    await writeImportReport(this.job.reportFile, this.headers, this.summary, rows, this.say);
    return this.summary;
  }

  private async finish(): Promise<ImportSummary> {
    this.summary.failed = this.bad.length;
    await writeImportReport(this.job.reportFile, this.headers, this.summary, this.bad, this.say);
    return this.summary;
  }
}

class ImportAborted extends Error {
  constructor(readonly rows: BadRow[]) {
    super('bad rows on the second pass');
  }
}
