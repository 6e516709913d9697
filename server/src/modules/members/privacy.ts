import { Op, type Sequelize } from 'sequelize';
import { withTransaction } from '../../platform/db/transaction.js';
import { AppError } from '../../platform/errors/app-error.js';
import { yuanText } from '../../platform/money/yuan-text.js';
import type { Principal } from '../../platform/http/route.js';
import type { AuditService } from '../audit/service.js';
import type { FieldRegistry } from '../access/field-policy/index.js';
import { memberScopeWhere } from './list-query.js';
import type { MemberConsents } from './consents.js';
import type { CustomIndex } from './custom-index.js';
import type { MemberContact } from './contact.js';
import { memberView } from './member-view.js';
import type { MemberModels } from './models.js';
import type { MemberService } from './service.js';

/**
 * What PIPL gives a member a right to: a copy of their data (Art. 45) and its deletion
 * (Art. 47). Erasure keeps the row and its id, which is the pseudonym the financial
 * ledgers point at (accounting law keeps those), and nothing that identifies the person:
 * contact ciphertexts and their indexes, name, birthday, card number, notes and custom
 * values are overwritten with nulls. The phone can then register again as a new member.
 * Audit records keep only what they always held (masked values); the erasure itself is
 * audited with the fields it cleared, never their values.
 */
const ERASED_COLUMNS = {
  cardNo: null,
  name: null,
  nickname: null,
  gender: null,
  birthday: null,
  birthMonth: null,
  region: null,
  phoneEnc: null,
  phoneBidx: null,
  phoneLast4: null,
  emailEnc: null,
  emailBidx: null,
  wechatId: null,
  idNumberEnc: null,
  idNumberBidx: null,
  // Whom they were referred by is about them too; members they referred keep pointing at the pseudonym.
  referrerId: null,
  notes: null,
  custom: null,
  frozenReason: null,
  frozenAt: null,
  // Balances stay (they are the business's liability and ledger); the payment PIN goes with the person.
  walletPinHash: null,
} as const;

export class MemberPrivacy {
  constructor(
    private readonly deps: {
      sequelize: Sequelize;
      models: MemberModels;
      members: MemberService;
      consents: MemberConsents;
      contact: MemberContact;
      registry: FieldRegistry;
      audit: AuditService;
      index: CustomIndex;
    },
  ) {}

  /** Everything Huiji holds about the member, unmasked, as one JSON document; the copy is audited. */
  async personalData(principal: Principal, id: number) {
    const member = await this.deps.members.findInScope(principal, id);
    if (member.status === 'erased') throw new AppError('MEMBER_ERASED', { params: { id } });
    const profile = memberView(member, this.deps.contact);
    const consents = await this.deps.consents.view(id);
    await this.deps.audit.record({
      action: 'member.data_export',
      entityType: 'member',
      entityId: id,
      storeId: member.homeStoreId,
      summary: `导出会员 ${member.cardNo} 的个人信息副本（个人信息保护法第四十五条）`,
    });
    return {
      exportedAt: new Date().toISOString(),
      fields: Object.fromEntries(this.deps.registry.fields('member').map((field) => [field.key, field.label])),
      profile,
      consents,
    };
  }

  async erase(principal: Principal, id: number, reason: string) {
    return withTransaction(this.deps.sequelize, async (transaction) => {
      const member = await this.deps.models.Member.findOne({
        where: { [Op.and]: [{ id }, ...memberScopeWhere(principal)] },
        transaction,
        lock: transaction.LOCK.UPDATE,
      });
      if (!member) throw new AppError('MEMBER_NOT_FOUND', { params: { id } });
      if (member.status === 'erased') throw new AppError('MEMBER_ERASED', { params: { id } });
      // Stored value is money the business owes the person: once erased, nobody could
      // prove whose it is, so it is refunded first. Points are not money and lapse.
      const held = member.walletPrincipal + member.walletBonus;
      if (held > 0) throw new AppError('MEMBER_HOLDS_STORED_VALUE', { params: { id, amount: yuanText(held) } });
      const before = memberView(member, this.deps.contact);
      const cleared = Object.entries(before)
        .filter(([key, value]) => value !== null && (key in ERASED_COLUMNS || ['phone', 'email', 'idNumber'].includes(key)) && !(key === 'custom' && Object.keys(value as object).length === 0))
        .map(([key]) => key);
      await member.update({ ...ERASED_COLUMNS, status: 'erased', erasedAt: new Date() }, { transaction });
      await this.deps.index.clear(id, transaction);
      await this.deps.audit.record({
        action: 'member.erase',
        entityType: 'member',
        entityId: id,
        storeId: member.homeStoreId,
        summary: `删除会员 #${id} 的个人信息（个人信息保护法第四十七条）；原因：${reason}`,
        diff: { cleared, reason },
      });
      return { id, status: 'erased' as const, erasedAt: member.erasedAt!.toISOString(), cleared };
    });
  }
}
