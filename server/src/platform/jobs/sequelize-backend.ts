import type { AgendaBackend } from 'agenda';
import type { Sequelize } from 'sequelize';
import { SequelizeJobLogger } from './sequelize-job-logger.js';
import { SequelizeJobRepository } from './sequelize-job-repository.js';

export interface SequelizeBackendOptions {
  /** Huiji's database; the backend never closes it (ownsConnection is false). */
  sequelize: Sequelize;
  /** The jobs table, created by the migrations (default `jobs`). */
  tableName?: string;
  /** The job event log table (default `job_logs`). */
  logTableName?: string;
}

/**
 * agenda 6's storage on Huiji's own MySQL/MariaDB or SQLite database, so a customer runs one
 * database. No notification channel: agenda polls every `processEvery`.
 *
 *   const agenda = new Agenda({ backend: new SequelizeBackend({ sequelize }), logging: true });
 */
export class SequelizeBackend implements AgendaBackend {
  readonly name: string;
  readonly repository: SequelizeJobRepository;
  readonly logger: SequelizeJobLogger;
  readonly ownsConnection = false;

  constructor({ sequelize, tableName = 'jobs', logTableName = 'job_logs' }: SequelizeBackendOptions) {
    this.name = sequelize.getDialect() === 'sqlite' ? 'Sequelize (SQLite)' : 'Sequelize (MySQL)';
    this.repository = new SequelizeJobRepository(sequelize, tableName);
    this.logger = new SequelizeJobLogger(sequelize, logTableName);
  }

  connect(): Promise<void> {
    return this.repository.connect();
  }

  /** The connection belongs to the server, which closes it after agenda stops. */
  async disconnect(): Promise<void> {}
}
