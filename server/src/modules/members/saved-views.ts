import { UniqueConstraintError, type Sequelize } from 'sequelize';
import { withTransaction } from '../../platform/db/transaction.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { Principal } from '../../platform/http/route.js';
import type { AuditService } from '../audit/service.js';
import type { MemberModels } from './models.js';

export const MAX_VIEWS_PER_USER = 50;

export interface SavedView {
  id: number;
  name: string;
  query: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

/**
 * A user's saved member-list views: names for filter and sort combinations they use
 * every day. Personal, like a browser bookmark: another user's view reads as missing.
 * The query is stored as given and checked again by the list whenever it is used, so a
 * view never grants what its owner's roles no longer allow.
 */
export class MemberViews {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly models: MemberModels,
    private readonly audit: AuditService,
  ) {}

  async list(principal: Principal): Promise<SavedView[]> {
    const rows = await this.models.MemberView.findAll({ where: { ownerUserId: principal.userId }, order: [['name', 'ASC']] });
    return rows.map(view);
  }

  async save(principal: Principal, name: string, query: Record<string, unknown>): Promise<SavedView> {
    const { MemberView } = this.models;
    try {
      return await withTransaction(this.sequelize, async (transaction) => {
        const existing = await MemberView.findOne({ where: { ownerUserId: principal.userId, name }, transaction });
        if (!existing && (await MemberView.count({ where: { ownerUserId: principal.userId }, transaction })) >= MAX_VIEWS_PER_USER) {
          throw new AppError('MEMBER_VIEW_LIMIT', { params: { max: MAX_VIEWS_PER_USER } });
        }
        const saved = existing
          ? await existing.update({ query: JSON.stringify(query) }, { transaction })
          : await MemberView.create({ ownerUserId: principal.userId, name, query: JSON.stringify(query) }, { transaction });
        await this.audit.record({ action: 'member_view.save', entityType: 'member_view', entityId: saved.id, summary: `保存会员列表视图“${name}”`, diff: { name, query } });
        return view(saved);
      });
    } catch (error) {
      // Saved twice at once under one name: the other save won, this one updates it.
      if (error instanceof UniqueConstraintError) return this.save(principal, name, query);
      throw error;
    }
  }

  async remove(principal: Principal, id: number): Promise<void> {
    await withTransaction(this.sequelize, async (transaction) => {
      const found = await this.models.MemberView.findOne({ where: { id, ownerUserId: principal.userId }, transaction });
      if (!found) throw new AppError('MEMBER_VIEW_NOT_FOUND', { params: { id } });
      await found.destroy({ transaction });
      await this.audit.record({ action: 'member_view.delete', entityType: 'member_view', entityId: id, summary: `删除会员列表视图“${found.name}”` });
    });
  }
}

function view(row: { id: number; name: string; query: string; createdAt: Date; updatedAt: Date }): SavedView {
  return { id: Number(row.id), name: row.name, query: JSON.parse(row.query) as Record<string, unknown>, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
}
