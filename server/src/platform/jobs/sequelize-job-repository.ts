import { computeJobState } from 'agenda';
import type {
  JobId,
  JobParameters,
  JobRepository,
  JobRepositoryOptions,
  JobsOverview,
  JobsQueryOptions,
  JobsResult,
  JobsSort,
  JobWithState,
  RemoveJobsOptions,
} from 'agenda';
import { UniqueConstraintError, type Sequelize, type Transaction } from 'sequelize';
import { debounceSchedule } from './debounce.js';
import {
  DEFINITION_FIELDS,
  JOB_COLUMNS,
  PROCESSOR_FIELDS,
  dataMatches,
  parseTime,
  rowToJob,
  toColumnValue,
  uniqueKeyOf,
  type JobField,
  type JobRow,
} from './job-row.js';
import { JobSql } from './job-sql.js';

/** Which job is next: the earliest due, then the highest priority (agenda's default sort). */
const NEXT_JOB_ORDER = 'next_run_at ASC, priority DESC, id ASC';
/** Due and unlocked, or locked longer ago than the lock lifetime (its node is presumed dead). */
const RUNNABLE = 'name = ? AND disabled = 0 AND ((locked_at IS NULL AND next_run_at <= ?) OR locked_at <= ?)';

interface Filter {
  where: string;
  values: unknown[];
  data?: unknown;
}

/**
 * agenda 6's JobRepository on Huiji's own database (MySQL/MariaDB or SQLite), written
 * against agenda's official backends' behaviour. Locking is one atomic step per job, so
 * several processes on one database never run the same job twice.
 */
export class SequelizeJobRepository implements JobRepository {
  private readonly sql: JobSql;
  private readonly table: string;
  /** The tail of each job name's queue of claims (MySQL). */
  private readonly claims = new Map<string, Promise<void>>();

  constructor(sequelize: Sequelize, tableName = 'jobs') {
    this.sql = new JobSql(sequelize);
    this.table = JobSql.table(tableName);
  }

  async connect(): Promise<void> {
    // Fails early, with the table's name, when the migrations have not run.
    await this.sql.select(`SELECT id FROM ${this.table} LIMIT 1`);
  }

  // ---- reading ----------------------------------------------------------------------

  private async fetch(id: string | JobId, transaction?: Transaction): Promise<JobRow | undefined> {
    if (!isRowId(id)) return undefined;
    const [row] = await this.sql.select<JobRow>(`SELECT * FROM ${this.table} WHERE id = ?`, [String(id)], transaction);
    return row;
  }

  async getJobById(id: string): Promise<JobParameters | null> {
    const row = await this.fetch(id);
    return row ? rowToJob(row) : null;
  }

  async queryJobs(options: JobsQueryOptions = {}): Promise<JobsResult> {
    const { state, data, includeDisabled = true, sort, skip = 0, limit = 0 } = options;
    const filter = buildFilter({ id: options.id, ids: options.ids, name: options.name, names: options.names, data });
    if (filter === 'nothing') return { jobs: [], total: 0 };
    const conditions = filter.where ? [filter.where] : [];
    const values = [...filter.values];
    if (options.search) {
      conditions.push('name LIKE ?');
      values.push(`%${options.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
    if (!includeDisabled) conditions.push('disabled = 0');
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const order = orderBy(sort);
    const now = new Date();
    const withState = (row: JobRow): JobWithState => {
      const job = rowToJob(row);
      return { ...job, _id: job._id as JobId, state: computeJobState(job, now) };
    };

    // State and data are computed in JS; without them the database pages and counts.
    if (!state && filter.data === undefined) {
      const page = limit > 0 ? ` LIMIT ${Math.floor(limit)} OFFSET ${Math.floor(skip)}` : skip > 0 ? ` LIMIT 9223372036854775807 OFFSET ${Math.floor(skip)}` : '';
      const [rows, [count]] = await Promise.all([
        this.sql.select<JobRow>(`SELECT * FROM ${this.table} ${where} ORDER BY ${order}${page}`, values),
        this.sql.select<{ n: number }>(`SELECT COUNT(*) AS n FROM ${this.table} ${where}`, values),
      ]);
      return { jobs: rows.map(withState), total: Number(count.n) };
    }
    let jobs = (await this.sql.select<JobRow>(`SELECT * FROM ${this.table} ${where} ORDER BY ${order}`, values))
      .map(withState)
      .filter((job) => filter.data === undefined || dataMatches(job.data, filter.data))
      .filter((job) => !state || (state === 'paused' ? job.disabled === true : job.state === state));
    const total = jobs.length;
    jobs = limit > 0 ? jobs.slice(skip, skip + limit) : jobs.slice(skip);
    return { jobs, total };
  }

  async getJobsOverview(): Promise<JobsOverview[]> {
    const rows = await this.sql.select<JobRow>(
      `SELECT id, name, locked_at, last_finished_at, failed_at, next_run_at, repeat_interval, disabled FROM ${this.table} ORDER BY name`,
    );
    const now = new Date();
    const overviews = new Map<string, JobsOverview>();
    for (const row of rows) {
      const job = rowToJob(row);
      let overview = overviews.get(job.name);
      if (!overview) {
        overview = { name: job.name, total: 0, running: 0, scheduled: 0, queued: 0, completed: 0, failed: 0, repeating: 0, paused: 0 };
        overviews.set(job.name, overview);
      }
      overview.total++;
      overview[computeJobState(job, now)]++;
      if (job.disabled) overview.paused++;
    }
    return [...overviews.values()];
  }

  async getDistinctJobNames(): Promise<string[]> {
    const rows = await this.sql.select<{ name: string }>(`SELECT DISTINCT name FROM ${this.table} ORDER BY name`);
    return rows.map((row) => row.name);
  }

  async getQueueSize(): Promise<number> {
    const [row] = await this.sql.select<{ n: number }>(`SELECT COUNT(*) AS n FROM ${this.table} WHERE next_run_at < ?`, [new Date()]);
    return Number(row.n);
  }

  // ---- removing, disabling --------------------------------------------------------------

  /** The ids a filter selects; data matching happens here, in JS, the same on both databases. */
  private async matchingIds(filter: Filter): Promise<string[]> {
    const where = filter.where ? `WHERE ${filter.where}` : '';
    const rows = await this.sql.select<JobRow>(`SELECT id, name, data FROM ${this.table} ${where}`, filter.values);
    return rows.filter((row) => dataMatches(rowToJob(row).data, filter.data)).map((row) => String(row.id));
  }

  private async changeMatching(options: RemoveJobsOptions, statement: string): Promise<number> {
    const filter = buildFilter(options);
    if (filter === 'nothing' || (!filter.where && filter.data === undefined)) return 0;
    if (filter.data === undefined) return this.sql.write((tx) => this.sql.change(`${statement} WHERE ${filter.where}`, filter.values, tx));
    const ids = await this.matchingIds(filter);
    let changed = 0;
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      changed += await this.sql.write((tx) => this.sql.change(`${statement} WHERE id IN (${JobSql.placeholders(chunk)})`, chunk, tx));
    }
    return changed;
  }

  removeJobs(options: RemoveJobsOptions): Promise<number> {
    return this.changeMatching(options, `DELETE FROM ${this.table}`);
  }

  disableJobs(options: RemoveJobsOptions): Promise<number> {
    return this.changeMatching(options, `UPDATE ${this.table} SET disabled = 1`);
  }

  enableJobs(options: RemoveJobsOptions): Promise<number> {
    return this.changeMatching(options, `UPDATE ${this.table} SET disabled = 0`);
  }

  purgeAllJobs(): Promise<number> {
    return this.sql.write((tx) => this.sql.change(`DELETE FROM ${this.table}`, [], tx));
  }

  // ---- saving -------------------------------------------------------------------------

  async saveJob<DATA = unknown>(job: JobParameters<DATA>, options: JobRepositoryOptions | undefined): Promise<JobParameters<DATA>> {
    const modifiedBy = options?.lastModifiedBy ?? null;
    if (job._id) {
      const fields = (Object.keys(JOB_COLUMNS) as JobField[]).filter((field) => field !== 'name' && field !== 'lastModifiedBy' && field in job);
      const row = await this.sql.atomic(async (tx) => {
        const { set, values } = assignments(fields, job, modifiedBy);
        const changed = await this.sql.change(`UPDATE ${this.table} SET ${set} WHERE id = ? AND name = ?`, [...values, String(job._id), job.name], tx);
        return changed > 0 ? this.fetch(job._id as JobId, tx) : undefined;
      });
      // A job removed meanwhile is handed back unchanged, as agenda's backends do.
      return row ? rowToJob<DATA>(row) : job;
    }

    const uniqueKey = uniqueKeyOf(job);
    if (!uniqueKey) return rowToJob<DATA>(await this.insertJob(job, null, modifiedBy));

    // Two nodes saving the same unique job at once: one inserts, the other's insert hits the
    // unique index and goes round again, now updating the row the first one made.
    for (let attempt = 1; ; attempt++) {
      try {
        const row = await this.sql.atomic((tx) => this.upsertUnique(job, uniqueKey, modifiedBy, tx));
        return rowToJob<DATA>(row);
      } catch (error) {
        if (!(error instanceof UniqueConstraintError) || attempt >= 3) throw error;
      }
    }
  }

  private async insertJob(job: JobParameters<unknown>, uniqueKey: string | null, modifiedBy: string | null, transaction?: Transaction): Promise<JobRow> {
    const fields = (Object.keys(JOB_COLUMNS) as JobField[]).filter(
      (field) => field !== 'lastModifiedBy' && (field in job || field === 'disabled' || field === 'fork' || field === 'data'),
    );
    const columns = [...fields.map((field) => JOB_COLUMNS[field][0]), 'unique_key', 'last_modified_by'];
    const values = [...fields.map((field) => toColumnValue(field, (job as unknown as Record<string, unknown>)[field])), uniqueKey, modifiedBy];
    const insert = async (tx: Transaction | undefined) => {
      const id = await this.sql.insert(`INSERT INTO ${this.table} (${columns.join(', ')}) VALUES (${JobSql.placeholders(values)})`, values, tx);
      return (await this.fetch(id, tx)) as JobRow;
    };
    return transaction ? insert(transaction) : this.sql.atomic(insert);
  }

  private async upsertUnique(job: JobParameters<unknown>, uniqueKey: string, modifiedBy: string | null, tx: Transaction): Promise<JobRow> {
    const lock = this.sql.dialect === 'mysql' ? ' FOR UPDATE' : '';
    const [existing] = await this.sql.select<JobRow>(`SELECT * FROM ${this.table} WHERE unique_key = ?${lock}`, [uniqueKey], tx);
    const debounce = job.type === 'single' ? undefined : job.uniqueOpts?.debounce;
    const now = new Date();

    if (!existing) {
      if (!debounce) return this.insertJob(job, uniqueKey, modifiedBy, tx);
      const schedule = debounceSchedule(debounce, job.nextRunAt ?? null, null, now);
      return this.insertJob({ ...job, ...schedule, debounceStartedAt: schedule.debounceStartedAt ?? undefined }, uniqueKey, modifiedBy, tx);
    }
    if (job.type !== 'single' && job.uniqueOpts?.insertOnly && !debounce) return existing;

    const fields = DEFINITION_FIELDS.filter((field) => field !== 'name' && field in job);
    const update: Record<string, unknown> = { ...job };
    if (job.type === 'single') {
      // Restarting a node re-saves its `every` jobs with "now": a job already scheduled keeps
      // its time instead of running again at once.
      const stored = parseTime(existing.next_run_at);
      if (job.nextRunAt && job.nextRunAt <= now && stored) update.nextRunAt = stored;
    }
    if (debounce) {
      const schedule = debounceSchedule(
        debounce,
        job.nextRunAt ?? null,
        { nextRunAt: parseTime(existing.next_run_at) ?? null, debounceStartedAt: parseTime(existing.debounce_started_at) ?? null },
        now,
      );
      update.nextRunAt = schedule.nextRunAt;
      update.debounceStartedAt = schedule.debounceStartedAt;
      if (!fields.includes('nextRunAt')) fields.push('nextRunAt');
      fields.push('debounceStartedAt');
    }
    const { set, values } = assignments(fields, update, modifiedBy);
    await this.sql.change(`UPDATE ${this.table} SET ${set} WHERE id = ?`, [...values, String(existing.id)], tx);
    return (await this.fetch(String(existing.id), tx)) as JobRow;
  }

  async saveJobState(job: JobParameters, options: JobRepositoryOptions | undefined): Promise<void> {
    if (!job._id) throw new Error('Cannot save job state without job ID');
    const { set, values } = assignments(PROCESSOR_FIELDS.concat('nextRunAt'), job, options?.lastModifiedBy ?? null);
    const changed = await this.sql.write((tx) =>
      this.sql.change(`UPDATE ${this.table} SET ${set} WHERE id = ? AND name = ?`, [...values, String(job._id), job.name], tx),
    );
    if (changed !== 1) {
      throw new Error(`job ${job._id} (name: ${job.name}) cannot be updated in the database, maybe it does not exist anymore?`);
    }
  }

  // ---- locking ------------------------------------------------------------------------

  async lockJob(job: JobParameters, options: JobRepositoryOptions | undefined): Promise<JobParameters | undefined> {
    if (!job._id || !isRowId(job._id)) return undefined;
    const nextRunAt = job.nextRunAt ? 'next_run_at = ?' : 'next_run_at IS NULL';
    const values: unknown[] = [new Date(), options?.lastModifiedBy ?? null, String(job._id), job.name];
    if (job.nextRunAt) values.push(new Date(job.nextRunAt));
    const row = await this.sql.atomic(async (tx) => {
      const changed = await this.sql.change(
        `UPDATE ${this.table} SET locked_at = ?, last_modified_by = ? WHERE id = ? AND name = ? AND locked_at IS NULL AND disabled = 0 AND ${nextRunAt}`,
        values,
        tx,
      );
      return changed === 1 ? this.fetch(job._id as JobId, tx) : undefined;
    });
    return row ? rowToJob(row) : undefined;
  }

  async unlockJob(job: JobParameters): Promise<void> {
    if (!job._id || !isRowId(job._id)) return;
    // A job whose run finished (no next run) is left as the processor saved it.
    await this.sql.write((tx) => this.sql.change(`UPDATE ${this.table} SET locked_at = NULL WHERE id = ? AND next_run_at IS NOT NULL`, [String(job._id)], tx));
  }

  async unlockJobs(jobIds: (JobId | string)[]): Promise<void> {
    const ids = jobIds.map(String).filter(isRowId);
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      await this.sql.write((tx) => this.sql.change(`UPDATE ${this.table} SET locked_at = NULL WHERE id IN (${JobSql.placeholders(chunk)})`, chunk, tx));
    }
  }

  async getNextJobToRun(
    jobName: string,
    nextScanAt: Date,
    lockDeadline: Date,
    now: Date | undefined,
    options: JobRepositoryOptions | undefined,
  ): Promise<JobParameters | undefined> {
    const lockedAt = now ?? new Date();
    const modifiedBy = options?.lastModifiedBy ?? null;
    const runnable = [jobName, nextScanAt, lockDeadline];

    if (this.sql.dialect === 'mysql') return this.oneClaimAtATime(jobName, () => this.claimByConditionalUpdate(runnable, lockedAt, modifiedBy));

    // SQLite: the IMMEDIATE transaction holds the database's only write lock from the SELECT on.
    const row = await this.sql.atomic(async (tx) => {
      const [candidate] = await this.sql.select<{ id: number }>(`SELECT id FROM ${this.table} WHERE ${RUNNABLE} ORDER BY ${NEXT_JOB_ORDER} LIMIT 1`, runnable, tx);
      if (!candidate) return undefined;
      await this.sql.change(`UPDATE ${this.table} SET locked_at = ?, last_modified_by = ? WHERE id = ?`, [lockedAt, modifiedBy, candidate.id], tx);
      return this.fetch(String(candidate.id), tx);
    });
    return row ? rowToJob(row) : undefined;
  }

  /**
   * agenda starts a poll every `processEvery` whether or not the last one finished, so under
   * load one process runs several claim loops for the same job name, all reading the same
   * candidates and racing each other for them (measured: ten UPDATE attempts per claim, and
   * claims twenty times slower). Within a process, claims for one name take turns.
   */
  private oneClaimAtATime<T>(jobName: string, claim: () => Promise<T>): Promise<T> {
    const previous = this.claims.get(jobName) ?? Promise.resolve();
    const next = previous.then(claim, claim);
    const tail = next.then(
      () => undefined,
      () => undefined,
    );
    this.claims.set(jobName, tail);
    void tail.then(() => {
      if (this.claims.get(jobName) === tail) this.claims.delete(jobName);
    });
    return next;
  }

  /**
   * MySQL/MariaDB: read a few candidates without locking, then claim one with an UPDATE that
   * repeats the whole condition; InnoDB re-checks it on the row's latest version under the
   * row lock, so of two nodes racing for a row exactly one matches it, and the loser moves on
   * to the next candidate. (SELECT ... FOR UPDATE SKIP LOCKED was tried: its ORDER BY on an OR
   * condition sorts in a filesort, which locks every candidate, so a concurrent scanner found
   * nothing to take.)
   */
  private async claimByConditionalUpdate(runnable: unknown[], lockedAt: Date, modifiedBy: string | null): Promise<JobParameters | undefined> {
    for (let round = 0; round < 5; round++) {
      const candidates = await this.sql.select<{ id: number }>(`SELECT id FROM ${this.table} WHERE ${RUNNABLE} ORDER BY ${NEXT_JOB_ORDER} LIMIT 8`, runnable);
      if (candidates.length === 0) return undefined;
      for (const { id } of candidates) {
        const claimed = await this.sql.change(`UPDATE ${this.table} SET locked_at = ?, last_modified_by = ? WHERE id = ? AND ${RUNNABLE}`, [
          lockedAt,
          modifiedBy,
          id,
          ...runnable,
        ]);
        if (claimed === 1) {
          const row = await this.fetch(String(id));
          if (row) return rowToJob(row);
        }
      }
    }
    return undefined;
  }
}

function isRowId(id: unknown): boolean {
  return /^\d{1,19}$/.test(String(id));
}

/** `col = ?, ...` for the given fields plus last_modified_by. */
function assignments(fields: JobField[], job: object, modifiedBy: string | null): { set: string; values: unknown[] } {
  const source = job as Record<string, unknown>;
  const set = fields.map((field) => `${JOB_COLUMNS[field][0]} = ?`).concat('last_modified_by = ?');
  const values = fields.map((field) => toColumnValue(field, source[field])).concat(modifiedBy);
  return { set: set.join(', '), values };
}

/** WHERE for agenda's remove/disable/enable/query options; 'nothing' when it can match no row. */
function buildFilter(options: RemoveJobsOptions & { id?: string; ids?: string[] }): Filter | 'nothing' {
  const conditions: string[] = [];
  const values: unknown[] = [];
  const inList = (column: string, list: unknown[], negate = false) => {
    conditions.push(`${column} ${negate ? 'NOT IN' : 'IN'} (${JobSql.placeholders(list)})`);
    values.push(...list);
  };
  if (options.id !== undefined) {
    if (!isRowId(options.id)) return 'nothing';
    conditions.push('id = ?');
    values.push(String(options.id));
  } else if (options.ids) {
    const ids = options.ids.map(String).filter(isRowId);
    if (ids.length === 0) return 'nothing';
    inList('id', ids);
  }
  if (options.name !== undefined) {
    conditions.push('name = ?');
    values.push(options.name);
  } else if (options.names) {
    if (options.names.length === 0) return 'nothing';
    inList('name', options.names);
  }
  if (options.notNames && options.notNames.length > 0) inList('name', options.notNames, true);
  return { where: conditions.join(' AND '), values, data: options.data };
}

/** ORDER BY for a JobsSort; NULLs last, as agenda's backends show them. */
function orderBy(sort: JobsSort | undefined): string {
  const columns: Array<[keyof JobsSort, string, boolean]> = [
    ['nextRunAt', 'next_run_at', true],
    ['lastRunAt', 'last_run_at', true],
    ['lastFinishedAt', 'last_finished_at', true],
    ['priority', 'priority', false],
    ['name', 'name', false],
  ];
  const parts: string[] = [];
  for (const [key, column, nullable] of columns) {
    const direction = sort?.[key];
    if (!direction) continue;
    if (nullable) parts.push(`${column} IS NULL`);
    parts.push(`${column} ${direction === 'asc' ? 'ASC' : 'DESC'}`);
  }
  if (parts.length === 0) return 'next_run_at IS NULL, next_run_at DESC, last_run_at IS NULL, last_run_at DESC, id ASC';
  return `${parts.join(', ')}, id ASC`;
}
