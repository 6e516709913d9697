import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';
import { QueryTypes, type Sequelize } from 'sequelize';
import type { Principal } from '../../platform/http/route.js';
import { startOfNextBusinessDay } from '../../platform/time/business-day.js';
import type { StoreService } from '../stores/service.js';

dayjs.extend(utc);
dayjs.extend(timezone);

type Sum = number | string | null;

/** SQL for the caller's store scope on topup_store_id, with its replacements. */
function scopeClause(principal: Principal): { sql: string; replacements: number[] } {
  if (principal.storeScope === null) return { sql: '', replacements: [] };
  if (principal.storeScope.length === 0) return { sql: ' AND 1 = 0', replacements: [] };
  return { sql: ` AND topup_store_id IN (${principal.storeScope.map(() => '?').join(', ')})`, replacements: principal.storeScope };
}

/**
 * The stored-value liability (储值负债): money members hold that the business still owes
 * in goods, by the store that sold the top-ups. Summed from the ledger, never from the
 * cached balances, so any past day can be asked: "as at the end of the 31st" is every row
 * written before the 1st's midnight in the business timezone.
 */
export class LiabilityReport {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly stores: StoreService,
    private readonly timeZone: string,
  ) {}

  /** Today's date where the business is. */
  today(now = new Date()): string {
    return dayjs(now).tz(this.timeZone).format('YYYY-MM-DD');
  }

  async asOf(principal: Principal, day: string = this.today()) {
    const end = startOfNextBusinessDay(day, this.timeZone);
    const scope = scopeClause(principal);
    const perMember = `SELECT topup_store_id, member_id, SUM(principal_delta) AS p, SUM(bonus_delta) AS b
      FROM wallet_ledger WHERE created_at < ?${scope.sql} GROUP BY topup_store_id, member_id`;
    const rows = await this.sequelize.query<{ storeId: number | string; principal: Sum; bonus: Sum; members: Sum }>(
      `SELECT topup_store_id AS storeId, SUM(p) AS principal, SUM(b) AS bonus, SUM(CASE WHEN p + b > 0 THEN 1 ELSE 0 END) AS members
       FROM (${perMember}) per_member GROUP BY topup_store_id ORDER BY topup_store_id`,
      { replacements: [end, ...scope.replacements], type: QueryTypes.SELECT },
    );
    // A member holding money from two stores counts once in the total.
    const [holders] = await this.sequelize.query<{ members: Sum }>(
      `SELECT COUNT(*) AS members FROM (SELECT member_id FROM wallet_ledger WHERE created_at < ?${scope.sql}
       GROUP BY member_id HAVING SUM(principal_delta + bonus_delta) > 0) holders`,
      { replacements: [end, ...scope.replacements], type: QueryTypes.SELECT },
    );
    const names = new Map((await this.stores.list(principal, {})).map((store) => [store.id, store]));
    const stores = rows.map((row) => {
      const store = names.get(Number(row.storeId));
      return {
        storeId: Number(row.storeId),
        storeCode: store?.code ?? '',
        storeName: store?.name ?? '',
        principal: Number(row.principal ?? 0),
        bonus: Number(row.bonus ?? 0),
        members: Number(row.members ?? 0),
      };
    });
    return {
      asOf: day,
      stores,
      totals: {
        principal: stores.reduce((a, s) => a + s.principal, 0),
        bonus: stores.reduce((a, s) => a + s.bonus, 0),
        members: Number(holders?.members ?? 0),
      },
    };
  }

  /** The totals at the end of each of the last `days` business days, oldest first, in one scan. */
  async trend(principal: Principal, days: number, now = new Date()) {
    const today = dayjs(now).tz(this.timeZone).startOf('day');
    const dates = Array.from({ length: days }, (_, i) => today.subtract(days - 1 - i, 'day').format('YYYY-MM-DD'));
    const ends = dates.map((date) => startOfNextBusinessDay(date, this.timeZone));
    const scope = scopeClause(principal);
    const columns = ends.flatMap((_, i) => [
      `SUM(CASE WHEN created_at < ? THEN principal_delta ELSE 0 END) AS p${i}`,
      `SUM(CASE WHEN created_at < ? THEN bonus_delta ELSE 0 END) AS b${i}`,
    ]);
    const [row] = await this.sequelize.query<Record<string, Sum>>(`SELECT ${columns.join(', ')} FROM wallet_ledger WHERE created_at < ?${scope.sql}`, {
      replacements: [...ends.flatMap((end) => [end, end]), ends[ends.length - 1], ...scope.replacements],
      type: QueryTypes.SELECT,
    });
    return { days: dates.map((date, i) => ({ date, principal: Number(row?.[`p${i}`] ?? 0), bonus: Number(row?.[`b${i}`] ?? 0) })) };
  }
}
