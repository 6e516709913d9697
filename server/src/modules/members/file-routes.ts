import { currentRequestContext } from '../../platform/http/request-context.js';
import { DEFAULT_LOCALE } from '../../platform/i18n/locale.js';
import { access, defineRoute, type RouteSpec } from '../../platform/http/route.js';
import { Task } from '../jobs/schemas.js';
import type { MemberExports } from './export.js';
import { MemberExportBody } from './schemas.js';

/** Member spreadsheets: exports (and, with the import issue's work, imports) as background tasks. */
export function memberFileRoutes(exports: MemberExports): RouteSpec[] {
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
      handler: async ({ principal, body }) => {
        const locale = currentRequestContext()?.locale ?? DEFAULT_LOCALE;
        const { tasks } = exports;
        const task = await exports.submit(principal!, body, locale);
        return tasks.view(task, locale);
      },
    }),
  ];
}
