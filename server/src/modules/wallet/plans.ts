import type { Sequelize } from 'sequelize';
import { withTransaction } from '../../platform/db/transaction.js';
import { AppError } from '../../platform/errors/app-error.js';
import { changedFields } from '../audit/changes.js';
import type { AuditService } from '../audit/service.js';
import type { PlanRecord, PlanStatus, WalletModels } from './models.js';
import { yuanText } from './money-text.js';

export interface PlanInput {
  name: string;
  amount: number;
  bonus: number;
  points: number;
  sortOrder?: number;
}

export interface PlanPatch {
  name?: string;
  /** Only while no top-up used the plan: a member who bought it bought that amount. */
  amount?: number;
  bonus?: number;
  points?: number;
  status?: PlanStatus;
  sortOrder?: number;
}

const AUDITED = ['name', 'amount', 'bonus', 'points', 'status', 'sortOrder'] as const;

export function planView(plan: PlanRecord) {
  return {
    id: plan.id,
    name: plan.name,
    amount: plan.amount,
    bonus: plan.bonus,
    points: plan.points,
    status: plan.status,
    sortOrder: plan.sortOrder,
    createdAt: plan.createdAt.toISOString(),
    updatedAt: plan.updatedAt.toISOString(),
  };
}

/**
 * Top-up plans (储值方案: pay 5,000, get 800 and 500 points). A plan is retired, never
 * deleted: top-ups name it for as long as their money lasts.
 */
export class PlanService {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly models: WalletModels,
    private readonly audit: AuditService,
  ) {}

  async list(query: { status?: PlanStatus }) {
    const plans = await this.models.WalletPlan.findAll({
      where: query.status ? { status: query.status } : {},
      order: [
        ['sortOrder', 'ASC'],
        ['amount', 'ASC'],
        ['id', 'ASC'],
      ],
    });
    return plans.map(planView);
  }

  async create(input: PlanInput) {
    return withTransaction(this.sequelize, async (transaction) => {
      const plan = await this.models.WalletPlan.create(
        { name: input.name, amount: input.amount, bonus: input.bonus, points: input.points, sortOrder: input.sortOrder ?? 0, status: 'active' },
        { transaction },
      );
      await this.audit.record({
        action: 'wallet.plan.create',
        entityType: 'wallet_plan',
        entityId: plan.id,
        summary: `新建储值方案「${plan.name}」：充 ${yuanText(plan.amount)} 送 ${yuanText(plan.bonus)}、${plan.points} 积分`,
        diff: changedFields(null, plan.get(), [...AUDITED]),
      });
      return planView(plan);
    });
  }

  async update(id: number, patch: PlanPatch) {
    return withTransaction(this.sequelize, async (transaction) => {
      const plan = await this.models.WalletPlan.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE });
      if (!plan) throw new AppError('TOPUP_PLAN_NOT_FOUND', { params: { id } });
      if (patch.amount !== undefined && patch.amount !== plan.amount) {
        const used = await this.models.WalletTopup.count({ where: { planId: plan.id }, transaction });
        if (used > 0) throw new AppError('TOPUP_PLAN_IN_USE', { params: { name: plan.name } });
      }
      const before = plan.get({ clone: true });
      await plan.update(patch, { transaction });
      const diff = changedFields(before, plan.get(), [...AUDITED]);
      if (diff.length > 0) {
        const retired = diff.some((d) => d.field === 'status') ? (plan.status === 'retired' ? '（停用）' : '（启用）') : '';
        await this.audit.record({
          action: 'wallet.plan.update',
          entityType: 'wallet_plan',
          entityId: plan.id,
          summary: `修改储值方案「${plan.name}」${retired}：${diff.map((d) => d.field).join('、')}`,
          diff,
        });
      }
      return planView(plan);
    });
  }
}
