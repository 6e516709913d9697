import type { Sequelize } from 'sequelize';
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
import { ImportRun, type ImportJob } from './import-run.js';
import type { DuplicatePolicy } from './prepare.js';
import type { ImportSummary } from './report.js';
import { readSheet } from './sheet-reader.js';
import { findUpload, readUploadShape, saveUploadShape, type Upload, type UploadShape } from './upload.js';
import { importJobName, type MemberImportInput } from '../jobs/import.job.js';

export const MAX_IMPORT_ROWS = 200_000;

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
    const { headers, rows, sample } = await this.shape(upload);
    return {
      fileId: upload.fileId,
      headers,
      rows,
      sample,
      mapping: suggestMapping(headers, columns),
      columns: columns.map((c) => ({ key: c.key, label: c.label, required: c.required })),
    };
  }

  /**
   * An upload's headers, row count and first rows, read once when it is uploaded and kept
   * beside it, so queueing the import does not read a 100,000-row sheet a second time.
   */
  private async shape(upload: Upload): Promise<UploadShape> {
    const known = readUploadShape(upload);
    if (known) return known;
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
    const shape = { headers, rows, sample };
    saveUploadShape(upload, shape);
    return shape;
  }

  /** Queues an import of the caller's upload, audited in the same transaction. */
  async submit(principal: Principal, fileId: string, options: ImportOptions, locale: Locale) {
    const upload = findUpload(this.deps.outputRoot, principal.userId, fileId);
    const { rows, headers } = await this.shape(upload);
    const mapped = headers.filter((h) => options.mapping[h]);
    if (!Object.values(options.mapping).includes('phone')) {
      throw new AppError('VALIDATION_FAILED', { details: { in: 'body', fields: [{ path: 'mapping', code: 'required', message: locale === 'en' ? 'Map a column to the phone number' : '请把一列对应到“手机号”' }] } });
    }
    const input: MemberImportInput = { userId: principal.userId, fileId, rows, options, locale };
    return this.deps.tasks.submit(principal, importJobName(options.dryRun), input, async (task) => {
      await this.deps.audit.record({
        action: 'member.import_queue',
        entityType: 'member',
        summary: `${options.dryRun ? '预检' : '导入'}会员表格 ${rows} 行（后台任务 ${task.id}），重复按${ { skip: '跳过', update: '更新', fill: '补全空字段' }[options.duplicates] }，坏行${options.badRows === 'abort' ? '则全部不导入' : '跳过'}`,
        diff: { taskId: Number(task.id), rows, columns: mapped.map((h) => options.mapping[h]), ...options, mapping: undefined },
      });
    });
  }

  async run(principal: Principal, upload: Upload, options: ImportOptions, job: ImportJob): Promise<ImportSummary> {
    const definitions = await this.deps.custom.definitions();
    const run = new ImportRun(
      {
        sequelize: this.deps.sequelize,
        models: this.deps.models,
        contact: this.deps.contact,
        principal,
        guard: await this.deps.members.guard(principal),
        columns: new Map((await this.columns(principal)).map((c) => [c.key, c])),
        definitions,
        writer: { ...this.deps, definitions, taskId: job.taskId },
      },
      upload,
      options,
      job,
    );
    return run.execute();
  }
}

