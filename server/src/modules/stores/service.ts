import { Op, UniqueConstraintError, type Sequelize, type WhereOptions } from 'sequelize';
import { withTransaction } from '../../platform/db/transaction.js';
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

export class StoreService {
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

  /** Another store's id answers exactly like a missing one: no existence oracle. */
  async get(principal: Principal, id: number): Promise<StoreRecord> {
    const store = inStoreScope(principal, id) ? await this.models.Store.findByPk(id) : null;
    if (!store) throw new AppError('STORE_NOT_FOUND', { params: { id } });
    return store;
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
