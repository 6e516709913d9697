import type { Sequelize, Transaction } from 'sequelize';
import { withTransaction } from '../../platform/db/transaction.js';
import type { Principal } from '../../platform/http/route.js';
import { localized } from '../../platform/http/validation.js';
import { z } from '../../platform/http/zod.js';
import { changedFields } from '../audit/changes.js';
import type { AuditService } from '../audit/service.js';
import type { LoyaltySettings } from '../loyalty/settings-store.js';

export const WALLET_SETTINGS_KEY = 'wallet';
export const SPEND_ORDERS = ['proportional', 'principal_first', 'bonus_first'] as const;
/** How a spend divides between the principal and the bonus bucket. */
export type SpendOrder = (typeof SPEND_ORDERS)[number];

/** 10 million yuan: past any single top-up a shop takes at the counter. */
const FEN_CEILING = 1_000_000_000;

const fields = {
  spendOrder: z.enum(SPEND_ORDERS),
  /** A top-up without a plan may carry a bonus up to this share of its amount: a cashier cannot invent bonus. */
  customBonusMaxPercent: z.number().int().min(0).max(100),
  pin: z.strictObject({
    maxAttempts: z.number().int().min(1).max(20),
    lockMinutes: z.number().int().min(1).max(24 * 60),
  }),
  minTopup: z.number().int().min(1).max(FEN_CEILING),
  maxTopup: z.number().int().min(1).max(FEN_CEILING),
};
const minBelowMax = (s: { minTopup: number; maxTopup: number }) => s.minTopup <= s.maxTopup;
const minBelowMaxIssue = () => ({ path: ['maxTopup'], error: localized('最高充值金额不能低于最低充值金额', 'The largest top-up cannot be below the smallest') });

/** The PUT body: the whole document, nothing unknown. */
export const WalletSettingsBody = z.strictObject(fields).refine(minBelowMax, minBelowMaxIssue()).openapi('WalletSettings');
/** What is read back from the table: a key written by a newer version is ignored. */
const StoredSettings = z.object(fields).refine(minBelowMax, minBelowMaxIssue());

export type WalletSettings = z.output<typeof WalletSettingsBody>;

export const WALLET_SETTINGS_DEFAULTS: WalletSettings = {
  spendOrder: 'proportional',
  customBonusMaxPercent: 0,
  pin: { maxAttempts: 5, lockMinutes: 15 },
  minTopup: 100,
  maxTopup: 10_000_000,
};

const AUDITED: Array<keyof WalletSettings> = ['spendOrder', 'customBonusMaxPercent', 'pin', 'minTopup', 'maxTopup'];

/** The stored-value settings (key 'wallet' of loyalty_settings). */
export class WalletSettingsService {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly store: LoyaltySettings,
    private readonly audit: AuditService,
  ) {}

  /** Inside a transaction the row is read fresh; outside, a node may serve what it read 2 s ago. */
  read(transaction?: Transaction): Promise<WalletSettings> {
    return this.store.read(WALLET_SETTINGS_KEY, StoredSettings, WALLET_SETTINGS_DEFAULTS, transaction);
  }

  async update(principal: Principal, input: WalletSettings): Promise<WalletSettings> {
    return withTransaction(this.sequelize, async (transaction) => {
      const before = await this.read(transaction);
      const diff = changedFields(before, input, AUDITED);
      if (diff.length === 0) return before;
      await this.store.write(WALLET_SETTINGS_KEY, input, principal.kind === 'user' ? principal.userId : null, transaction);
      await this.audit.record({
        action: 'wallet.settings.update',
        entityType: 'loyalty_settings',
        entityId: WALLET_SETTINGS_KEY,
        summary: `修改储值设置：${diff.map((d) => d.field).join('、')}`,
        diff,
      });
      return input;
    });
  }
}
