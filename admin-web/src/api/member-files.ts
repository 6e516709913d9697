import { download, http, type DownloadedFile } from './http';
import type { Task } from './jobs';
import type { LocalizedLabel } from './roles';
import type { MemberQuery } from './members';

/** What an export takes: the list's filters and sort, without the page. */
export type MemberExportQuery = Omit<MemberQuery, 'cursor' | 'limit'>;

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_TYPE = 'text/csv';

/** A column a member sheet may have for this user: the fields they may type when registering a member. */
export interface ImportColumn {
  /** 'phone', 'custom.skin_type' */
  key: string;
  label: LocalizedLabel;
  required: boolean;
}

/** An uploaded sheet as the server read it. */
export interface ImportPreview {
  /** the upload's id, for the import */
  fileId: string;
  /** the first row */
  headers: string[];
  /** data rows below the header */
  rows: number;
  /** the first data rows; trailing empty cells are left off */
  sample: string[][];
  /** the server's guess: header -> column key, or null */
  mapping: Record<string, string | null>;
  columns: ImportColumn[];
}

export type ImportMatch = 'phone' | 'cardNo';
export type ImportDuplicates = 'skip' | 'update' | 'fill';
export type ImportBadRows = 'abort' | 'skip';

export interface ImportRequest {
  fileId: string;
  /** header -> column key, or null to leave the column out */
  mapping: Record<string, string | null>;
  match: ImportMatch;
  duplicates: ImportDuplicates;
  badRows: ImportBadRows;
  dryRun: boolean;
  /** for rows without a store */
  homeStoreId?: number;
}

/** An import task's summary. */
export interface ImportSummary {
  total: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  dryRun: boolean;
  /** nothing was written: bad rows while all-or-nothing was chosen */
  aborted: boolean;
}

/** The summary of a finished import task, or null when it has none (yet). */
export function importSummaryOf(task: Pick<Task, 'summary'>): ImportSummary | null {
  const summary = task.summary;
  if (!summary || typeof summary.total !== 'number') return null;
  const count = (key: string) => (typeof summary[key] === 'number' ? (summary[key] as number) : 0);
  return {
    total: count('total'),
    created: count('created'),
    updated: count('updated'),
    skipped: count('skipped'),
    failed: count('failed'),
    dryRun: summary.dryRun === true,
    aborted: summary.aborted === true,
  };
}

/** 按当前筛选条件导出会员（后台任务，脱敏与列表一致） */
export const startMemberExport = (query: MemberExportQuery) => http.post<Task>('/api/v1/members/exports', query);

/** 下载会员导入模板（只含当前用户可导入的列） */
export const downloadImportTemplate = (): Promise<DownloadedFile> => download('/api/v1/members/import-template');

/** 上传待导入的表格（.xlsx 或 .csv 原文件），返回表头、行数、示例与建议的列对应 */
export const uploadImportFile = (file: Blob, contentType: string, signal?: AbortSignal) =>
  http.upload<ImportPreview>('/api/v1/members/import-files', file, contentType, { signal });

/** 预检或导入已上传的表格（后台任务，结果报告为任务文件） */
export const startMemberImport = (data: ImportRequest) => http.post<Task>('/api/v1/members/imports', data);
