import type { JobLogEntry, JobLogEvent, JobLogger, JobLogQuery, JobLogQueryResult, LogLevel } from 'agenda';
import type { Sequelize } from 'sequelize';
import { parseTime } from './job-row.js';
import { JobSql } from './job-sql.js';

interface LogRow {
  id: number | string;
  occurred_at: unknown;
  level: string;
  event: string;
  job_id: string | null;
  job_name: string;
  message: string;
  duration: number | null;
  error: string | null;
  fail_count: number | null;
  retry_delay: number | string | null;
  retry_attempt: number | null;
  agenda_name: string | null;
  meta: string | null;
}

/** agenda's persistent job event log (start, success, fail, retry, ...) in the job_logs table. */
export class SequelizeJobLogger implements JobLogger {
  private readonly sql: JobSql;
  private readonly table: string;
  /** agenda logs without waiting; these writes must land before the database closes. */
  private readonly pending = new Set<Promise<void>>();

  constructor(sequelize: Sequelize, tableName = 'job_logs') {
    this.sql = new JobSql(sequelize);
    this.table = JobSql.table(tableName);
  }

  log(entry: Omit<JobLogEntry, '_id'>): Promise<void> {
    const write = this.write(entry);
    this.pending.add(write);
    void write.finally(() => this.pending.delete(write)).catch(() => {});
    return write;
  }

  /** Waits for the log entries still being written (call before closing the database). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private async write(entry: Omit<JobLogEntry, '_id'>): Promise<void> {
    const values = [
      entry.timestamp ?? new Date(),
      entry.level,
      entry.event,
      entry.jobId ?? null,
      entry.jobName,
      entry.message,
      entry.duration === undefined ? null : Math.round(entry.duration),
      entry.error ?? null,
      entry.failCount ?? null,
      entry.retryDelay === undefined ? null : Math.round(entry.retryDelay),
      entry.retryAttempt ?? null,
      entry.agendaName ?? null,
      entry.meta ? JSON.stringify(entry.meta) : null,
    ];
    await this.sql.write((tx) =>
      this.sql.insert(
        `INSERT INTO ${this.table} (occurred_at, level, event, job_id, job_name, message, duration, error, fail_count, retry_delay, retry_attempt, agenda_name, meta)
         VALUES (${JobSql.placeholders(values)})`,
        values,
        tx,
      ),
    );
  }

  async getLogs(query: JobLogQuery = {}): Promise<JobLogQueryResult> {
    const { where, values } = this.where(query);
    const direction = query.sort === 'asc' ? 'ASC' : 'DESC';
    const limit = Math.max(0, Math.floor(query.limit ?? 50));
    const offset = Math.max(0, Math.floor(query.offset ?? 0));
    const [rows, [count]] = await Promise.all([
      this.sql.select<LogRow>(`SELECT * FROM ${this.table} ${where} ORDER BY occurred_at ${direction}, id ${direction} LIMIT ${limit} OFFSET ${offset}`, values),
      this.sql.select<{ n: number }>(`SELECT COUNT(*) AS n FROM ${this.table} ${where}`, values),
    ]);
    return { entries: rows.map(toEntry), total: Number(count.n) };
  }

  async clearLogs(query: JobLogQuery = {}): Promise<number> {
    const { where, values } = this.where(query);
    return this.sql.write((tx) => this.sql.change(`DELETE FROM ${this.table} ${where}`, values, tx));
  }

  private where(query: JobLogQuery): { where: string; values: unknown[] } {
    const conditions: string[] = [];
    const values: unknown[] = [];
    const oneOrMany = (column: string, value: string | string[] | undefined) => {
      if (value === undefined) return;
      const list = Array.isArray(value) ? value : [value];
      conditions.push(list.length === 0 ? '1 = 0' : `${column} IN (${JobSql.placeholders(list)})`);
      values.push(...list);
    };
    oneOrMany('job_id', query.jobId);
    oneOrMany('job_name', query.jobName);
    oneOrMany('level', query.level);
    oneOrMany('event', query.event);
    if (query.from) {
      conditions.push('occurred_at >= ?');
      values.push(query.from);
    }
    if (query.to) {
      conditions.push('occurred_at <= ?');
      values.push(query.to);
    }
    return { where: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', values };
  }
}

function toEntry(row: LogRow): JobLogEntry {
  const entry: JobLogEntry = {
    _id: String(row.id),
    timestamp: parseTime(row.occurred_at) as Date,
    level: row.level as LogLevel,
    event: row.event as JobLogEvent,
    jobName: row.job_name,
    message: row.message,
  };
  if (row.job_id !== null) entry.jobId = row.job_id;
  if (row.duration !== null) entry.duration = Number(row.duration);
  if (row.error !== null) entry.error = row.error;
  if (row.fail_count !== null) entry.failCount = Number(row.fail_count);
  if (row.retry_delay !== null) entry.retryDelay = Number(row.retry_delay);
  if (row.retry_attempt !== null) entry.retryAttempt = Number(row.retry_attempt);
  if (row.agenda_name !== null) entry.agendaName = row.agenda_name;
  if (row.meta !== null) entry.meta = JSON.parse(row.meta) as Record<string, unknown>;
  return entry;
}
