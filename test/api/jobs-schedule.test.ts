// A recurring job's schedule on SequelizeBackend, on a faked clock. Only Date is faked: agenda's
// polling timers and the database run for real, while every "now" agenda and the repository
// read (locking, lock deadlines, next runs) comes from the fake clock the test steps by hand.
import { install } from '@sinonjs/fake-timers';
import { Agenda } from 'agenda';
import { expect } from 'chai';
import type { Sequelize } from 'sequelize';
import { setTimeout as sleep } from 'node:timers/promises';
import { createSequelize } from '../../server/src/platform/db/connect.js';
import { runMigrations } from '../../server/src/platform/db/migrate.js';
import { SequelizeBackend } from '../../server/src/platform/jobs/sequelize-backend.js';
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from '../support/database.js';

const PROCESS_EVERY_MS = 50;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

interface ScheduleCase {
  title: string;
  cron: string;
  timezone: string;
  /** The instants the job must run at, one a day, in UTC. */
  runs: string[];
  /** Its next run after the last of them. */
  thenNext: string;
}

const CASES: ScheduleCase[] = [
  {
    title: 'a job at 00:05 Asia/Shanghai (no DST) runs once a day, at 00:05 Shanghai time',
    cron: '5 0 * * *',
    timezone: 'Asia/Shanghai',
    // 00:05 on 1, 2, 3 and 4 March in Shanghai (UTC+8) is 16:05 UTC the day before.
    runs: ['2026-02-28T16:05:00.000Z', '2026-03-01T16:05:00.000Z', '2026-03-02T16:05:00.000Z', '2026-03-03T16:05:00.000Z'],
    thenNext: '2026-03-04T16:05:00.000Z',
  },
  {
    title: 'a job at 00:05 America/New_York runs once a day across the March DST switch',
    cron: '5 0 * * *',
    timezone: 'America/New_York',
    // Clocks go from 02:00 EST to 03:00 EDT on 8 March: 00:05 moves from 05:05 to 04:05 UTC.
    runs: ['2026-03-07T05:05:00.000Z', '2026-03-08T05:05:00.000Z', '2026-03-09T04:05:00.000Z'],
    thenNext: '2026-03-10T04:05:00.000Z',
  },
  {
    title: 'a job at 02:30 America/New_York runs once on the day 02:30 does not exist',
    cron: '30 2 * * *',
    timezone: 'America/New_York',
    // 02:30 on 8 March is skipped by the clocks; the job runs at 03:30 EDT (07:30 UTC) instead.
    runs: ['2026-03-07T07:30:00.000Z', '2026-03-08T07:30:00.000Z', '2026-03-09T06:30:00.000Z'],
    thenNext: '2026-03-10T06:30:00.000Z',
  },
];

describe(`recurring job schedule on a faked clock (${TEST_DIALECT})`, function () {
  this.timeout(30_000);
  let db: TestDatabase;
  let sequelize: Sequelize;
  let backend: SequelizeBackend;
  let agenda: Agenda | undefined;
  let clock: ReturnType<typeof install> | undefined;

  before(async () => {
    db = await createTestDatabase();
    sequelize = createSequelize({ url: db.url });
    await runMigrations(sequelize);
    backend = new SequelizeBackend({ sequelize });
    await backend.connect();
  });
  beforeEach(() => backend.repository.purgeAllJobs());
  afterEach(async () => {
    await agenda?.stop();
    clock?.uninstall();
    agenda = undefined;
    clock = undefined;
  });
  after(async () => {
    await backend.logger.flush();
    await sequelize.close();
    await db.drop();
  });

  /** Long enough for several scans (real time) with the faked clock standing still. */
  const severalScans = () => sleep(5 * PROCESS_EVERY_MS);

  async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!check()) {
      if (performance.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
      await sleep(10);
    }
  }

  for (const { title, cron, timezone, runs: expected, thenNext } of CASES) {
    it(title, async () => {
      const due = expected.map((iso) => new Date(iso).getTime());
      clock = install({ toFake: ['Date'], now: due[0] - 8 * HOUR });
      // agenda's still-alive check leaves a timer of lockLifetime / 2 behind each run; with the
      // default ten minutes that would keep mocha from exiting for five. The faked clock stands
      // still while a job runs, so a short lifetime never expires a lock here.
      agenda = new Agenda({ backend, processEvery: PROCESS_EVERY_MS, defaultLockLifetime: 1000 });
      const ran: number[] = [];
      let completed = 0;
      agenda.define('daily', async () => {
        ran.push(Date.now());
      });
      agenda.on('complete:daily', () => completed++);
      await agenda.start();
      await agenda.every(cron, 'daily', undefined, { timezone, skipImmediate: true });

      const stored = async () => {
        const { jobs } = await backend.repository.queryJobs({ name: 'daily' });
        expect(jobs, 'one daily job').to.have.length(1);
        return jobs[0];
      };
      expect((await stored()).nextRunAt?.toISOString(), 'first run').to.equal(expected[0]);

      for (const [day, at] of due.entries()) {
        clock.setSystemTime(at - MINUTE);
        await severalScans();
        expect(ran, `a minute before run ${day + 1}`).to.have.length(day);

        clock.setSystemTime(at + 1000);
        await until(() => completed === day + 1, `run ${day + 1}`);
        expect(ran[day], `run ${day + 1} ran at the faked now, just after it fell due`).to.equal(at + 1000);
        const job = await stored();
        expect(job.lastRunAt?.getTime(), 'stored run time is the faked clock').to.equal(at + 1000);
        expect(job.lockedAt, 'unlocked after the run').to.equal(undefined);
        expect(job.nextRunAt?.toISOString(), `next run after run ${day + 1}`).to.equal(expected[day + 1] ?? thenNext);

        clock.setSystemTime(at + 12 * HOUR);
        await severalScans();
        expect(ran, `half a day after run ${day + 1}`).to.have.length(day + 1);
      }
    });
  }
});
