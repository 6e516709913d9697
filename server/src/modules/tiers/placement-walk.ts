import type { Sequelize, Transaction } from 'sequelize';
import { dialectOf } from '../../platform/db/connect.js';
import { selectRows } from '../../platform/db/raw-sql.js';
import type { TierMetrics } from './metrics.js';
import { PlacementTally, placeOnRuleChange, type ProposedLevel, type RulePlacement } from './placement.js';
import { entryWindow, levelOf, type TierLevel } from './rules.js';
import type { TierSettings } from './settings.js';

/** Members per step: one keyset page of members and one grouped metric query. */
const CHUNK = 2_000;

/** A member the rule change moves, with what the history row needs. */
export interface RuleMove {
  memberId: number;
  from: TierLevel;
  placement: RulePlacement;
  metric: number;
}

export interface WalkInput {
  proposed: readonly ProposedLevel[];
  /** The levels before the change, ascending. */
  oldLevels: readonly TierLevel[];
  settings: TierSettings;
  now: Date;
  timeZone: string;
}

export interface WalkOptions {
  transaction?: Transaction;
  /** Lock each page of member rows (a publish), in the order every checkout locks them: the member first. */
  lock?: boolean;
  /** Called with each page's moves, before the next page is read (a publish writes them). */
  onMoves?: (moves: RuleMove[]) => Promise<void>;
}

/**
 * Places every member (erased ones aside) under a proposed set of levels, page by page
 * in id order, with the metric for the whole page from one grouped query. The
 * simulation and the publish both run this, so what one counts the other applies.
 */
export async function walkPlacements(sequelize: Sequelize, metrics: TierMetrics, input: WalkInput, options: WalkOptions = {}): Promise<PlacementTally> {
  const { proposed, oldLevels, settings, now, timeZone } = input;
  const tally = new PlacementTally(proposed, oldLevels);
  const window = entryWindow(settings, now, timeZone);
  const known = new Set(oldLevels.map((level) => level.id));
  const lock = options.lock && dialectOf(sequelize) === 'mysql' ? ' FOR UPDATE' : '';
  let after = 0;
  for (;;) {
    const page = await selectRows<{ id: number | string; tier_id: number | string | null }>(
      sequelize,
      `SELECT id, tier_id FROM members WHERE id > $1 AND status <> 'erased' ORDER BY id LIMIT ${CHUNK}${lock}`,
      [after],
      options.transaction,
    );
    if (page.length === 0) break;
    const first = Number(page[0].id);
    after = Number(page.at(-1)!.id);
    const metricOf = await metrics.forRange(first, after, settings, window, options.transaction);
    const moves: RuleMove[] = [];
    for (const row of page) {
      const memberId = Number(row.id);
      // A tier the old set does not hold (retired before) reads as the base, as at the checkout.
      const tierId = row.tier_id === null || !known.has(Number(row.tier_id)) ? null : Number(row.tier_id);
      const metric = metricOf.get(memberId) ?? 0;
      const placement = placeOnRuleChange(proposed, oldLevels, tierId, metric);
      tally.add(tierId, placement);
      if (placement.moved) moves.push({ memberId, from: levelOf(oldLevels, tierId), placement, metric });
    }
    if (moves.length > 0) await options.onMoves?.(moves);
    if (page.length < CHUNK) break;
  }
  return tally;
}
