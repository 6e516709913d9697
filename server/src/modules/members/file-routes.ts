import { currentRequestContext } from '../../platform/http/request-context.js';
import { DEFAULT_LOCALE } from '../../platform/i18n/locale.js';
import { access, defineRoute, type RouteSpec } from '../../platform/http/route.js';
import { z } from '../../platform/http/zod.js';
import { Task } from '../jobs/schemas.js';
import type { CustomValues } from './custom-values.js';
import { XLSX_CONTENT_TYPE, type MemberExports } from './export.js';
import type { MemberImporter } from './import/importer.js';
import { writeImportTemplate } from './import/template.js';
import { receiveUpload } from './import/upload.js';
import { MemberExportBody } from './schemas.js';

const locale = () => currentRequestContext()?.locale ?? DEFAULT_LOCALE;

const ImportPreview = z
  .object({
    fileId: z.string(),
    headers: z.array(z.string()),
    rows: z.number().int(),
    sample: z.array(z.array(z.string())),
    mapping: z.record(z.string(), z.string().nullable()),
    columns: z.array(z.object({ key: z.string(), label: z.object({ zh: z.string(), en: z.string() }), required: z.boolean() })),
  })
  .openapi('MemberImportPreview');

const ImportBody = z.strictObject({
  fileId: z.string().max(80),
  /** Sheet header -> member field key (`phone`, `custom.skin_type`), or null to leave the column out. */
  mapping: z.record(z.string().max(200), z.string().max(80).nullable()),
  match: z.enum(['phone', 'cardNo']).default('phone'),
  duplicates: z.enum(['skip', 'update', 'fill']).default('skip'),
  badRows: z.enum(['abort', 'skip']).default('abort'),
  dryRun: z.boolean().default(false),
  homeStoreId: z.number().int().positive().optional(),
});

/** Member spreadsheets, both ways, as background tasks with progress and a file to download. */
export function memberFileRoutes(deps: { exports: MemberExports; importer: MemberImporter; custom: CustomValues; outputRoot: string; maxUploadBytes: number }): RouteSpec[] {
  const { exports, importer } = deps;
  return [
    defineRoute({
      method: 'post',
      path: '/api/v1/members/exports',
      summary:
        'Export the filtered member list to .xlsx in the background, masked as the caller sees it: answers with the task; download from /api/v1/tasks/{id}/output. Audited when queued.',
      tags: ['members'],
      access: access.permission('member:member:export'),
      body: MemberExportBody,
      response: Task,
      status: 202,
      errors: ['MEMBER_EXPORT_TOO_LARGE', 'FIELD_FILTER_FORBIDDEN', 'FIELD_NOT_FILTERABLE'],
      handler: async ({ principal, body }) => exports.tasks.view(await exports.submit(principal!, body, locale()), locale()),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/members/import-template',
      summary: 'The import template (.xlsx): the columns this caller may import, and how to fill each in',
      tags: ['members'],
      access: access.permission('member:member:import'),
      handler: async ({ principal, res }) => {
        const columns = await importer.columns(principal!);
        const english = locale() === 'en';
        res.setHeader('Content-Type', XLSX_CONTENT_TYPE);
        // An ASCII name for old clients, the Chinese one for the rest (RFC 6266 / 5987).
        const name = english ? 'member-import-template.xlsx' : '会员导入模板.xlsx';
        res.setHeader('Content-Disposition', `attachment; filename="member-import-template.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`);
        await writeImportTemplate(res, columns, await deps.custom.definitions(), english);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/members/import-files',
      summary:
        'Upload a member sheet (the raw .xlsx or .csv as the request body, Content-Type xlsx or text/csv): answers with its headers, row count, first rows and a suggested column mapping',
      tags: ['members'],
      access: access.permission('member:member:import'),
      response: ImportPreview,
      status: 201,
      errors: ['MEMBER_IMPORT_FILE_TYPE', 'MEMBER_IMPORT_FILE_EMPTY', 'MEMBER_IMPORT_FILE_UNREADABLE', 'MEMBER_IMPORT_TOO_MANY_ROWS', 'PAYLOAD_TOO_LARGE'],
      handler: async ({ principal, req }) => importer.preview(principal!, await receiveUpload(req, deps.outputRoot, principal!.userId, deps.maxUploadBytes)),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/members/imports',
      summary:
        'Import an uploaded sheet in the background (or check it, with dryRun): duplicates by phone or card number are skipped, updated or have their empty fields filled; with badRows=abort a single bad row imports nothing. Answers with the task; its file is the result report.',
      tags: ['members'],
      access: access.permission('member:member:import'),
      body: ImportBody,
      response: Task,
      status: 202,
      errors: ['MEMBER_IMPORT_FILE_NOT_FOUND', 'MEMBER_IMPORT_TOO_MANY_ROWS'],
      handler: async ({ principal, body }) => {
        const { fileId, ...options } = body;
        const task = await importer.submit(principal!, fileId, options, locale());
        return exports.tasks.view(task, locale());
      },
    }),
  ];
}
