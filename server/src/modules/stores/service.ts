import { Op, UniqueConstraintError, type Sequelize, type WhereOptions } from 'sequelize';
import { afterCommit, withTransaction } from '../../platform/db/transaction.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { Principal } from '../../platform/http/route.js';
import { inStoreScope } from '../access/scope.js';
import { changedFields } from '../audit/changes.js';
import type { AuditService } from '../audit/service.js';
import type { StoreModels, StoreRecord, StoreStatus } from './models.js';

export interface StoreInput {
  code: string;
  name: string;
  region?: string | null;
  address?: string | null;
  phone?: string | null;
  status?: StoreStatus;
}

const AUDITED = ['code', 'name', 'region', 'address', 'phone', 'status'] as const;

/**
 * How long `get` reuses a store row. Every checkout, preview and top-up names its store;
 * a change made on this node is seen at once (update drops the row), on another node
 * within this time, as with the grants cache.
 */
export const STORE_CACHE_MS = 2000;

export class StoreService {
  private readonly cache = new Map<number, { until: number; store: Promise<StoreRecord | null> }>();

  constructor(
    private readonly sequelize: Sequelize,
    private readonly models: StoreModels,
    private readonly audit: AuditService,
  ) {}

  async list(principal: Principal, query: { keyword?: string; status?: StoreStatus }): Promise<StoreRecord[]> {
    const and: WhereOptions[] = [];
    if (principal.storeScope !== null) and.push({ id: principal.storeScope });
    if (query.status) and.push({ status: query.status });
    if (query.keyword) {
      const like = `%${query.keyword.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      and.push({ [Op.or]: [{ code: { [Op.like]: like } }, { name: { [Op.like]: like } }, { region: { [Op.like]: like } }] });
    }
    return this.models.Store.findAll({ where: { [Op.and]: and }, order: [['code', 'ASC']] });
  }

  /**
   * Another store's id answers exactly like a missing one: no existence oracle. The scope
   * is checked on every call; the row may be a few seconds old (STORE_CACHE_MS) and is
   * shared between callers, who only read it.
   */
  async get(principal: Principal, id: number): Promise<StoreRecord> {
    const store = inStoreScope(principal, id) ? await this.cached(id) : null;
    if (!store) throw new AppError('STORE_NOT_FOUND', { params: { id } });
    return store;
  }

  private cached(id: number): Promise<StoreRecord | null> {
    const now = Date.now();
    const hit = this.cache.get(id);
    if (hit && hit.until > now) return hit.store;
    const store = this.models.Store.findByPk(id);
    this.cache.set(id, { until: now + STORE_CACHE_MS, store });
    store.catch(() => this.cache.delete(id));
    if (this.cache.size > 1000) this.cache.delete(this.cache.keys().next().value!);
    return store;
  }

  /** Drops a cached row now and again once the caller's transaction commits, so no reader caches the old one meanwhile. */
  private forget(id: number): void {
    this.cache.delete(id);
    afterCommit(() => this.cache.delete(id));
  }

  async create(input: StoreInput): Promise<StoreRecord> {
    try {
      return await withTransaction(this.sequelize, async (transaction) => {
        const store = await this.models.Store.create(
          {
            code: input.code,
            name: input.name,
            region: input.region ?? null,
            address: input.address ?? null,
            phone: input.phone ?? null,
            status: input.status ?? 'open',
          },
          { transaction },
        );
        // A get of this id before the commit cached "missing".
        this.forget(store.id);
        await this.audit.record({
          action: 'store.create',
          entityType: 'store',
          entityId: store.id,
          storeId: store.id,
          summary: `新建门店 ${store.code} ${store.name}`,
          diff: changedFields(null, store.get(), [...AUDITED]),
        });
        return store;
      });
    } catch (error) {
      if (error instanceof UniqueConstraintError) throw new AppError('STORE_CODE_TAKEN', { params: { code: input.code } });
      throw error;
    }
  }

  async update(principal: Principal, id: number, patch: Partial<Omit<StoreInput, 'code'>>): Promise<StoreRecord> {
    if (!inStoreScope(principal, id)) throw new AppError('STORE_NOT_FOUND', { params: { id } });
    return withTransaction(this.sequelize, async (transaction) => {
      // Every query inside passes the transaction: a second pooled connection per request
      // would let a burst of writers hold the whole pool while waiting for one more.
      const store = await this.models.Store.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE });
      if (!store) throw new AppError('STORE_NOT_FOUND', { params: { id } });
      const before = store.get({ clone: true });
      await store.update(patch, { transaction });
      this.forget(id);
      const diff = changedFields(before, store.get(), [...AUDITED]);
      if (diff.length > 0) {
        await this.audit.record({
          action: 'store.update',
          entityType: 'store',
          entityId: store.id,
          storeId: store.id,
          summary: `修改门店 ${store.code}：${diff.map((d) => d.field).join('、')}`,
          diff,
        });
      }
      return store;
    });
  }
}
