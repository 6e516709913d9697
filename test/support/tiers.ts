import { expect } from 'chai';
import type { TestApp } from './app.js';
import { auth, placed } from './checkout.js';

/** A tier level as PUT /api/v1/tiers takes it. */
export interface LevelBody {
  id?: number;
  name: string;
  entryThreshold: number;
  retentionThreshold?: number | null;
  discountRate?: number;
  pointsMultiplierPct?: number;
  birthdayTemplateId?: number | null;
  monthlyTemplateId?: number | null;
  perks?: string | null;
  color?: string | null;
}

export const DEFAULT_SETTINGS = {
  basis: 'spend',
  window: { type: 'rolling', months: 12 },
  retentionMonths: 12,
  downgrade: 'one_level',
  graceDays: 7,
  warnDays: 30,
  growth: { perYuan: 1, perOrder: 0 },
};

/** 普通会员 < 银卡 (¥1,000, 9.8折, ×1.2) < 金卡 (¥5,000, 9.5折, ×1.5) < 钻石 (¥20,000, 9折, ×2). */
export function fourLevels(baseId?: number): LevelBody[] {
  return [
    { ...(baseId ? { id: baseId } : {}), name: '普通会员', entryThreshold: 0 },
    { name: '银卡', entryThreshold: 100_000, retentionThreshold: 50_000, discountRate: 98, pointsMultiplierPct: 120, color: '#a8b4c4' },
    { name: '金卡', entryThreshold: 500_000, retentionThreshold: 300_000, discountRate: 95, pointsMultiplierPct: 150, perks: '生日双倍积分', color: '#c9a227' },
    { name: '钻石', entryThreshold: 2_000_000, retentionThreshold: 1_000_000, discountRate: 90, pointsMultiplierPct: 200 },
  ];
}

export async function getTiers(test: TestApp, token: string) {
  const res = await test.http().get('/api/v1/tiers').set(auth(token));
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
  return res.body as { tiers: Array<LevelBody & { id: number; level: number; memberCount: number }>; settings: typeof DEFAULT_SETTINGS };
}

/** Publishes levels and settings; answers the published set and what it applied. */
export async function publishTiers(test: TestApp, token: string, tiers: LevelBody[], settings: Record<string, unknown> = DEFAULT_SETTINGS) {
  const res = await test.http().put('/api/v1/tiers').set(auth(token)).send({ tiers, settings });
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
  return res.body as { tiers: Array<LevelBody & { id: number; level: number; memberCount: number }>; settings: typeof DEFAULT_SETTINGS; applied: Simulation };
}

export interface Simulation {
  levels: Array<{ tierId: number | null; level: number; name: string; before: number; after: number; up: number; down: number; belowEntry: number; removed: boolean }>;
  totals: { members: number; up: number; down: number; unchanged: number; belowEntry: number };
  notes: { zh: string; en: string };
}

/** The published levels with their ids, keyed by name. */
export async function tierIds(test: TestApp, token: string): Promise<Record<string, number>> {
  return Object.fromEntries((await getTiers(test, token)).tiers.map((t) => [t.name, t.id]));
}

/**
 * A cash sale of one item at `fen` list price to a member, paying what the checkout asks
 * after the tier price; optionally on another day (the order's occurredAt).
 */
export async function spend(test: TestApp, token: string, storeId: number, memberId: number, fen: number, occurredAt?: Date) {
  const items = [{ sku: 'T-1', name: '商品', quantity: 1, unitPrice: fen }];
  const preview = await test.http().post('/api/v1/orders/preview').set(auth(token)).send({ memberId, storeId, items, payments: [{ method: 'cash', amount: fen }] });
  expect(preview.status, JSON.stringify(preview.body)).to.equal(200);
  return placed(test, token, {
    memberId,
    storeId,
    items,
    payments: [{ method: 'cash', amount: preview.body.payable as number }],
    ...(occurredAt ? { occurredAt: occurredAt.toISOString() } : {}),
  });
}

export async function memberTierRow(test: TestApp, memberId: number) {
  const row = await test.ctx.services.tiers.models.MemberTier.findByPk(memberId);
  const member = await test.ctx.models.members.Member.findByPk(memberId);
  return { row, tierId: member!.tierId };
}
