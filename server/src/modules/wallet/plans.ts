import type { Sequelize, Transaction } from 'sequelize';
import { withTransaction } from '../../platform/db/transaction.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { Principal } from '../../platform/http/route.js';
import { invalidFields } from '../../platform/http/validation.js';
import { changedFields } from '../audit/changes.js';
import type { MemberRecord } from '../members/models.js';
import type { AuditService } from '../audit/service.js';
import type { PlanRecord, PlanStatus, WalletModels } from './models.js';
import { yuanText } from './money-text.js';

export interface PlanInput {
  name: string;
  amount: number;
  bonus: number;
  points: number;
  sortOrder?: number;
  /** Coupons a top-up on the plan issues: the template and how many. */
  couponTemplateId?: number | null;
  couponCount?: number;
}

export interface PlanPatch {
  name?: string;
  /** Only while no top-up used the plan: a member who bought it bought that amount. */
  amount?: number;
  bonus?: number;
  points?: number;
  status?: PlanStatus;
  sortOrder?: number;
  couponTemplateId?: number | null;
  couponCount?: number;
}

/**
 * What plans and top-ups need from the coupons module, which is built after this one and
 * plugs in through `useCoupons` (context.ts). Issuing and voiding join the caller's
 * transaction, which holds the member row's lock: a top-up and its coupons are written
 * together or not at all.
 */
export interface PlanCoupons {
  /** The template a plan may give: missing or inactive ones are refused. */
  check(templateId: number): Promise<{ name: string }>;
  /** Issues a top-up's coupons (source `topup`, source_ref its id); refuses like any issue (stock, limits). */
  issueForTopup(principal: Principal, member: MemberRecord, input: { templateId: number; count: number; topupId: number; storeId: number; reason: string }, t: Transaction): Promise<number>;
  /** Voids the top-up's coupons still unused; answers how many. */
  voidForTopup(principal: Principal, member: MemberRecord, input: { topupId: number; reason: string }, t: Transaction): Promise<number>;
}

const AUDITED = ['name', 'amount', 'bonus', 'points', 'couponTemplateId', 'couponCount', 'status', 'sortOrder'] as const;

export function planView(plan: PlanRecord) {
  return {
    id: plan.id,
    name: plan.name,
    amount: plan.amount,
    bonus: plan.bonus,
    points: plan.points,
    couponTemplateId: plan.couponTemplateId ?? null,
    couponCount: plan.couponCount ?? 0,
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
  private coupons: PlanCoupons | null = null;

  constructor(
    private readonly sequelize: Sequelize,
    private readonly models: WalletModels,
    private readonly audit: AuditService,
  ) {}

  useCoupons(coupons: PlanCoupons): void {
    this.coupons = coupons;
  }

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
    const coupons = await this.couponTerms(input.couponTemplateId ?? null, input.couponCount ?? 0);
    return withTransaction(this.sequelize, async (transaction) => {
      const plan = await this.models.WalletPlan.create(
        { name: input.name, amount: input.amount, bonus: input.bonus, points: input.points, ...coupons.terms, sortOrder: input.sortOrder ?? 0, status: 'active' },
        { transaction },
      );
      await this.audit.record({
        action: 'wallet.plan.create',
        entityType: 'wallet_plan',
        entityId: plan.id,
        summary: `新建储值方案「${plan.name}」：充 ${yuanText(plan.amount)} 送 ${yuanText(plan.bonus)}、${plan.points} 积分${coupons.text}`,
        diff: changedFields(null, plan.get(), [...AUDITED]),
      });
      return planView(plan);
    });
  }

  async update(id: number, patch: PlanPatch) {
    // The template is checked before the transaction: it is another module's read.
    const current = await this.models.WalletPlan.findByPk(id);
    if (!current) throw new AppError('TOPUP_PLAN_NOT_FOUND', { params: { id } });
    const touchesCoupons = patch.couponTemplateId !== undefined || patch.couponCount !== undefined;
    const coupons = touchesCoupons
      ? await this.couponTerms(patch.couponTemplateId === undefined ? current.couponTemplateId : patch.couponTemplateId, patch.couponCount ?? (patch.couponTemplateId === null ? 0 : current.couponCount))
      : null;
    return withTransaction(this.sequelize, async (transaction) => {
      const plan = await this.models.WalletPlan.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE });
      if (!plan) throw new AppError('TOPUP_PLAN_NOT_FOUND', { params: { id } });
      if (patch.amount !== undefined && patch.amount !== plan.amount) {
        const used = await this.models.WalletTopup.count({ where: { planId: plan.id }, transaction });
        if (used > 0) throw new AppError('TOPUP_PLAN_IN_USE', { params: { name: plan.name } });
      }
      const before = plan.get({ clone: true });
      await plan.update({ ...patch, ...coupons?.terms }, { transaction });
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

  /**
   * A plan's coupons: none, or an active template and 1 or more coupons. Checked when the
   * plan is saved; a top-up checks again (the template may be paused since).
   */
  private async couponTerms(templateId: number | null, count: number): Promise<{ terms: { couponTemplateId: number | null; couponCount: number }; text: string }> {
    if (templateId === null) {
      if (count > 0) throw invalidFields([{ path: 'couponTemplateId', code: 'required', zh: '赠券数量大于 0 时请选择券模板', en: 'Choose a coupon template to give coupons' }]);
      return { terms: { couponTemplateId: null, couponCount: 0 }, text: '' };
    }
    if (count < 1) throw invalidFields([{ path: 'couponCount', code: 'too_small', zh: '选择了券模板时，赠券数量至少为 1', en: 'Give at least 1 coupon when a template is chosen' }]);
    if (!this.coupons) throw new Error('plan coupons need the coupons module (PlanService.useCoupons)');
    const template = await this.coupons.check(templateId);
    return { terms: { couponTemplateId: templateId, couponCount: count }, text: `、${count} 张「${template.name}」` };
  }
}
