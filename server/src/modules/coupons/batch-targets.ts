import { AppError } from '../../platform/errors/app-error.js';
import type { Principal } from '../../platform/http/route.js';
import { z } from '../../platform/http/zod.js';
import { isValidCardNumber } from '../../platform/ids/card-number.js';
import { isFullPhone, normalisePhone } from '../access/field-policy/formats.js';
import { MemberExportBody } from '../members/schemas.js';
import type { MemberListInput, MemberService } from '../members/service.js';

/**
 * Who a batch issue goes to: members picked by id, the member list's filter (compiled by
 * the members module with the caller's store scope and field guard, exactly as the list),
 * or a list of phone and card numbers someone pasted or uploaded. Segments arrive with the
 * tags feature; until then a segment target is refused, never half-served.
 */
export const MAX_TARGET_ITEMS = 10_000;

const MembersTarget = z.strictObject({
  type: z.literal('members'),
  ids: z.array(z.number().int().positive()).min(1).max(MAX_TARGET_ITEMS),
});
const FilterTarget = z.strictObject({
  type: z.literal('filter'),
  query: MemberExportBody.openapi({ description: "The member list's filters, as GET /api/v1/members takes them" }),
});
const ListTarget = z.strictObject({
  type: z.literal('list'),
  values: z.array(z.string().trim().min(1).max(32)).min(1).max(MAX_TARGET_ITEMS).openapi({ description: 'Whole mobile numbers and card numbers, one per entry' }),
});
/** Accepted by the schema only so the refusal names the reason instead of a shape error. */
const SegmentTarget = z.object({ type: z.literal('segment') }).catchall(z.unknown());

export const BatchTargetSchema = z.discriminatedUnion('type', [MembersTarget, FilterTarget, ListTarget, SegmentTarget]).openapi('CouponBatchTarget');
export type BatchTarget = z.output<typeof BatchTargetSchema>;
export type IssuableTarget = Exclude<BatchTarget, { type: 'segment' }>;

/** Why a member (or a listed value) got nothing. */
export const SKIP_REASONS = ['notFound', 'invalid', 'duplicate', 'outOfScope', 'frozen', 'perMember', 'daily', 'stock', 'inactive'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];
export type SkipCounts = Record<SkipReason, number>;
export const noSkips = (): SkipCounts => Object.fromEntries(SKIP_REASONS.map((reason) => [reason, 0])) as SkipCounts;

/** One chunk of a target: members to try, and what was dropped on the way (with its label for the report). */
export interface TargetChunk {
  members: Array<{ id: number; label: string }>;
  skipped: Array<{ label: string; reason: SkipReason }>;
}

/**
 * A target fit to be kept and run: segments refused. The target is kept with the batch (so
 * a retry resolves the same list) in a MEDIUMTEXT column, which holds any target the
 * schema's item limits allow.
 */
export function assertIssuableTarget(target: BatchTarget): asserts target is IssuableTarget {
  if (target.type === 'segment') throw new AppError('COUPON_BATCH_SEGMENT_UNAVAILABLE');
}

const memberLabel = (id: number) => `#${id}`;

/** Resolves targets into chunks of members through the members module's own queries. */
export class BatchTargets {
  constructor(private readonly members: MemberService) {}

  async *chunks(principal: Principal, target: IssuableTarget, size: number): AsyncGenerator<TargetChunk> {
    if (target.type === 'filter') yield* this.filtered(principal, target.query as MemberListInput, size);
    else if (target.type === 'members') yield* this.byId(principal, target.ids, size);
    else yield* this.listed(principal, target.values, size);
  }

  private async *filtered(principal: Principal, query: MemberListInput, size: number): AsyncGenerator<TargetChunk> {
    for await (const page of this.members.matchingIds(principal, { ...query, limit: size }, size)) {
      const chunk: TargetChunk = { members: [], skipped: [] };
      for (const member of page) {
        // Only a filter on status = erased reaches these: an erased member is nobody to give to.
        if (member.status === 'erased') chunk.skipped.push({ label: memberLabel(member.id), reason: 'notFound' });
        else if (member.status === 'frozen') chunk.skipped.push({ label: memberLabel(member.id), reason: 'frozen' });
        else chunk.members.push({ id: member.id, label: memberLabel(member.id) });
      }
      yield chunk;
    }
  }

  private async *byId(principal: Principal, ids: readonly number[], size: number): AsyncGenerator<TargetChunk> {
    const seen = new Set<number>();
    for (let from = 0; from < ids.length; from += size) {
      const chunk: TargetChunk = { members: [], skipped: [] };
      const wanted: number[] = [];
      for (const id of ids.slice(from, from + size)) {
        if (seen.has(id)) chunk.skipped.push({ label: memberLabel(id), reason: 'duplicate' });
        else wanted.push(id);
        seen.add(id);
      }
      const found = new Map((await this.members.findForBulk(principal, { ids: wanted })).map((row) => [row.id, row]));
      for (const id of wanted) {
        const reason = skipReason(found.get(id));
        if (reason) chunk.skipped.push({ label: memberLabel(id), reason });
        else chunk.members.push({ id, label: memberLabel(id) });
      }
      yield chunk;
    }
  }

  /**
   * A pasted list: a whole mobile number is looked up by its blind index, else a card
   * number with a valid check digit by card number; anything else cannot name a member.
   * One member named twice (by phone and by card) gets one share.
   */
  private async *listed(principal: Principal, values: readonly string[], size: number): AsyncGenerator<TargetChunk> {
    const seenValues = new Set<string>();
    const seenMembers = new Set<number>();
    for (let from = 0; from < values.length; from += size) {
      const chunk: TargetChunk = { members: [], skipped: [] };
      const entries: Array<{ label: string; phone?: string; cardNo?: string }> = [];
      for (const label of values.slice(from, from + size)) {
        const phone = isFullPhone(label) ? normalisePhone(label) : undefined;
        const key = phone ?? label;
        if (seenValues.has(key)) chunk.skipped.push({ label, reason: 'duplicate' });
        else if (phone) entries.push({ label, phone });
        else if (isValidCardNumber(label)) entries.push({ label, cardNo: label });
        else chunk.skipped.push({ label, reason: 'invalid' });
        seenValues.add(key);
      }
      const phones = entries.flatMap((entry) => (entry.phone ? [entry.phone] : []));
      const cardNos = entries.flatMap((entry) => (entry.cardNo ? [entry.cardNo] : []));
      const rows = await this.members.findForBulk(principal, { phones, cardNos });
      const byPhone = new Map(rows.filter((row) => row.phoneBidx).map((row) => [row.phoneBidx!, row]));
      const byCard = new Map(rows.filter((row) => row.cardNo).map((row) => [row.cardNo!, row]));
      for (const entry of entries) {
        const row = entry.phone ? byPhone.get(this.members.phoneIndex(entry.phone)) : byCard.get(entry.cardNo!);
        const reason = skipReason(row) ?? (seenMembers.has(row!.id) ? 'duplicate' : null);
        if (reason) chunk.skipped.push({ label: entry.label, reason });
        else chunk.members.push({ id: row!.id, label: entry.label });
        if (row) seenMembers.add(row.id);
      }
      yield chunk;
    }
  }
}

function skipReason(row: { status: string; inScope: boolean } | undefined): SkipReason | null {
  if (!row || row.status === 'erased') return 'notFound';
  if (!row.inScope) return 'outOfScope';
  if (row.status === 'frozen') return 'frozen';
  return null;
}
