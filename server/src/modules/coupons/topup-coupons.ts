import type { Transaction } from 'sequelize';
import { AppError } from '../../platform/errors/app-error.js';
import type { Principal } from '../../platform/http/route.js';
import type { MemberRecord } from '../members/models.js';
import type { PlanCoupons } from '../wallet/plans.js';
import type { IssuingService } from './issuing.js';
import type { TemplateStatus } from './models.js';
import { STATUS_LABELS } from './template-checks.js';
import type { TemplateService } from './templates.js';
import type { VoidingService } from './voiding.js';

/**
 * Coupons on top-up plans (充值送券), as the wallet module asks for them: a top-up on a
 * plan with a template issues its coupons in the top-up's transaction (source `topup`,
 * source_ref the top-up's id, so a retried hook never issues twice), refusing the top-up
 * like any issue when the template is paused or out of stock; a refund of the top-up
 * voids the ones still unused.
 */
export function topupCoupons(deps: { templates: TemplateService; issuing: IssuingService; voiding: VoidingService }): PlanCoupons {
  const operatorOf = (principal: Principal) => (principal.kind === 'user' ? principal.userId : null);
  return {
    async check(templateId) {
      const template = await deps.templates.find(templateId);
      if (template.status !== 'active') throw new AppError('COUPON_TEMPLATE_NOT_ACTIVE', { params: { name: template.name, status: STATUS_LABELS[template.status as TemplateStatus] } });
      return { name: template.name };
    },

    async issueForTopup(principal: Principal, member: MemberRecord, input, t: Transaction) {
      const template = await deps.templates.find(input.templateId, t);
      const coupons = await deps.issuing.issueInTransaction(
        template,
        member,
        { count: input.count, source: 'topup', sourceRef: String(input.topupId), operatorId: operatorOf(principal), storeId: input.storeId, reason: input.reason },
        t,
      );
      return coupons.length;
    },

    async voidForTopup(principal: Principal, member: MemberRecord, input, t: Transaction) {
      const voided = await deps.voiding.voidSourceInTransaction(member, { source: 'topup', sourceRef: String(input.topupId) }, input.reason, { operatorId: operatorOf(principal) }, t);
      return voided.length;
    },
  };
}
