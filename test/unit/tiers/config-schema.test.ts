import { expect } from 'chai';
import { toFieldErrors } from '../../../server/src/platform/http/validation.js';
import { TierConfigBody } from '../../../server/src/modules/tiers/schemas.js';
import { DEFAULT_TIER_SETTINGS } from '../../../server/src/modules/tiers/settings.js';

const paths = (body: unknown) => {
  const result = TierConfigBody.safeParse(body);
  return result.success ? [] : toFieldErrors(result.error).map((e) => e.path);
};

describe('tiers: the configuration schema', () => {
  const base = { name: '普通会员', entryThreshold: 0 };

  it('fills in what a level leaves out', () => {
    const parsed = TierConfigBody.parse({ tiers: [base, { name: '金卡', entryThreshold: 500_000, perks: '' }], settings: DEFAULT_TIER_SETTINGS });
    expect(parsed.tiers[1]).to.deep.equal({ name: '金卡', entryThreshold: 500_000, retentionThreshold: null, discountRate: 100, pointsMultiplierPct: 100, birthdayTemplateId: null, monthlyTemplateId: null, perks: null, color: null });
  });

  it('names the field of each broken rule', () => {
    expect(paths({ tiers: [], settings: DEFAULT_TIER_SETTINGS })).to.deep.equal(['tiers']);
    expect(paths({ tiers: [{ ...base, entryThreshold: 1 }], settings: DEFAULT_TIER_SETTINGS })).to.deep.equal(['tiers.0.entryThreshold']);
    expect(paths({ tiers: [base, { name: '银卡', entryThreshold: 0 }], settings: DEFAULT_TIER_SETTINGS })).to.deep.equal(['tiers.1.entryThreshold']);
    expect(paths({ tiers: [base, { name: '普通会员', entryThreshold: 10 }], settings: DEFAULT_TIER_SETTINGS })).to.deep.equal(['tiers.1.name']);
    expect(paths({ tiers: [{ ...base, id: 1 }, { id: 1, name: '银卡', entryThreshold: 10 }], settings: DEFAULT_TIER_SETTINGS })).to.deep.equal(['tiers.1.id']);
    expect(paths({ tiers: [base, { name: '银卡', entryThreshold: 10, level: 3 }], settings: DEFAULT_TIER_SETTINGS })).to.deep.equal(['tiers.1.level']);
    expect(paths({ tiers: [base, { name: '银卡', entryThreshold: 10, pointsMultiplierPct: 50, discountRate: 101 }], settings: DEFAULT_TIER_SETTINGS })).to.have.members(['tiers.1.pointsMultiplierPct', 'tiers.1.discountRate']);
    expect(paths({ tiers: Array.from({ length: 11 }, (_, i) => ({ name: `L${i}`, entryThreshold: i })), settings: DEFAULT_TIER_SETTINGS })).to.deep.equal(['tiers']);
    expect(paths({ tiers: [base], settings: { ...DEFAULT_TIER_SETTINGS, graceDays: -1, extra: 1 } })).to.have.members(['settings.graceDays', 'settings.extra']);
    expect(paths({ tiers: [base], settings: { ...DEFAULT_TIER_SETTINGS, basis: 'growth', growth: { perYuan: 0, perOrder: 0 } } })).to.deep.equal(['settings.growth.perYuan']);
  });
});
