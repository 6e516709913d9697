import { expect } from 'chai';
import { planChunk, type Budget, type ChunkFacts } from '../../../server/src/modules/coupons/batch-plan.js';

describe('coupons: planning one chunk of a batch issue', () => {
  const members = (...ids: number[]) => ids.map((id) => ({ id, label: `#${id}` }));
  const none: ChunkFacts = { have: new Map(), held: new Map() };
  const open = (): Budget => ({ stock: Infinity, daily: Infinity });
  const rules = { count: 1, perMemberLimit: null, active: true };

  it('gives each member `count` coupons numbered 0..count-1', () => {
    const plan = planChunk(members(1, 2), { ...rules, count: 2 }, none, open());
    expect(plan.rows).to.deep.equal([
      { memberId: 1, seq: 0 },
      { memberId: 1, seq: 1 },
      { memberId: 2, seq: 0 },
      { memberId: 2, seq: 1 },
    ]);
    expect([plan.served, plan.before, plan.skipped]).to.deep.equal([2, 0, []]);
  });

  it('spends the stock in member order across chunks and skips the rest for stock', () => {
    const budget: Budget = { stock: 3, daily: Infinity };
    const first = planChunk(members(1, 2), rules, none, budget);
    const second = planChunk(members(3, 4, 5), rules, none, budget);
    expect(first.rows.map((r) => r.memberId)).to.deep.equal([1, 2]);
    expect(second.rows.map((r) => r.memberId)).to.deep.equal([3]);
    expect(second.skipped).to.deep.equal([
      { label: '#4', reason: 'stock' },
      { label: '#5', reason: 'stock' },
    ]);
    expect(budget.stock).to.equal(0);
  });

  it('gives a member what the stock has left when it runs out in the middle of their share', () => {
    const plan = planChunk(members(1, 2), { ...rules, count: 2 }, none, { stock: 3, daily: Infinity });
    expect(plan.rows).to.deep.equal([
      { memberId: 1, seq: 0 },
      { memberId: 1, seq: 1 },
      { memberId: 2, seq: 0 },
    ]);
    expect(plan.served).to.equal(2);
  });

  it('holds each member to the per-member limit, counting what they already hold', () => {
    const held = new Map([
      [1, 2],
      [2, 1],
    ]);
    const plan = planChunk(members(1, 2, 3), { count: 2, perMemberLimit: 2, active: true }, { have: new Map(), held }, open());
    expect(plan.rows).to.deep.equal([
      { memberId: 2, seq: 0 },
      { memberId: 3, seq: 0 },
      { memberId: 3, seq: 1 },
    ]);
    expect(plan.skipped).to.deep.equal([{ label: '#1', reason: 'perMember' }]);
  });

  it('on a repeat gives only the sequences a member is missing, and counts those already given as served', () => {
    const have = new Map([
      [1, new Set([0, 1])],
      [2, new Set([0])],
    ]);
    // What the batch gave counts against the limit like any coupon.
    const held = new Map([
      [1, 2],
      [2, 1],
    ]);
    const plan = planChunk(members(1, 2, 3), { count: 2, perMemberLimit: 5, active: true }, { have, held }, open());
    expect(plan.rows).to.deep.equal([
      { memberId: 2, seq: 1 },
      { memberId: 3, seq: 0 },
      { memberId: 3, seq: 1 },
    ]);
    expect([plan.served, plan.before, plan.skipped.length]).to.deep.equal([3, 3, 0]);
  });

  it("names the day's limit when that is what ran out, and gives nothing once the template is inactive", () => {
    const daily = planChunk(members(1, 2), rules, none, { stock: 10, daily: 1 });
    expect(daily.skipped).to.deep.equal([{ label: '#2', reason: 'daily' }]);
    const paused = planChunk(members(1), { ...rules, active: false }, none, open());
    expect([paused.rows, paused.skipped]).to.deep.equal([[], [{ label: '#1', reason: 'inactive' }]]);
  });
});
