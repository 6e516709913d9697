import crypto from 'node:crypto';
import type { Request, Response } from 'express';
import { DataTypes, Model, Op, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize, type Transaction } from 'sequelize';
import { execute, insertRows } from '../db/raw-sql.js';
import { withTransaction } from '../db/transaction.js';
import { uniqueConflictOn } from '../db/unique-conflict.js';
import { AppError } from '../errors/app-error.js';
import type { Principal } from './route.js';

const KEY_PATTERN = /^[\x21-\x7e]{1,128}$/;

function defineKeyModel(sequelize: Sequelize) {
  class IdempotencyKey extends Model<InferAttributes<IdempotencyKey>, InferCreationAttributes<IdempotencyKey>> {
    declare id: CreationOptional<number>;
    declare scope: string;
    declare idemKey: string;
    declare endpoint: string;
    declare requestHash: string;
    declare statusCode: number | null;
    declare response: string | null;
    declare createdAt: Date;
  }
  IdempotencyKey.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      scope: { type: DataTypes.STRING(64), allowNull: false },
      idemKey: { type: DataTypes.STRING(128), allowNull: false },
      endpoint: { type: DataTypes.STRING(160), allowNull: false },
      requestHash: { type: DataTypes.CHAR(64), allowNull: false },
      statusCode: DataTypes.INTEGER,
      response: DataTypes.TEXT,
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { sequelize, tableName: 'idempotency_keys', timestamps: false, underscored: true },
  );
  return IdempotencyKey;
}

/** Object keys sorted at every level, so `{a,b}` and `{b,a}` are the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export interface IdempotentCall {
  principal: Principal;
  /** The Idempotency-Key header, or undefined. */
  key: string | undefined;
  /** What the key is used for (`POST /api/v1/orders`); the same key on another endpoint is another request. */
  endpoint: string;
  /** The validated request (body plus path ids): a replay must match it. */
  request: unknown;
}

/**
 * At-most-once writes for clients that retry after a timeout (POS terminals, ERP syncs).
 * The key row is inserted first in the write's own transaction and the response saved in
 * it before commit, so the key and its effect commit together or not at all. A key used
 * before hits the unique index: the transaction rolls back and the saved response is read
 * then, so a first request (nearly every one) reads nothing. A concurrent replay blocks on
 * the unique index until the first commits, then reads the saved response. A failed
 * request saves nothing: the client may retry it with the same key.
 * API keys must send a key; the console may.
 */
export class Idempotency {
  private readonly model: ReturnType<typeof defineKeyModel>;

  constructor(private readonly sequelize: Sequelize) {
    this.model = defineKeyModel(sequelize);
  }

  /** Runs `work` in a transaction once per key; `replayed` says the response is the saved one. */
  async run<T>(call: IdempotentCall, work: (transaction: Transaction) => Promise<T>): Promise<{ value: T; replayed: boolean }> {
    const { principal, key } = call;
    if (key === undefined || key === '') {
      if (principal.kind === 'api_key') throw new AppError('IDEMPOTENCY_KEY_REQUIRED');
      return { value: await withTransaction(this.sequelize, work), replayed: false };
    }
    if (!KEY_PATTERN.test(key)) throw new AppError('IDEMPOTENCY_KEY_INVALID');
    const scope = principal.kind === 'api_key' ? `api_key:${principal.apiKeyId}` : `${principal.kind}:${principal.userId}`;
    const requestHash = crypto.createHash('sha256').update(`${call.endpoint}\n${canonical(call.request)}`).digest('hex');
    try {
      const value = await withTransaction(this.sequelize, async (transaction) => {
        const row = { scope, idem_key: key, endpoint: call.endpoint, request_hash: requestHash, status_code: null, response: null, created_at: new Date() };
        await insertRows(this.sequelize, 'idempotency_keys', [row], transaction);
        const result = await work(transaction);
        await execute(this.sequelize, 'UPDATE idempotency_keys SET status_code = $1, response = $2 WHERE scope = $3 AND idem_key = $4', [200, JSON.stringify(result), scope, key], transaction);
        return result;
      });
      return { value, replayed: false };
    } catch (error) {
      if (!uniqueConflictOn(error, 'idem_key', 'idempotency_keys_scope_key', 'scope')) throw error;
      const earlier = await this.saved<T>(scope, key, requestHash);
      if (earlier) return earlier;
      throw error;
    }
  }

  /** The saved response of a key used before; 409 when it was used for another request. */
  private async saved<T>(scope: string, key: string, requestHash: string): Promise<{ value: T; replayed: true } | null> {
    const row = await this.model.findOne({ where: { scope, idemKey: key } });
    if (!row) return null;
    if (row.requestHash !== requestHash) throw new AppError('IDEMPOTENCY_KEY_REUSED', { params: { key } });
    if (row.response === null) return null;
    return { value: JSON.parse(row.response) as T, replayed: true };
  }

  /** Forgets keys older than `before` (a daily job): a POS retries within minutes, not weeks. */
  async purge(before: Date): Promise<number> {
    return this.model.destroy({ where: { createdAt: { [Op.lt]: before } } });
  }
}

/** The error codes every idempotent route may answer. */
export const IDEMPOTENCY_ERRORS = ['IDEMPOTENCY_KEY_REQUIRED', 'IDEMPOTENCY_KEY_INVALID', 'IDEMPOTENCY_KEY_REUSED'] as const;

/** The request's Idempotency-Key header, if any. */
export function idempotencyKeyOf(req: Request): string | undefined {
  return req.get('idempotency-key') ?? undefined;
}

/** The response body of an idempotent write; a replay says so in a header, as Stripe's do. */
export function replayAware<T>(res: Response, result: { value: T; replayed: boolean }): T {
  if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
  return result.value;
}
