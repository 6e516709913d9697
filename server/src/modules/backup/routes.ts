import { currentRequestContext } from '../../platform/http/request-context.js';
import { DEFAULT_LOCALE } from '../../platform/i18n/locale.js';
import { access, defineRoute, type RouteSpec } from '../../platform/http/route.js';
import type { TaskService } from '../jobs/task-service.js';
import { BackupOverview, BackupStarted } from './schemas.js';
import type { BackupService } from './service.js';

const locale = () => currentRequestContext()?.locale ?? DEFAULT_LOCALE;
const tags = ['backups'];

/** The IT page's backups. There is deliberately no download: backups leave by the copy directory or scp. */
export function backupRoutes(backups: BackupService, tasks: TaskService): RouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/system/backups',
      summary: 'The backups in the backup directory (newest first, with what is known of each), the running backup, and the backup settings',
      tags,
      access: access.permission('system:backup:view'),
      response: BackupOverview,
      handler: () => backups.overview(),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/system/backups',
      summary: "Start a backup now in the background, as the caller's task (progress at /api/v1/tasks/{id} and in this list's `running`)",
      tags,
      access: access.permission('system:backup:run'),
      response: BackupStarted,
      status: 202,
      errors: ['BACKUP_KEY_MISSING', 'BACKUP_KEY_INVALID', 'BACKUP_ALREADY_RUNNING'],
      handler: async ({ principal }) => ({ task: tasks.view(await backups.start(principal!), locale()) }),
    }),
  ];
}
