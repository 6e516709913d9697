import type { Sequelize, Transaction } from 'sequelize';
import { selectRows, type SqlValue } from '../../platform/db/raw-sql.js';
import { EMPTY_PARTS, metricOf, type MetricParts } from './rules.js';
import type { TierSettings } from './settings.js';

/** The span a metric counts over; `from` null: since the beginning. Both ends inclusive. */
export interface MetricWindow {
  from: Date | null;
  to: Date;
}

/** Points earned by buying, net of what refunds took back (points/ledger.ts kinds). */
const EARNING_KINDS = "('earn','earn_reversal')";

type Basis = Pick<TierSettings, 'basis' | 'growth'>;

interface Row {
  member_id?: number | string;
  net?: number | string | null;
  orders?: number | string | null;
  points?: number | string | null;
}

/**
 * Each member's tier metric over a window, from the ledgers of record: spend and growth
 * from orders (payable less refunded: what the member actually kept paying for), points
 * from the points ledger's earnings and their reversals. One member inside a checkout's
 * transaction (its own order included), or every member of an id range in one grouped
 * query (the daily review and rule simulations walk the members in such ranges).
 */
export class TierMetrics {
  constructor(private readonly sequelize: Sequelize) {}

  async forMember(memberId: number, basis: Basis, window: MetricWindow, transaction?: Transaction): Promise<number> {
    const rows = await this.query(basis, window, 'member_id = $1', [memberId], false, transaction);
    return metricOf(basis, partsOf(rows[0]));
  }

  /** Members in [fromId, toId] with anything in the window; the others are at 0. */
  async forRange(fromId: number, toId: number, basis: Basis, window: MetricWindow, transaction?: Transaction): Promise<Map<number, number>> {
    const rows = await this.query(basis, window, 'member_id >= $1 AND member_id <= $2', [fromId, toId], true, transaction);
    return new Map(rows.map((row) => [Number(row.member_id), metricOf(basis, partsOf(row))]));
  }

  /** The given members (one page of the review); the others in the map are at 0. */
  async forMembers(memberIds: readonly number[], basis: Basis, window: MetricWindow, transaction?: Transaction): Promise<Map<number, number>> {
    if (memberIds.length === 0) return new Map();
    const rows = await this.query(basis, window, `member_id IN (${memberIds.map((_, i) => `$${i + 1}`).join(',')})`, [...memberIds], true, transaction);
    const found = new Map(rows.map((row) => [Number(row.member_id), metricOf(basis, partsOf(row))]));
    return new Map(memberIds.map((id) => [id, found.get(id) ?? 0]));
  }

  private query(basis: Basis, window: MetricWindow, who: string, values: SqlValue[], grouped: boolean, transaction?: Transaction): Promise<Row[]> {
    const bind: SqlValue[] = [...values];
    const time = basis.basis === 'points' ? 'created_at' : 'occurred_at';
    let where = who;
    if (window.from) where += ` AND ${time} >= $${bind.push(window.from)}`;
    where += ` AND ${time} <= $${bind.push(window.to)}`;
    const select =
      basis.basis === 'points'
        ? `SUM(delta) AS points FROM point_ledger WHERE ${where} AND kind IN ${EARNING_KINDS}`
        : `SUM(payable - refunded_amount) AS net, SUM(CASE WHEN payable > refunded_amount THEN 1 ELSE 0 END) AS orders FROM orders WHERE ${where}`;
    const sql = grouped ? `SELECT member_id, ${select} GROUP BY member_id` : `SELECT ${select}`;
    return selectRows<Row>(this.sequelize, sql, bind, transaction);
  }
}

function partsOf(row: Row | undefined): MetricParts {
  if (!row) return EMPTY_PARTS;
  return { net: Number(row.net ?? 0), orders: Number(row.orders ?? 0), points: Number(row.points ?? 0) };
}
