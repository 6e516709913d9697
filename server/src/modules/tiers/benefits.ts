import dayjs from 'dayjs';
import type { Sequelize, Transaction } from 'sequelize';
import { selectRows, type SqlValue } from '../../platform/db/raw-sql.js';
import { withTransaction } from '../../platform/db/transaction.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { AuditActor } from '../audit/service.js';
import type { MemberRecord } from '../members/models.js';
import type { MemberService } from '../members/service.js';
import { levelOf, type TierCatalog, type TierLevel } from './rules.js';
import { REVIEW_ACTOR } from './system.js';

/** What tiers needs of a coupon template. */
export interface TemplateLike {
  id: number;
  name: string;
  status: string;
}

/**
 * The coupons module's side, as tiers uses it (context.ts wires it to the templates and
 * issuing services): a template read before the transaction, coupons issued in the
 * caller's transaction under the member's lock. The same sourceRef twice issues once,
 * so a re-run never doubles a gift.
 */
export interface TierCoupons<Template extends TemplateLike = TemplateLike> {
  /** Throws COUPON_TEMPLATE_NOT_FOUND for an unknown id. */
  find(id: number): Promise<Template>;
  issueInTransaction(
    template: Template,
    member: MemberRecord,
    options: { count: number; source: 'tier'; sourceRef: string; operatorId: null; storeId: number | null; reason: string; actor: AuditActor; now: Date },
    transaction: Transaction,
  ): Promise<unknown[]>;
}

export interface BenefitTotals {
  birthday: number;
  monthly: number;
  /** Members a gift was refused for, by error code (template ended, out of stock, frozen...). */
  skipped: Record<string, number>;
}

const PAGE = 500;

/**
 * Tier gifts: on a member's birthday the birthday template of their level, on the 1st of
 * the month the monthly one, each with source 'tier' and a sourceRef naming the year or
 * month ("birthday:2027", "monthly:2027-03"). A gift the coupons module refuses (stock,
 * limits, a frozen member) is counted and skipped; the rest go on.
 */
export class TierBenefits {
  constructor(
    private readonly deps: { sequelize: Sequelize; members: MemberService; timeZone: string; coupons: () => TierCoupons | null },
  ) {}

  async issue(catalog: TierCatalog, now: Date, progress?: () => Promise<void>): Promise<BenefitTotals> {
    const totals: BenefitTotals = { birthday: 0, monthly: 0, skipped: {} };
    const issuer = this.deps.coupons();
    if (!issuer || catalog.levels.length === 0) return totals;
    const today = dayjs(now).tz(this.deps.timeZone);
    const birthdayLevels = catalog.levels.filter((l) => l.birthdayTemplateId !== null);
    if (birthdayLevels.length > 0) {
      const days = [today.format('-MM-DD')];
      // Born on 29 February: the gift comes on the 28th when the year has no 29th.
      if (today.format('MM-DD') === '02-28' && !isLeap(today.year())) days.push('-02-29');
      const where = `birth_month = $1 AND (${days.map((_, i) => `birthday LIKE $${i + 2}`).join(' OR ')})`;
      totals.birthday = await this.gift(issuer, catalog, where, [today.month() + 1, ...days.map((d) => `%${d}`)], (l) => l.birthdayTemplateId, `birthday:${today.year()}`, '生日礼券', now, totals, progress);
    }
    const monthlyLevels = catalog.levels.filter((l) => l.monthlyTemplateId !== null);
    if (today.date() === 1 && monthlyLevels.length > 0) {
      const base = catalog.levels[0];
      // Members never placed are at the base: with a base gift every member is in.
      const where = base.monthlyTemplateId !== null ? '1 = 1' : `tier_id IN (${monthlyLevels.map((l) => l.id).join(',')})`;
      totals.monthly = await this.gift(issuer, catalog, where, [], (l) => l.monthlyTemplateId, `monthly:${today.format('YYYY-MM')}`, '月度礼券', now, totals, progress);
    }
    return totals;
  }

  private async gift(
    issuer: TierCoupons,
    catalog: TierCatalog,
    where: string,
    values: SqlValue[],
    templateOf: (level: TierLevel) => number | null,
    sourceRef: string,
    reason: string,
    now: Date,
    totals: BenefitTotals,
    progress?: () => Promise<void>,
  ): Promise<number> {
    // A template that cannot be read is skipped for everyone, counted once per member.
    const templates = new Map<number, TemplateLike | AppError>();
    let issued = 0;
    let after = 0;
    for (;;) {
      const bind = [...values, after];
      const page = await selectRows<{ id: number | string; tier_id: number | string | null }>(
        this.deps.sequelize,
        `SELECT id, tier_id FROM members WHERE ${where} AND status <> 'erased' AND id > $${bind.length} ORDER BY id LIMIT ${PAGE}`,
        bind,
        undefined,
      );
      for (const row of page) {
        const level = levelOf(catalog.levels, row.tier_id === null ? null : Number(row.tier_id));
        const templateId = templateOf(level);
        if (templateId === null) continue;
        try {
          if (!templates.has(templateId)) templates.set(templateId, await issuer.find(templateId).catch((error: unknown) => (error instanceof AppError ? error : Promise.reject(error))));
          const template = templates.get(templateId)!;
          if (template instanceof AppError) throw template;
          await withTransaction(this.deps.sequelize, async (transaction) => {
            const member = await this.deps.members.lockForReversal(Number(row.id), transaction);
            await issuer.issueInTransaction(
              template,
              member,
              { count: 1, source: 'tier', sourceRef, operatorId: null, storeId: member.homeStoreId, reason: `${level.name}${reason}`, actor: REVIEW_ACTOR, now },
              transaction,
            );
          });
          issued += 1;
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          totals.skipped[error.code] = (totals.skipped[error.code] ?? 0) + 1;
        }
      }
      await progress?.();
      if (page.length < PAGE) return issued;
      after = Number(page.at(-1)!.id);
    }
  }
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * Wraps the coupons module's side for tiers. Sound although it forgets the template's
 * type: tiers only ever passes a template back to the side that found it.
 */
export function tierCoupons<T extends TemplateLike>(side: TierCoupons<T>): TierCoupons {
  return side as unknown as TierCoupons;
}
