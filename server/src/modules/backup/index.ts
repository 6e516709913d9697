export { default as backupCreateJob } from './jobs/create.job.js';
export { BACKUP_JOB } from './activity.js';
export { backupRoutes } from './routes.js';
export { BackupService, type BackupDeps, type BackupOverview } from './service.js';
