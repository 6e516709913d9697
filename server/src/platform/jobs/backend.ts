import type { AgendaBackend } from 'agenda';
import type { Sequelize } from 'sequelize';
import { SequelizeBackend } from './sequelize-backend.js';

/**
 * Jobs live in Huiji's own database unless the operator points them at MongoDB, the
 * store agenda was built on; its driver loads only then.
 */
export async function createJobsBackend(options: { sequelize: Sequelize; mongodbUrl?: string }): Promise<AgendaBackend> {
  if (!options.mongodbUrl) return new SequelizeBackend({ sequelize: options.sequelize });
  const { MongoBackend } = await import('@agendajs/mongo-backend');
  return new MongoBackend({
    address: options.mongodbUrl,
    // Fail a connection attempt in 5 s (the driver's default is 30) so /readyz says why soon.
    options: { serverSelectionTimeoutMS: 5000 },
    collection: 'huiji_jobs',
    logCollection: 'huiji_job_logs',
  });
}
