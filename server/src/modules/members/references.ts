import { Op } from 'sequelize';
import { AppError } from '../../platform/errors/app-error.js';
import type { Principal } from '../../platform/http/route.js';
import { invalidFields } from '../../platform/http/validation.js';
import type { PlainRecord } from '../access/field-policy/record-shape.js';
import type { StaffService } from '../staff/service.js';
import type { StoreService } from '../stores/service.js';
import { memberScopeWhere } from './list-query.js';
import type { CustomValues } from './custom-values.js';
import type { MemberModels } from './models.js';

/**
 * The rules of a member payload that need the database: the home store, the referrer and
 * the account manager must exist within the caller's reach, and custom values must fit
 * their definitions. Checked before the write's transaction opens, each failure as a 422
 * on its field.
 */
export class MemberReferences {
  constructor(
    private readonly models: MemberModels,
    private readonly stores: StoreService,
    private readonly staff: StaffService,
    private readonly custom: CustomValues,
  ) {}

  /** `custom` is the payload's custom values after the form engine has checked them. */
  async check(principal: Principal, input: PlainRecord, custom: PlainRecord, selfId?: number): Promise<void> {
    const problems: Array<{ path: string; code: string; zh: string; en: string }> = [];
    for (const ref of await this.custom.references(custom)) {
      const found =
        ref.type === 'member_ref'
          ? await this.memberInReach(principal, ref.id, selfId)
          : await this.exists(() => this.staff.get(principal, ref.id));
      if (!found) problems.push({ path: `custom.${ref.key}`, code: 'not_found', zh: '所选记录不存在或不在您的管理范围内', en: 'No such record within your reach' });
    }
    if (typeof input.homeStoreId === 'number' && !(await this.exists(() => this.stores.get(principal, input.homeStoreId as number)))) {
      problems.push({ path: 'homeStoreId', code: 'not_found', zh: '门店不存在或不在您的管理范围内', en: 'No such store within your reach' });
    }
    if (typeof input.referrerId === 'number') {
      if (!(await this.memberInReach(principal, input.referrerId, selfId))) problems.push({ path: 'referrerId', code: 'not_found', zh: '推荐人不存在（不能推荐自己）', en: 'No such referrer (a member cannot refer themselves)' });
    }
    if (typeof input.managerId === 'number' && !(await this.exists(() => this.staff.get(principal, input.managerId as number)))) {
      problems.push({ path: 'managerId', code: 'not_found', zh: '专属顾问不存在或不在您的管理范围内', en: 'No such staff member within your reach' });
    }
    if (problems.length > 0) throw invalidFields(problems);
  }

  private async memberInReach(principal: Principal, id: number, selfId?: number): Promise<boolean> {
    if (id === selfId) return false;
    const member = await this.models.Member.findOne({
      where: { [Op.and]: [{ id, status: { [Op.ne]: 'erased' } }, ...memberScopeWhere(principal)] },
      attributes: ['id'],
    });
    return member !== null;
  }

  private async exists(find: () => Promise<unknown>): Promise<boolean> {
    try {
      await find();
      return true;
    } catch (error) {
      if (error instanceof AppError && error.status === 404) return false;
      throw error;
    }
  }
}
