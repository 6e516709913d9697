import { Op } from 'sequelize';
import type { Principal } from '../../platform/http/route.js';
import type { MemberService } from '../members/service.js';
import type { WalletLedgerRecord, WalletModels } from './models.js';
import { topupView } from './topups.js';

export function ledgerRowView(row: WalletLedgerRecord) {
  return {
    id: row.id,
    kind: row.kind,
    sourceType: row.sourceType,
    sourceId: row.sourceId,
    topupId: row.topupId,
    principalDelta: row.principalDelta,
    bonusDelta: row.bonusDelta,
    principalAfter: row.principalAfter,
    bonusAfter: row.bonusAfter,
    storeId: row.storeId,
    topupStoreId: row.topupStoreId,
    operatorId: row.operatorId,
    reason: row.reason,
    createdAt: row.createdAt.toISOString(),
  };
}

/** What a member holds and how it got there: reads only, through the member's store scope. */
export class WalletAccounts {
  constructor(
    private readonly models: WalletModels,
    private readonly members: MemberService,
  ) {}

  /** The balance by bucket, the PIN's state, and the top-ups still holding money, oldest first (spent first). */
  async summary(principal: Principal, memberId: number, now = new Date()) {
    const member = await this.members.findInScope(principal, memberId);
    const topups = await this.models.WalletTopup.findAll({
      where: { memberId: member.id, [Op.or]: [{ principalRemaining: { [Op.gt]: 0 } }, { bonusRemaining: { [Op.gt]: 0 } }] },
      order: [['id', 'ASC']],
    });
    const lockedUntil = member.walletPinLockedUntil && member.walletPinLockedUntil.getTime() > now.getTime() ? member.walletPinLockedUntil : null;
    return {
      principal: member.walletPrincipal,
      bonus: member.walletBonus,
      total: member.walletPrincipal + member.walletBonus,
      pinSet: member.walletPinHash !== null && member.walletPinHash !== undefined,
      pinLockedUntil: lockedUntil ? lockedUntil.toISOString() : null,
      topups: topups.map(topupView),
    };
  }

  /** Every top-up of the member, newest first, with what is left of each. */
  async topups(principal: Principal, memberId: number) {
    const member = await this.members.findInScope(principal, memberId);
    const rows = await this.models.WalletTopup.findAll({ where: { memberId: member.id }, order: [['id', 'DESC']] });
    return { items: rows.map(topupView) };
  }

  /** Ledger rows newest first; `cursor` is the nextCursor of the previous page. */
  async ledger(principal: Principal, memberId: number, query: { cursor?: string; limit: number }) {
    const member = await this.members.findInScope(principal, memberId);
    // The schema lets only digits through: the id of the last row of the previous page.
    const before = query.cursor === undefined ? null : Number(query.cursor);
    const rows = await this.models.WalletLedgerRow.findAll({
      where: { memberId: member.id, ...(before === null ? {} : { id: { [Op.lt]: before } }) },
      order: [['id', 'DESC']],
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    return { items: page.map(ledgerRowView), nextCursor: rows.length > query.limit ? String(page[page.length - 1].id) : null };
  }
}
