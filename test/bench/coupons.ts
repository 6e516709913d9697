/**
 * Coupons benchmark (coupons and tiers issue), on MySQL/MariaDB.
 * 1. Batch issue: --batch members (default 100,000) bulk-inserted into one store, then one
 *    coupon to each through the real batch job (POST /api/v1/coupon-batches with the member
 *    list's filter, run by the job runner of an app in this process), timed from the job's
 *    start to its end and from the request to the task's success. Target: under 30 s.
 * 2. Checkout with two coupons: two templates in one stack group (a 5 yuan voucher and
 *    满100减10), each issued --per times to --members funded members by two batch issues;
 *    then Huiji as its own server process (dist/server/main.js, as bench:checkout runs it)
 *    takes `POST /api/v1/orders` from --concurrency clients, each order the checkout
 *    bench's two lines paid with points, stored value and cash plus one coupon of each
 *    template (a member's unused pair, never one twice). Beside it the checkout FLOOR
 *    (checkout-floor.ts: the plain checkout's rows with raw mysql2, no coupons) over a second
 *    set of members, and Huiji's plain checkout (no coupons) for the coupons' own cost.
 *   npm run build:server && npm run bench:coupons [-- --batch 100000 --members 2000 --per 8 --concurrency 16 --seconds 20]
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { QueryTypes } from 'sequelize';
import { seedAccessFixture } from '../support/access.js';
import { startTestApp } from '../support/app.js';
import { assertPointsInvariants, assertWalletInvariants } from '../support/ledger-invariants.js';
import { SERVER_ENTRY, startServerProcess } from '../support/server-process.js';
import { PAY, allowFullBonus, arg, checkServerBuild, floorOf, fundMembers, httpClient, insertMembers, listen, ok as okReply, orderBody as orderFor, pct } from './bench-kit.js';

const BATCH = Number(arg('batch', '100000'));
const MEMBERS = Number(arg('members', '2000'));
const PER = Number(arg('per', '8'));
const CONCURRENCY = Number(arg('concurrency', '16'));
const SECONDS = Number(arg('seconds', '20'));
checkServerBuild(SERVER_ENTRY);

const test = await startTestApp({ dialect: 'mysql', jobs: 'run' });
const f = await seedAccessFixture(test);
const { sequelize } = test.ctx;
const storeId = f.stores.s1.id;
const seeder = await listen(test.app);
const { request, close: closeClient } = httpClient(CONCURRENCY * 2);
const seedPort = seeder.port;
const ok = (status: number, method: string, url: string, body?: object, token = f.tokens.root) => okReply(status, request(seedPort, method, url, token, body), `${method} ${url}`);
/** Members straight into the table, 5,000 rows a statement. */
const insertMembers5k = (tag: string, n: number) => insertMembers(sequelize, storeId, tag, n, 5000);
const createTemplate = async (body: object) =>
  (await ok(201, 'POST', '/api/v1/coupon-templates', { validityType: 'relative', validDays: 30, status: 'active', ...body })).id as number;
/** Queues a batch and waits for its task; answers the task as it ended and the wall time in seconds. */
async function batchIssue(body: object) {
  const began = performance.now();
  const { task } = await ok(202, 'POST', '/api/v1/coupon-batches', body);
  for (;;) {
    const view = await ok(200, 'GET', `/api/v1/tasks/${task.id}`);
    if (view.status === 'failed') throw new Error(`batch task failed: ${JSON.stringify(view.error)}`);
    if (view.status === 'succeeded') return { task: view, wall: (performance.now() - began) / 1000 };
    await sleep(100);
  }
}
const count = async (sql: string, replacements: unknown[] = []) => Number((await sequelize.query<{ n: number }>(sql, { replacements, type: QueryTypes.SELECT }))[0].n);

console.log(`coupons benchmark on MariaDB/MySQL, node ${process.version}, ${os.cpus().length} cores, app pool ${test.ctx.config.database.poolMax} connections, load average ${os.loadavg()[0].toFixed(1)}`);

// 1. One coupon to each of BATCH members through the batch job.
let t = performance.now();
await insertMembers5k('BC', BATCH);
console.log(`inserted ${BATCH.toLocaleString('en')} members in ${((performance.now() - t) / 1000).toFixed(1)} s`);
const giftId = await createTemplate({ name: '压测全员 5 元券', kind: 'voucher', amountOff: 500 });
const { task: batchTask, wall } = await batchIssue({ templateId: giftId, target: { type: 'filter', query: { storeId } } });
const jobSeconds = (new Date(batchTask.finishedAt).getTime() - new Date(batchTask.startedAt).getTime()) / 1000;
const giftCoupons = await count('SELECT COUNT(*) AS n FROM coupons WHERE template_id = ?', [giftId]);
const giftMembers = await count('SELECT COUNT(DISTINCT member_id) AS n FROM coupons WHERE template_id = ?', [giftId]);
console.log(
  `batch issue: ${giftCoupons.toLocaleString('en')} coupons to ${giftMembers.toLocaleString('en')} members in ${jobSeconds.toFixed(1)} s (job run), ${wall.toFixed(1)} s from request to done ` +
    `[${jobSeconds < 30 && giftCoupons === BATCH ? 'met' : 'NOT MET'}: all ${BATCH.toLocaleString('en')} in < 30 s]; ${(giftCoupons / jobSeconds).toFixed(0)} coupons/s`,
);

// 2. Checkout with two coupons of one stack group.
t = performance.now();
await allowFullBonus(request, seedPort, f.tokens.root);
const huijiMembers = await insertMembers5k('BK', MEMBERS);
const floorMembers = await insertMembers5k('BF', MEMBERS);
await fundMembers(request, seedPort, f.tokens.manager1, [...huijiMembers, ...floorMembers], CONCURRENCY);
const voucherId = await createTemplate({ name: '压测 5 元代金券', kind: 'voucher', amountOff: 500, stackGroup: 'bench' });
const reductionId = await createTemplate({ name: '压测满100减10', kind: 'full_reduction', amountOff: 1_000, threshold: 10_000, stackGroup: 'bench' });
for (const templateId of [voucherId, reductionId]) await batchIssue({ templateId, count: PER, target: { type: 'members', ids: huijiMembers } });
const codes = await sequelize.query<{ member_id: number; template_id: number; source_seq: number; code: string }>(
  'SELECT member_id, template_id, source_seq, code FROM coupons WHERE template_id IN (?, ?) ORDER BY member_id, source_seq, template_id',
  { replacements: [voucherId, reductionId], type: QueryTypes.SELECT },
);
/** Each member's pairs (one coupon of each template), shuffled so parallel orders seldom share a member. */
const pairs: Array<{ memberId: number; codes: string[] }> = [];
for (let i = 0; i < codes.length; i += 2) pairs.push({ memberId: Number(codes[i].member_id), codes: [codes[i].code, codes[i + 1].code] });
pairs.sort(() => Math.random() - 0.5);
console.log(`funded 2 x ${MEMBERS} members and issued them ${PER} pairs of coupons each (${pairs.length.toLocaleString('en')} pairs) in ${((performance.now() - t) / 1000).toFixed(1)} s`);

const orderBody = (memberId: number, couponCodes: string[] = [], cash = PAY.cash) => ({ ...orderFor(storeId, memberId, cash), couponCodes });
const priced = await ok(200, 'POST', '/api/v1/orders/preview', orderBody(pairs[0].memberId, pairs[0].codes), f.tokens.cashier1);
const couponCash = priced.payable - PAY.points - PAY.wallet;
console.log(`an order of ${priced.amount} fen with the two coupons: discount ${priced.discount} fen (${priced.steps.map((s: { label: string }) => s.label).join(' + ')}), payable ${priced.payable}`);
const plain = await ok(201, 'POST', '/api/v1/orders', orderBody(floorMembers[0]), f.tokens.cashier1);
await seeder.close();
await test.ctx.jobRunner.stop(5_000);

const serverDir = fs.mkdtempSync(path.join(os.tmpdir(), 'huiji-bench-coupons-'));
const server = await startServerProcess({ HUIJI_DATABASE_URL: test.db.url, HUIJI_DATA_DIR: test.dataDir, HUIJI_LOG_DIR: path.join(serverDir, 'logs'), HUIJI_JOBS_RUN_IN: 'worker' }, serverDir);
await server.waitForReady(30_000);

let nextPair = 0;
const couponCheckout = async () => {
  const pair = pairs[nextPair++];
  if (!pair) return 'out of coupon pairs';
  const res = await request(server.port, 'POST', '/api/v1/orders', f.tokens.cashier1, orderBody(pair.memberId, pair.codes, couponCash), { 'Idempotency-Key': crypto.randomUUID() });
  return res.status === 201 ? null : `${res.status} ${res.text.slice(0, 200)}`;
};
const plainCheckout = async () => {
  const res = await request(server.port, 'POST', '/api/v1/orders', f.tokens.cashier1, orderBody(huijiMembers[Math.floor(Math.random() * MEMBERS)]), { 'Idempotency-Key': crypto.randomUUID() });
  return res.status === 201 ? null : `${res.status} ${res.text.slice(0, 200)}`;
};
const floor = await floorOf(test, { cashier: f.users.cashier1, storeId, body: (memberId) => orderBody(memberId), response: plain });
const floorCheckout = async () => floor.checkout(floorMembers[Math.floor(Math.random() * MEMBERS)]);

/** --concurrency clients for --seconds; stops early when the checkout says it has nothing left to sell. */
async function drive(checkout: () => Promise<string | null>) {
  const times: number[] = [];
  const failures: string[] = [];
  const began = performance.now();
  const deadline = began + SECONDS * 1000;
  let exhausted = false;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (!exhausted && performance.now() < deadline) {
      const at = performance.now();
      const failure = await checkout().catch((error: Error) => error.message);
      if (failure === 'out of coupon pairs') exhausted = true;
      else {
        times.push(performance.now() - at);
        if (failure) failures.push(failure);
      }
    }
  }));
  const elapsed = (performance.now() - began) / 1000;
  return { done: times.length - failures.length, failures, perSecond: (times.length - failures.length) / elapsed, p50: pct(times, 50), p99: pct(times, 99), exhausted };
}

let warmed = 0;
for (let i = 0; i < 100; i++) {
  const failure = await couponCheckout();
  if (failure) throw new Error(`a checkout with two coupons failed: ${failure}`);
  warmed += 1;
}
for (let i = 0; i < 100; i++) await plainCheckout();
for (let i = 0; i < 100; i++) await floorCheckout();
const withCoupons = await drive(couponCheckout);
const floorRun = await drive(floorCheckout);
const plainRun = await drive(plainCheckout);
const runs = [
  ['Huiji, two coupons (HTTP)', withCoupons],
  ['floor (raw mysql2, no coupons)', floorRun],
  ['  Huiji, no coupons (HTTP)', plainRun],
] as const;
console.log(`\n${''.padEnd(32)} ${['orders/s', 'p50 ms', 'p99 ms', 'orders', 'failed'].map((h) => h.padStart(8)).join(' ')}`);
for (const [label, r] of runs) console.log(`${label.padEnd(32)} ${[r.perSecond.toFixed(1), r.p50.toFixed(1), r.p99.toFixed(1), r.done, r.failures.length].map((c) => String(c).padStart(8)).join(' ')}`);
const ratio = withCoupons.perSecond / floorRun.perSecond;
console.log(
  `ratio Huiji with two coupons / floor ${ratio.toFixed(2)} [${ratio >= 0.5 ? 'met' : 'NOT MET'}: >= 0.5, the checkout's floor target]; p99 ${withCoupons.p99.toFixed(1)} ms; ` +
    `two coupons cost ${(100 * (1 - withCoupons.perSecond / plainRun.perSecond)).toFixed(0)}% of the plain checkout's orders/s${withCoupons.exhausted ? ' (ran out of coupon pairs before the time was up: raise --per)' : ''}`,
);
for (const [label, r] of runs) for (const failure of r.failures.slice(0, 5)) console.log(`  ${label.trim()} failure: ${failure}`);

// Each coupon used at most once, every order took its two, the ledgers still add up.
const used = await count("SELECT COUNT(*) AS n FROM coupons WHERE template_id IN (?, ?) AND status = 'used'", [voucherId, reductionId]);
const twice = await count('SELECT COUNT(*) AS n FROM (SELECT coupon_id FROM coupon_redemptions GROUP BY coupon_id HAVING COUNT(*) > 1) x');
const couponOrders = withCoupons.done + warmed;
let broken = 0;
for (const memberId of [...huijiMembers.slice(0, 50), ...floorMembers.slice(0, 50)]) {
  for (const check of [assertPointsInvariants, assertWalletInvariants]) await check(sequelize, memberId).catch(() => void (broken += 1));
}
console.log(`coupons used ${used} (expected ${2 * couponOrders} for ${couponOrders} coupon orders), redeemed twice: ${twice}; ledger invariants on 100 members: ${broken ? `${broken} BROKEN` : 'hold'}`);

closeClient();
await server.stop();
fs.rmSync(serverDir, { recursive: true, force: true });
await floor.end();
await test.close();
process.exit(broken || twice || used !== 2 * couponOrders || runs.some(([, r]) => r.failures.length) ? 1 : 0);
