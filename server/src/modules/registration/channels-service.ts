import { Op, UniqueConstraintError, type Sequelize, type WhereOptions } from 'sequelize';
import { withTransaction } from '../../platform/db/transaction.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { Principal } from '../../platform/http/route.js';
import { invalidFields } from '../../platform/http/validation.js';
import { inStoreScope } from '../access/scope.js';
import { changedFields } from '../audit/changes.js';
import type { AuditService } from '../audit/service.js';
import type { StoreService } from '../stores/service.js';
import { channelFields, type ChannelBuiltinField, type ChannelRecord, type ChannelStatus, type RegistrationModels } from './models.js';
import { registrationError } from './errors.js';

export interface ChannelInput {
  code: string;
  name: string;
  storeId: number;
  status: ChannelStatus;
  privacyNotice: string;
  consentText: string;
  fields: ChannelBuiltinField[];
}

export type ChannelPatchInput = Partial<Omit<ChannelInput, 'code'>>;

/** A channel as the API shows it: `fields` parsed. */
export interface ChannelView extends ChannelInput {
  id: number;
  createdAt: Date;
  updatedAt: Date;
}

const AUDITED = ['code', 'name', 'storeId', 'status', 'privacyNotice', 'consentText', 'fields'] as const;

/**
 * 注册渠道: the admin side of self-registration. A channel belongs to its members' home
 * store, so store scope applies as to any store's data: a manager lists, creates and
 * changes the channels of their stores only, and another store's channel reads like a
 * missing one.
 */
export class ChannelService {
  constructor(
    private readonly deps: { sequelize: Sequelize; models: RegistrationModels; stores: StoreService; audit: AuditService },
  ) {}

  async list(principal: Principal, query: { storeId?: number; status?: ChannelStatus; keyword?: string }): Promise<ChannelView[]> {
    const and: WhereOptions[] = [];
    if (principal.storeScope !== null) and.push({ storeId: principal.storeScope });
    if (query.storeId !== undefined) and.push({ storeId: query.storeId });
    if (query.status) and.push({ status: query.status });
    if (query.keyword) {
      const like = `%${query.keyword.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      and.push({ [Op.or]: [{ code: { [Op.like]: like } }, { name: { [Op.like]: like } }] });
    }
    const rows = await this.deps.models.RegistrationChannel.findAll({ where: { [Op.and]: and }, order: [['id', 'ASC']] });
    return rows.map(view);
  }

  async get(principal: Principal, id: number): Promise<ChannelView> {
    return view(await this.findInScope(principal, id));
  }

  async create(principal: Principal, input: ChannelInput): Promise<ChannelView> {
    await this.assertStoreReachable(principal, input.storeId);
    try {
      return await withTransaction(this.deps.sequelize, async (transaction) => {
        const row = await this.deps.models.RegistrationChannel.create({ ...input, fields: JSON.stringify(input.fields) }, { transaction });
        await this.deps.audit.record({
          action: 'registration_channel.create',
          entityType: 'registration_channel',
          entityId: row.id,
          storeId: row.storeId,
          summary: `新建注册渠道 ${row.code} ${row.name}`,
          diff: changedFields(null, view(row), [...AUDITED]),
        });
        return view(row);
      });
    } catch (error) {
      if (error instanceof UniqueConstraintError) throw registrationError('REGISTRATION_CHANNEL_CODE_TAKEN', { params: { code: input.code }, details: { field: 'code' } });
      throw error;
    }
  }

  async update(principal: Principal, id: number, patch: ChannelPatchInput): Promise<ChannelView> {
    await this.findInScope(principal, id);
    if (patch.storeId !== undefined) await this.assertStoreReachable(principal, patch.storeId);
    return withTransaction(this.deps.sequelize, async (transaction) => {
      const row = await this.deps.models.RegistrationChannel.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE });
      if (!row) throw registrationError('REGISTRATION_CHANNEL_NOT_FOUND', { params: { id } });
      const before = view(row);
      await row.update({ ...patch, ...(patch.fields ? { fields: JSON.stringify(patch.fields) } : {}) } as Partial<ChannelRecord>, { transaction });
      const diff = changedFields(before, view(row), [...AUDITED]);
      if (diff.length > 0) {
        await this.deps.audit.record({
          action: 'registration_channel.update',
          entityType: 'registration_channel',
          entityId: row.id,
          storeId: row.storeId,
          summary: `修改注册渠道 ${row.code}：${diff.map((d) => d.field).join('、')}`,
          diff,
        });
      }
      return view(row);
    });
  }

  /** The channel behind a public URL, whoever asks; null when unknown. */
  async findByCode(code: string): Promise<ChannelRecord | null> {
    return this.deps.models.RegistrationChannel.findOne({ where: { code: code.toLowerCase() } });
  }

  private async findInScope(principal: Principal, id: number): Promise<ChannelRecord> {
    const row = await this.deps.models.RegistrationChannel.findByPk(id);
    if (!row || !inStoreScope(principal, row.storeId)) throw registrationError('REGISTRATION_CHANNEL_NOT_FOUND', { params: { id } });
    return row;
  }

  /** A store outside the caller's reach is refused on its field, like a missing one. */
  private async assertStoreReachable(principal: Principal, storeId: number): Promise<void> {
    try {
      await this.deps.stores.get(principal, storeId);
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 404) throw error;
      throw invalidFields([{ path: 'storeId', code: 'not_found', zh: '门店不存在或不在您的管理范围内', en: 'No such store within your reach' }]);
    }
  }
}

function view(row: ChannelRecord): ChannelView {
  return {
    id: Number(row.id),
    code: row.code,
    name: row.name,
    storeId: Number(row.storeId),
    status: row.status,
    privacyNotice: row.privacyNotice,
    consentText: row.consentText,
    fields: channelFields(row),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
