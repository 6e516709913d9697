import type { SkipReason } from './batch-targets.js';

/**
 * The arithmetic of one chunk of a batch, shared by the preview and the run so the two
 * cannot disagree: who gets how many coupons, and why the others get none.
 *
 * Each member should end up with `count` coupons of the batch, numbered by sequence
 * (source_seq 0..count-1); what an earlier, interrupted run already gave is not given
 * again. The per-member limit counts every coupon the member holds of the template; the
 * stock and the day's limit are budgets the chunk spends in member order, so when stock
 * runs out mid-batch the members before get theirs and the rest are skipped for stock.
 */
export interface ChunkMember {
  id: number;
  label: string;
}

export interface ChunkFacts {
  /** Sequences of this batch each member already holds (a retry after a crash). */
  have: ReadonlyMap<number, ReadonlySet<number>>;
  /** Coupons of the template each member holds and that count against the limit. */
  held: ReadonlyMap<number, number>;
}

export interface ChunkRules {
  count: number;
  perMemberLimit: number | null;
  /** False once the template is paused, ended or past its dates: nobody gets more. */
  active: boolean;
}

/** What is left to spend; Infinity for no limit. Spent by `planChunk`. */
export interface Budget {
  stock: number;
  daily: number;
}

export interface ChunkPlan {
  rows: Array<{ memberId: number; seq: number }>;
  /** Members who hold coupons of the batch after this chunk (given now or before). */
  served: number;
  /** Coupons of the batch these members held before (an interrupted run gave them). */
  before: number;
  skipped: Array<{ label: string; reason: SkipReason }>;
}

export function planChunk(members: readonly ChunkMember[], rules: ChunkRules, facts: ChunkFacts, budget: Budget): ChunkPlan {
  const plan: ChunkPlan = { rows: [], served: 0, before: 0, skipped: [] };
  for (const member of members) {
    const have = facts.have.get(member.id) ?? new Set<number>();
    const missing = Array.from({ length: rules.count }, (_, seq) => seq).filter((seq) => !have.has(seq));
    const allowed = rules.perMemberLimit === null ? missing.length : Math.max(0, rules.perMemberLimit - (facts.held.get(member.id) ?? 0));
    const wanted = rules.active ? Math.min(missing.length, allowed) : 0;
    const given = Math.min(wanted, budget.stock, budget.daily);
    budget.stock -= given;
    budget.daily -= given;
    for (const seq of missing.slice(0, given)) plan.rows.push({ memberId: member.id, seq });
    plan.before += have.size;
    if (have.size + given > 0) plan.served += 1;
    else plan.skipped.push({ label: member.label, reason: whyNone(rules, wanted, budget) });
  }
  return plan;
}

function whyNone(rules: ChunkRules, wanted: number, budget: Budget): SkipReason {
  if (!rules.active) return 'inactive';
  if (wanted === 0) return 'perMember';
  return budget.stock <= 0 ? 'stock' : 'daily';
}
