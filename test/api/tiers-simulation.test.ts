import { expect } from 'chai';
import { startTestApp, type TestApp } from '../support/app.js';
import { seedAccessFixture, type AccessFixture } from '../support/access.js';
import { TEST_DIALECT } from '../support/database.js';
import { auth } from '../support/checkout.js';
import { createMember, phoneSequence } from '../support/members.js';
import { DEFAULT_SETTINGS, fourLevels, getTiers, publishTiers, spend, tierIds, type LevelBody, type Simulation } from '../support/tiers.js';

/** What each member of the population spent, in fen: every level and both sides of every threshold. */
const SPENDS = [0, 30_000, 100_000, 150_000, 300_000, 480_000, 500_000, 650_000, 800_000, 1_000_000, 1_300_000, 1_600_000, 2_100_000, 2_500_000];

describe(`tiers: simulating a rule change equals publishing it (${TEST_DIALECT})`, function () {
  this.timeout(120_000);
  let test: TestApp;
  let f: AccessFixture;
  let ids: Record<string, number>;
  const bySpend = new Map<number, number[]>();
  let manualId = 0;

  const counts = async () => {
    const rows = (await test.ctx.models.members.Member.findAll({ attributes: ['tierId'], where: { status: 'normal' } })).map((m) => m.tierId ?? ids['普通会员']);
    return rows.reduce<Record<number, number>>((acc, id) => ({ ...acc, [id]: (acc[id] ?? 0) + 1 }), {});
  };
  const historyCount = () => test.ctx.services.tiers.models.TierHistory.count({ where: { reason: 'rule_change' } });
  /** The counts without the ids a publish gives new levels. */
  const comparable = (s: Simulation) => ({ levels: s.levels.map(({ tierId: _id, ...rest }) => rest), totals: s.totals });

  before(async () => {
    test = await startTestApp({ jobs: 'off' });
    f = await seedAccessFixture(test);
    const base = (await getTiers(test, f.tokens.root)).tiers[0].id;
    await publishTiers(test, f.tokens.root, fourLevels(base));
    ids = await tierIds(test, f.tokens.root);
    const nextPhone = phoneSequence('1390016');
    const member = async () => (await createMember(test, f.tokens.root, { name: '顾客', phone: nextPhone(), homeStoreId: f.stores.s1.id })).id;
    for (const fen of SPENDS) {
      for (let copy = 0; copy < 2; copy += 1) {
        const id = await member();
        if (fen > 0) await spend(test, f.tokens.cashier1, f.stores.s1.id, id, fen + copy);
        bySpend.set(fen, [...(bySpend.get(fen) ?? []), id]);
      }
    }
    manualId = await member();
    await spend(test, f.tokens.cashier1, f.stores.s1.id, manualId, 10_000);
    const res = await test.http().post(`/api/v1/members/${manualId}/tier`).set(auth(f.tokens.root)).send({ tierId: ids['钻石'], reason: '合作伙伴' });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
  });
  after(() => test.close());

  it('counts per level before and after, then publishing moves exactly those members and writes a history row each', async () => {
    // 银卡 goes, 金卡 asks more, a new 铂金 comes between, 钻石 asks more still.
    const proposal: LevelBody[] = [
      { id: ids['普通会员'], name: '普通会员', entryThreshold: 0 },
      { id: ids['金卡'], name: '金卡', entryThreshold: 800_000, retentionThreshold: 400_000, discountRate: 95, pointsMultiplierPct: 150 },
      { name: '铂金', entryThreshold: 1_200_000, retentionThreshold: 600_000, discountRate: 93, pointsMultiplierPct: 180 },
      { id: ids['钻石'], name: '钻石', entryThreshold: 3_000_000, retentionThreshold: 1_000_000, discountRate: 90, pointsMultiplierPct: 200 },
    ];
    const body = { tiers: proposal, settings: DEFAULT_SETTINGS };
    const before = { counts: await counts(), history: await historyCount() };
    const simulated = await test.http().post('/api/v1/tiers/simulate').set(auth(f.tokens.root)).send(body);
    expect(simulated.status, JSON.stringify(simulated.body)).to.equal(200);
    const simulation = simulated.body as Simulation;
    // Simulating writes nothing.
    expect(await counts()).to.deep.equal(before.counts);
    expect(await historyCount()).to.equal(before.history);

    const silver = (bySpend.get(100_000)!.length + bySpend.get(150_000)!.length + bySpend.get(300_000)!.length + bySpend.get(480_000)!.length);
    const row = (name: string) => simulation.levels.find((l) => l.name === name)!;
    expect(row('银卡')).to.deep.include({ removed: true, before: silver, after: 0 });
    expect(row('普通会员')).to.deep.include({ before: 4, after: 4 + silver, down: silver, up: 0 });
    // 1,300,000 and 1,600,000 (two each) meet the new 铂金; 500,000 and 650,000 stay 金卡 below its new threshold.
    expect(row('铂金')).to.deep.include({ tierId: null, before: 0, after: 4, up: 4 });
    expect(row('金卡')).to.deep.include({ before: 12, after: 8, belowEntry: 4 });
    // Nobody leaves 钻石 because its threshold rose; the manual one stays too.
    expect(row('钻石')).to.deep.include({ before: 5, after: 5, belowEntry: 5, down: 0 });
    expect(simulation.totals).to.deep.equal({ members: 29, up: 4, down: silver, unchanged: 29 - 4 - silver, belowEntry: 9 });
    expect(simulation.notes.zh).to.include('不会让任何会员立即降级');

    const published = await publishTiers(test, f.tokens.root, proposal);
    expect(comparable(published.applied)).to.deep.equal(comparable(simulation));
    const platinum = published.tiers.find((t) => t.name === '铂金')!.id;
    expect(published.applied.levels.find((l) => l.name === '铂金')!.tierId).to.equal(platinum);

    const after = await counts();
    for (const level of published.applied.levels.filter((l) => !l.removed)) expect(after[level.tierId!] ?? 0, level.name).to.equal(level.after);
    expect(await historyCount()).to.equal(before.history + simulation.totals.up + simulation.totals.down);
    for (const id of [...bySpend.get(1_300_000)!, ...bySpend.get(1_600_000)!]) {
      const last = await test.ctx.services.tiers.models.TierHistory.findOne({ where: { memberId: id }, order: [['id', 'DESC']] });
      expect(last).to.deep.include({ reason: 'rule_change', direction: 'up', fromTierId: ids['金卡'], toTierId: platinum, threshold: 1_200_000 });
    }
    const gone = await test.ctx.services.tiers.models.TierHistory.findOne({ where: { memberId: bySpend.get(300_000)![0] }, order: [['id', 'DESC']] });
    expect(gone).to.deep.include({ reason: 'rule_change', direction: 'down', fromTierId: ids['银卡'], toTierId: ids['普通会员'], metric: 300_000 });
    expect(gone!.note).to.include('银卡');
    expect((await test.ctx.models.members.Member.findByPk(manualId))!.tierId).to.equal(ids['钻石']);
    expect((await test.ctx.services.tiers.models.MemberTier.findByPk(manualId))!.manual).to.equal(true);

    // The published set simulated again moves no one.
    const again = await test.http().post('/api/v1/tiers/simulate').set(auth(f.tokens.root)).send({ tiers: published.tiers.map(({ memberCount: _n, ...t }) => t), settings: DEFAULT_SETTINGS });
    expect(again.body.totals).to.include({ up: 0, down: 0 });
  });

  it('re-places everyone by a changed basis exactly as simulated', async () => {
    const config = await getTiers(test, f.tokens.root);
    const tiers = config.tiers.map(({ memberCount: _n, ...t }, i) => ({ ...t, entryThreshold: [0, 500, 1_000, 20_000][i], retentionThreshold: i === 0 ? null : 100 }));
    const body = { tiers, settings: { ...DEFAULT_SETTINGS, basis: 'points' } };
    const simulated = (await test.http().post('/api/v1/tiers/simulate').set(auth(f.tokens.root)).send(body)).body as Simulation;
    const published = await publishTiers(test, f.tokens.root, tiers, body.settings);
    expect(comparable(published.applied)).to.deep.equal(comparable(simulated));
    expect(simulated.totals.up).to.be.greaterThan(0);
    const after = await counts();
    for (const level of published.applied.levels) expect(after[level.tierId!] ?? 0, level.name).to.equal(level.after);
  });

  it('refuses the simulation to a role that may not change tiers', async () => {
    const res = await test.http().post('/api/v1/tiers/simulate').set(auth(f.tokens.manager1)).send({ tiers: fourLevels(), settings: DEFAULT_SETTINGS });
    expect(res.status).to.equal(403);
  });
});
