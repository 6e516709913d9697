import { earnedIndex, type TierLevel } from './rules.js';

/** A level of a proposed set: an existing tier keeps its id, a new one has none yet. */
export type ProposedLevel = Omit<TierLevel, 'id'> & { id: number | null };

/** Where one member lands under a proposed set of levels. */
export interface RulePlacement {
  /** Position of the member's level in the proposed set; null when the change removes it. */
  from: number | null;
  /** Position the member is placed at. */
  to: number;
  moved: boolean;
  direction: 'up' | 'down' | null;
  /** Kept at a level whose new entry threshold the member does not meet (until the next review). */
  belowEntry: boolean;
}

/**
 * The one placement a rule change uses, in the simulation and in the publish alike:
 * - a member moves up when the metric under the new rules meets a higher level;
 * - no one moves down because the rules changed: whoever no longer meets their level's
 *   entry threshold keeps it until the review date, where the new retention rule applies;
 * - a member whose level the change removes is placed by the metric (up or down).
 * `currentId` is the member's tier (null: never placed, so the old base level);
 * `oldLevels` the set before the change, ascending.
 */
export function placeOnRuleChange(proposed: readonly ProposedLevel[], oldLevels: readonly TierLevel[], currentId: number | null, metric: number): RulePlacement {
  const sourceId = currentId ?? oldLevels[0]?.id ?? null;
  const from = sourceId === null ? 0 : proposed.findIndex((level) => level.id === sourceId);
  const earned = earnedIndex(proposed, metric);
  if (from >= 0) {
    if (earned > from) return { from, to: earned, moved: true, direction: 'up', belowEntry: false };
    return { from, to: from, moved: false, direction: null, belowEntry: metric < proposed[from].entryThreshold };
  }
  return { from: null, to: earned, moved: true, direction: removedDirection(proposed, oldLevels, sourceId, earned), belowEntry: false };
}

/**
 * Up or down from a removed level: by the old order when the target existed before,
 * else by position (a new level at the removed one's position or above counts as up).
 */
function removedDirection(proposed: readonly ProposedLevel[], oldLevels: readonly TierLevel[], sourceId: number | null, to: number): 'up' | 'down' {
  const source = oldLevels.find((level) => level.id === sourceId);
  if (!source) return to > 0 ? 'up' : 'down';
  const target = oldLevels.find((level) => level.id === proposed[to].id);
  const targetRank = target ? target.level : to + 1;
  if (target) return targetRank > source.level ? 'up' : 'down';
  return targetRank >= source.level ? 'up' : 'down';
}

/** Counts per level of a simulation (and of what a publish applied). */
export interface LevelCounts {
  tierId: number | null;
  level: number;
  name: string;
  before: number;
  after: number;
  /** Members arriving here from a lower level, or from a higher one. */
  up: number;
  down: number;
  /** Members kept here below its new entry threshold until their review. */
  belowEntry: number;
  /** A level the change removes (its members are placed by the metric). */
  removed: boolean;
}

export interface PlacementTotals {
  members: number;
  up: number;
  down: number;
  unchanged: number;
  belowEntry: number;
}

/** Adds up placements level by level; `add` once per member, `result` at the end. */
export class PlacementTally {
  private readonly rows: LevelCounts[];
  private readonly removedRows = new Map<number, LevelCounts>();
  readonly totals: PlacementTotals = { members: 0, up: 0, down: 0, unchanged: 0, belowEntry: 0 };

  constructor(
    proposed: readonly ProposedLevel[],
    private readonly oldLevels: readonly TierLevel[],
  ) {
    this.rows = proposed.map((level, i) => ({ tierId: level.id, level: i + 1, name: level.name, before: 0, after: 0, up: 0, down: 0, belowEntry: 0, removed: false }));
    for (const level of oldLevels) {
      if (!proposed.some((p) => p.id === level.id)) {
        this.removedRows.set(level.id, { tierId: level.id, level: level.level, name: level.name, before: 0, after: 0, up: 0, down: 0, belowEntry: 0, removed: true });
      }
    }
  }

  add(currentId: number | null, placement: RulePlacement): void {
    this.totals.members += 1;
    if (placement.from !== null) this.rows[placement.from].before += 1;
    else this.removedRows.get(currentId ?? this.oldLevels[0]?.id ?? 0)!.before += 1;
    const target = this.rows[placement.to];
    target.after += 1;
    if (placement.direction === 'up') {
      target.up += 1;
      this.totals.up += 1;
    } else if (placement.direction === 'down') {
      target.down += 1;
      this.totals.down += 1;
    } else {
      this.totals.unchanged += 1;
    }
    if (placement.belowEntry) {
      target.belowEntry += 1;
      this.totals.belowEntry += 1;
    }
  }

  /** Gives new levels the ids a publish created for them. */
  named(ids: ReadonlyArray<number | null>): void {
    ids.forEach((id, i) => {
      if (this.rows[i].tierId === null) this.rows[i].tierId = id;
    });
  }

  result(): { levels: LevelCounts[]; totals: PlacementTotals } {
    return { levels: [...this.rows, ...this.removedRows.values()], totals: { ...this.totals } };
  }
}
