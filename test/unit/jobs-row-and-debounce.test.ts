import { expect } from 'chai';
import { debounceSchedule } from '../../server/src/platform/jobs/debounce.js';
import { dataMatches, parseTime, rowToJob, uniqueKeyOf } from '../../server/src/platform/jobs/job-row.js';

describe('jobs: row mapping', () => {
  it('reads times as both drivers return them', () => {
    expect(parseTime('2026-01-01 10:00:00.123 +00:00')?.toISOString()).to.equal('2026-01-01T10:00:00.123Z');
    expect(parseTime('2026-01-01 10:00:00.123')?.toISOString()).to.equal('2026-01-01T10:00:00.123Z');
    expect(parseTime(new Date(5))?.getTime()).to.equal(5);
    expect(parseTime(null)).to.equal(undefined);
  });

  it('maps a row to agenda job parameters: flags, JSON data, numeric intervals, no next run as null', () => {
    const job = rowToJob({ id: 7, name: 'n', type: 'single', priority: 3, next_run_at: null, disabled: 1, fork: 0, data: '{"a":[1]}', repeat_interval: '60000', skip_days: '[0,6]' });
    expect(job).to.deep.include({ _id: '7', name: 'n', type: 'single', priority: 3, nextRunAt: null, disabled: true, fork: false, repeatInterval: 60000, skipDays: [0, 6] });
    expect(job.data).to.deep.equal({ a: [1] });
    expect(rowToJob({ id: 1, name: 'n', repeat_interval: '5 minutes' }).repeatInterval).to.equal('5 minutes');
  });

  it('keys unique jobs by name and constraint, whatever the key order', () => {
    const a = uniqueKeyOf({ name: 'x', type: 'normal', unique: { 'data.a': 1, 'data.b': { c: 1, d: 2 } } });
    const b = uniqueKeyOf({ name: 'x', type: 'normal', unique: { 'data.b': { d: 2, c: 1 }, 'data.a': 1 } });
    expect(a).to.equal(b).and.to.match(/^[0-9a-f]{64}$/);
    expect(uniqueKeyOf({ name: 'y', type: 'normal', unique: { 'data.a': 1 } })).to.not.equal(a);
    expect(uniqueKeyOf({ name: 'x', type: 'normal' })).to.equal(null);
    expect(uniqueKeyOf({ name: 'x', type: 'single', unique: { 'data.a': 1 } })).to.equal(uniqueKeyOf({ name: 'x', type: 'single' }));
  });

  it('matches data partially and recursively', () => {
    expect(dataMatches({ a: 1, b: { c: 2, d: 3 } }, { b: { c: 2 } })).to.equal(true);
    expect(dataMatches({ a: 1 }, { a: 2 })).to.equal(false);
    expect(dataMatches(undefined, { a: 1 })).to.equal(false);
    expect(dataMatches({ a: [1, 2] }, { a: [1, 2] })).to.equal(true);
  });
});

describe('jobs: debounce schedule', () => {
  const t0 = new Date('2026-01-01T00:00:00.000Z');
  const at = (ms: number) => new Date(t0.getTime() + ms);

  it('trailing: runs delay after the latest save, capped at maxWait after the first', () => {
    const first = debounceSchedule({ delay: 1000, maxWait: 1500 }, t0, null, t0);
    expect(first).to.deep.equal({ nextRunAt: at(1000), debounceStartedAt: t0 });
    const second = debounceSchedule({ delay: 1000, maxWait: 1500 }, at(800), first, at(800));
    expect(second).to.deep.equal({ nextRunAt: at(1500), debounceStartedAt: t0 });
    const late = debounceSchedule({ delay: 1000, maxWait: 1500 }, at(1600), second, at(1600));
    expect(late).to.deep.equal({ nextRunAt: at(1600), debounceStartedAt: null });
  });

  it('trailing: a job that already ran starts a new cycle', () => {
    const next = debounceSchedule({ delay: 1000 }, at(5000), { nextRunAt: null, debounceStartedAt: t0 }, at(5000));
    expect(next).to.deep.equal({ nextRunAt: at(6000), debounceStartedAt: at(5000) });
  });

  it('leading: runs at once, then ignores saves inside the window', () => {
    const first = debounceSchedule({ delay: 1000, strategy: 'leading' }, t0, null, t0);
    expect(first).to.deep.equal({ nextRunAt: t0, debounceStartedAt: t0 });
    expect(debounceSchedule({ delay: 1000, strategy: 'leading' }, at(500), first, at(500))).to.deep.equal(first);
    expect(debounceSchedule({ delay: 1000, strategy: 'leading' }, at(1200), first, at(1200))).to.deep.equal({ nextRunAt: at(1200), debounceStartedAt: at(1200) });
  });
});
