import type { Sequelize } from 'sequelize';
import { currentTransaction, withTransaction } from '../../platform/db/transaction.js';
import type { Principal } from '../../platform/http/route.js';
import type { AuditService } from '../audit/service.js';
import { CONSENT_CHANNELS, type ConsentChannel, type MemberModels } from './models.js';
import type { MemberService } from './service.js';

export type ConsentChoice = Partial<Record<ConsentChannel, boolean>>;

export interface ConsentView {
  channel: ConsentChannel;
  granted: boolean;
  source: string;
  actorUserId: number | null;
  occurredAt: string;
}

export interface ConsentState {
  granted: boolean;
  source: string | null;
  occurredAt: string | null;
}

const CHANNEL_LABELS: Record<ConsentChannel, string> = { sms: '短信', email: '邮件', wechat: '微信' };

/**
 * Marketing consent, per channel, as an append-only history. A channel the member never
 * answered for counts as not granted: marketing needs a yes, silence is a no.
 */
export class MemberConsents {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly models: MemberModels,
    private readonly members: MemberService,
    private readonly audit: AuditService,
  ) {}

  async get(principal: Principal, memberId: number) {
    await this.members.findInScope(principal, memberId);
    return this.view(memberId);
  }

  /**
   * Records the channels whose answer changed; the same answer again adds nothing. Called
   * inside a registration's transaction too, so it joins the caller's.
   */
  async set(principal: Principal | null, memberId: number, choice: ConsentChoice, source: string) {
    if (principal) await this.members.findInScope(principal, memberId);
    return withTransaction(this.sequelize, async (transaction) => {
      const current = await this.current(memberId);
      const changed = CONSENT_CHANNELS.filter((channel) => choice[channel] !== undefined && choice[channel] !== (current.get(channel)?.granted ?? false));
      if (changed.length > 0) {
        const occurredAt = new Date();
        await this.models.MemberConsent.bulkCreate(
          changed.map((channel) => ({ memberId, channel, granted: choice[channel]!, source, actorUserId: principal?.userId ?? null, occurredAt })),
          { transaction },
        );
        const member = await this.models.Member.findByPk(memberId, { transaction, attributes: ['id', 'cardNo', 'homeStoreId'] });
        await this.audit.record({
          action: 'member.consent',
          entityType: 'member',
          entityId: memberId,
          storeId: member?.homeStoreId ?? null,
          summary: `会员 ${member?.cardNo ?? memberId} 营销授权：${changed.map((c) => `${CHANNEL_LABELS[c]}${choice[c] ? '同意' : '撤回'}`).join('、')}（来源：${source}）`,
          diff: { consent: changed.map((channel) => ({ channel, before: current.get(channel)?.granted ?? false, after: choice[channel], source })) },
        });
      }
      return this.view(memberId);
    });
  }

  private async current(memberId: number): Promise<Map<ConsentChannel, ConsentView>> {
    const history = await this.history(memberId);
    const latest = new Map<ConsentChannel, ConsentView>();
    for (const row of history) if (!latest.has(row.channel)) latest.set(row.channel, row);
    return latest;
  }

  private async history(memberId: number): Promise<ConsentView[]> {
    const rows = await this.models.MemberConsent.findAll({ where: { memberId }, order: [['id', 'DESC']], transaction: currentTransaction() });
    return rows.map((row) => ({
      channel: row.channel,
      granted: row.granted,
      source: row.source,
      actorUserId: row.actorUserId === null ? null : Number(row.actorUserId),
      occurredAt: row.occurredAt.toISOString(),
    }));
  }

  async view(memberId: number): Promise<{ current: Record<ConsentChannel, ConsentState>; history: ConsentView[] }> {
    const history = await this.history(memberId);
    const state = (channel: ConsentChannel): ConsentState => {
      const latest = history.find((row) => row.channel === channel);
      return latest ? { granted: latest.granted, source: latest.source, occurredAt: latest.occurredAt } : { granted: false, source: null, occurredAt: null };
    };
    return { current: { sms: state('sms'), email: state('email'), wechat: state('wechat') }, history };
  }
}
