import { expect } from 'chai';
import { isoWeekOf, planRetention, type DatedBackup } from '../../server/src/modules/backup/retention.js';

const SHANGHAI = 'Asia/Shanghai';
const at = (iso: string, name = iso): DatedBackup => ({ name, createdAt: new Date(iso) });

/** One backup a day at 03:30 Shanghai (19:30 UTC the day before), named by its Shanghai day. */
function dailyBackups(firstDay: string, days: number): DatedBackup[] {
  const start = new Date(`${firstDay}T03:30:00+08:00`).getTime();
  return Array.from({ length: days }, (_, i) => {
    const createdAt = new Date(start + i * 86_400_000);
    const day = new Date(createdAt.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    return { name: day, createdAt };
  });
}

describe('backup retention (grandfather-father-son)', () => {
  it('numbers ISO weeks from Monday, the week belonging to the year of its Thursday', () => {
    expect(isoWeekOf(2026, 1, 1)).to.equal('2026-W01');
    expect(isoWeekOf(2025, 12, 29)).to.equal('2026-W01');
    expect(isoWeekOf(2025, 12, 28)).to.equal('2025-W52');
    expect(isoWeekOf(2021, 1, 3)).to.equal('2020-W53');
    expect(isoWeekOf(2026, 12, 31)).to.equal('2026-W53');
    expect(isoWeekOf(2026, 1, 5)).to.equal('2026-W02');
  });

  it('keeps the last 7 days, the newest of 4 ISO weeks and of each month out of two months of dailies', () => {
    const backups = dailyBackups('2025-12-01', 61);
    expect(backups.at(-1)!.name).to.equal('2026-01-30');
    const plan = planRetention(backups, { keepDaily: 7, keepWeekly: 4, keepMonthly: 6 }, SHANGHAI);
    const kept = plan.keep.map((k) => k.name);
    // Weeks: W05 (Jan 26-) newest Jan 30, W04 Jan 25, W03 Jan 18, W02 Jan 11; months: Jan 30, Dec 31.
    expect(kept).to.deep.equal(['2026-01-30', '2026-01-29', '2026-01-28', '2026-01-27', '2026-01-26', '2026-01-25', '2026-01-24', '2026-01-18', '2026-01-11', '2025-12-31']);
    expect(plan.keep[0].reasons).to.deep.equal(['newest', 'daily', 'weekly', 'monthly']);
    expect(plan.keep.find((k) => k.name === '2026-01-25')!.reasons).to.deep.equal(['daily', 'weekly']);
    expect(plan.keep.find((k) => k.name === '2025-12-31')!.reasons).to.deep.equal(['monthly']);
    expect(plan.remove).to.have.length(61 - 10);
    expect(plan.remove).to.include('2026-01-23').and.include('2025-12-01');
    expect(plan.remove[0]).to.equal('2026-01-23');
  });

  it('keeps the newest backup of a day when the day has several (a manual one after the nightly one)', () => {
    const backups = [
      at('2026-03-02T03:30:00+08:00', 'mon-night'),
      at('2026-03-02T11:00:00+08:00', 'mon-manual'),
      at('2026-03-03T03:30:00+08:00', 'tue-night'),
      at('2026-03-03T09:15:00+08:00', 'tue-manual'),
      at('2026-03-03T08:00:00+08:00', 'tue-upgrade'),
    ];
    const plan = planRetention(backups, { keepDaily: 2, keepWeekly: 0, keepMonthly: 0 }, SHANGHAI);
    expect(plan.keep.map((k) => k.name)).to.deep.equal(['tue-manual', 'mon-manual']);
    expect(plan.remove).to.deep.equal(['tue-upgrade', 'tue-night', 'mon-night']);
  });

  it('reads days and weeks on the business clock, not in UTC', () => {
    // Sunday 18:00 and 23:00 in Shanghai are ISO week 1; 01:00 on Monday is week 2. In UTC all three are Sunday.
    const backups = [at('2026-01-04T10:00:00Z', 'sun-18'), at('2026-01-04T15:00:00Z', 'sun-23'), at('2026-01-04T17:00:00Z', 'mon-01')];
    const policy = { keepDaily: 0, keepWeekly: 2, keepMonthly: 0 };
    expect(planRetention(backups, policy, SHANGHAI)).to.deep.equal({
      keep: [
        { name: 'mon-01', reasons: ['newest', 'weekly'] },
        { name: 'sun-23', reasons: ['weekly'] },
      ],
      remove: ['sun-18'],
    });
    expect(planRetention(backups, policy, 'UTC').remove).to.deep.equal(['sun-23', 'sun-18']);
  });

  it('counts only days that have a backup, so a gap in backups does not empty the history', () => {
    const backups = [at('2026-05-01T03:30:00+08:00', 'may-1'), at('2026-05-02T03:30:00+08:00', 'may-2'), at('2026-05-03T03:30:00+08:00', 'may-3'), at('2026-05-20T03:30:00+08:00', 'may-20')];
    const plan = planRetention(backups, { keepDaily: 3, keepWeekly: 0, keepMonthly: 0 }, SHANGHAI);
    expect(plan.keep.map((k) => k.name)).to.deep.equal(['may-20', 'may-3', 'may-2']);
    expect(plan.remove).to.deep.equal(['may-1']);
  });

  it('never deletes the newest backup, even when every rule keeps nothing', () => {
    const backups = [at('2026-06-01T03:30:00+08:00', 'older'), at('2026-06-02T03:30:00+08:00', 'newest')];
    const plan = planRetention(backups, { keepDaily: 0, keepWeekly: 0, keepMonthly: 0 }, SHANGHAI);
    expect(plan).to.deep.equal({ keep: [{ name: 'newest', reasons: ['newest'] }], remove: ['older'] });
  });

  it('keeps a backup that only the monthly rule wants, months apart from the rest', () => {
    const backups = [
      at('2025-10-15T03:30:00+08:00', 'oct'),
      at('2025-11-30T03:30:00+08:00', 'nov-end'),
      at('2025-11-02T03:30:00+08:00', 'nov-start'),
      at('2026-02-10T03:30:00+08:00', 'feb'),
    ];
    const plan = planRetention(backups, { keepDaily: 1, keepWeekly: 1, keepMonthly: 2 }, SHANGHAI);
    expect(plan.keep).to.deep.equal([
      { name: 'feb', reasons: ['newest', 'daily', 'weekly', 'monthly'] },
      { name: 'nov-end', reasons: ['monthly'] },
    ]);
    expect(plan.remove).to.deep.equal(['nov-start', 'oct']);
  });

  it('plans nothing for an empty directory', () => {
    expect(planRetention([], { keepDaily: 7, keepWeekly: 4, keepMonthly: 6 }, SHANGHAI)).to.deep.equal({ keep: [], remove: [] });
  });
});
