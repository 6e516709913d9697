import { expect } from 'chai';
import { PlacementTally, placeOnRuleChange, type ProposedLevel } from '../../../server/src/modules/tiers/placement.js';
import { level } from './levels.js';

const OLD = [level(1, 1, '普通会员', 0), level(2, 2, '银卡', 100_000, 50_000), level(3, 3, '金卡', 500_000, 300_000), level(4, 4, '钻石', 2_000_000, 1_000_000)];
const proposal = (...levels: Array<[number | null, string, number]>): ProposedLevel[] => levels.map(([id, name, entry], i) => ({ ...level(0, i + 1, name, entry), id }));

describe('tiers: placing members under a rule change', () => {
  // 银卡 removed, 金卡 raised to 800,000, a new 铂金 at 1,200,000, 钻石 raised to 3,000,000.
  const proposed = proposal([1, '普通会员', 0], [3, '金卡', 800_000], [null, '铂金', 1_200_000], [4, '钻石', 3_000_000]);

  it('moves up whoever meets a higher level and no one down for a raised threshold', () => {
    expect(placeOnRuleChange(proposed, OLD, 3, 1_300_000)).to.deep.equal({ from: 1, to: 2, moved: true, direction: 'up', belowEntry: false });
    expect(placeOnRuleChange(proposed, OLD, 3, 600_000)).to.deep.equal({ from: 1, to: 1, moved: false, direction: null, belowEntry: true });
    expect(placeOnRuleChange(proposed, OLD, 4, 2_100_000)).to.deep.equal({ from: 3, to: 3, moved: false, direction: null, belowEntry: true });
    expect(placeOnRuleChange(proposed, OLD, null, 0)).to.deep.include({ from: 0, to: 0, moved: false });
    expect(placeOnRuleChange(proposed, OLD, null, 900_000)).to.deep.include({ from: 0, to: 1, direction: 'up' });
  });

  it('places the members of a removed level by the metric, up or down', () => {
    expect(placeOnRuleChange(proposed, OLD, 2, 300_000)).to.deep.equal({ from: null, to: 0, moved: true, direction: 'down', belowEntry: false });
    expect(placeOnRuleChange(proposed, OLD, 2, 900_000)).to.deep.include({ from: null, to: 1, direction: 'up' });
    expect(placeOnRuleChange(proposed, OLD, 2, 1_500_000)).to.deep.include({ from: null, to: 2, direction: 'up' });
  });

  it('treats a new base as removing the old one: never-placed members are placed by the metric', () => {
    const rebased = proposal([null, '新人', 0], [3, '金卡', 500_000]);
    expect(placeOnRuleChange(rebased, OLD, null, 10)).to.deep.include({ from: null, to: 0, moved: true });
  });

  it('adds up per level: before, after, arrivals from below and above, and who stays below the new threshold', () => {
    const tally = new PlacementTally(proposed, OLD);
    const members: Array<[number | null, number]> = [
      [null, 0],
      [2, 300_000],
      [3, 600_000],
      [3, 1_300_000],
      [4, 2_100_000],
    ];
    for (const [tierId, metric] of members) tally.add(tierId, placeOnRuleChange(proposed, OLD, tierId, metric));
    tally.named([1, 3, 9, 4]);
    const { levels, totals } = tally.result();
    expect(levels.map((l) => [l.tierId, l.name, l.before, l.after, l.up, l.down, l.belowEntry, l.removed])).to.deep.equal([
      [1, '普通会员', 1, 2, 0, 1, 0, false],
      [3, '金卡', 2, 1, 0, 0, 1, false],
      [9, '铂金', 0, 1, 1, 0, 0, false],
      [4, '钻石', 1, 1, 0, 0, 1, false],
      [2, '银卡', 1, 0, 0, 0, 0, true],
    ]);
    expect(totals).to.deep.equal({ members: 5, up: 1, down: 1, unchanged: 3, belowEntry: 2 });
  });
});
