/**
 * Checkout benchmark (orders issue). On MySQL, through the real app on a real HTTP port:
 * `POST /api/v1/orders` as a cashier from --concurrency clients, each order two lines paid
 * with 500 fen of points, 200 yuan of stored value (split principal/bonus) and cash, a
 * fresh Idempotency-Key each, for members picked at random among --members funded ones,
 * so clients seldom queue on one member row. Then the FLOOR (checkout-floor.ts): the same
 * rows written with raw mysql2 from as many connections as the app's pool, no HTTP, no
 * Sequelize, one transaction per order, over a second set of members.
 * Targets: Huiji >= 0.5 x the floor's orders/s, p99 < 60 ms at 16 clients.
 * Also measured, to tell costs apart: the checkout through OrderService without HTTP, and
 * the HTTP checkout with each client ringing up one order every --pace ms (0: skip), the
 * latency a till sees when the server is not saturated. "CPU ms/order" is this process's
 * CPU (app and load generator; not MariaDB's) per order; "loop p99" the event loop's delay,
 * i.e. how long a ready continuation waited for the CPU. The app runs with jobs off.
 * --trace prints the SQL of one checkout (with timings) before the runs.
 *   npm run bench:checkout [-- --concurrency 16 --seconds 20 | --orders 4000] [--members 2000 --pace 500 --trace]
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { QueryTypes } from 'sequelize';
import { OrderBody } from '../../server/src/modules/orders/schemas.js';
import { startTestApp } from '../support/app.js';
import { seedAccessFixture } from '../support/access.js';
import { assertPointsInvariants, assertWalletInvariants } from '../support/ledger-invariants.js';
import { checkoutFloor } from './checkout-floor.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const CONCURRENCY = Number(arg('concurrency', '16'));
const SECONDS = Number(arg('seconds', '20'));
const ORDERS = Number(arg('orders', '0'));
const MEMBERS = Number(arg('members', '2000'));
const PACE = Number(arg('pace', '500'));
const TRACE = process.argv.includes('--trace');
if (arg('db', 'mysql') !== 'mysql') throw new Error('the floor is raw mysql2: this benchmark runs on MySQL only');

const LINES = [
  { sku: 'A-1', name: '精华液', quantity: 2, unitPrice: 12_800 },
  { sku: 'B-2', name: '面膜', quantity: 1, unitPrice: 9_900 },
];
const PAY = { points: 500, wallet: 20_000, cash: 15_000 };
const pct = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ?? NaN;
let peakRss = 0;
const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);

const test = await startTestApp({ dialect: 'mysql', jobs: 'off' });
const f = await seedAccessFixture(test);
const { sequelize } = test.ctx;
const POOL = test.ctx.config.database.poolMax;
const storeId = f.stores.s1.id;
const server = http.createServer(test.app).listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const port = (server.address() as AddressInfo).port;
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY * 2 });

function request(method: string, path: string, token: string, body?: object, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const payload = body ? Buffer.from(JSON.stringify(body)) : undefined;
    const req = http.request(
      { host: '127.0.0.1', port, method, path, agent, headers: { Authorization: `Bearer ${token}`, ...headers, ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
async function ok(status: number, res: Promise<{ status: number; text: string }>) {
  const r = await res;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${r.text.slice(0, 300)}`);
  return JSON.parse(r.text);
}
async function inParallel<T>(items: T[], work: (item: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

// Members straight into the table; their money through the real top-up and adjustment routes.
async function insertMembers(tag: string): Promise<number[]> {
  const now = new Date();
  for (let from = 0; from < MEMBERS; from += 1000) {
    const n = Math.min(1000, MEMBERS - from);
    const values = Array.from({ length: n }, (_, j) => [`${tag}${String(from + j).padStart(7, '0')}`, `压测${tag}${from + j}`, storeId, now, '{}', now, now]).flat();
    await sequelize.query(`INSERT INTO members (card_no, name, home_store_id, registered_at, custom, created_at, updated_at) VALUES ${Array(n).fill('(?,?,?,?,?,?,?)').join(',')}`, { replacements: values });
  }
  const rows = await sequelize.query<{ id: number }>('SELECT id FROM members WHERE card_no LIKE ? ORDER BY id', { replacements: [`${tag}%`], type: QueryTypes.SELECT });
  return rows.map((row) => Number(row.id));
}
const walletSettings = await ok(200, request('GET', '/api/v1/loyalty/wallet-settings', f.tokens.root));
await ok(200, request('PUT', '/api/v1/loyalty/wallet-settings', f.tokens.root, { ...walletSettings, customBonusMaxPercent: 100 }));
const started = performance.now();
const huijiMembers = await insertMembers('BH');
const floorMembers = await insertMembers('BF');
await inParallel([...huijiMembers, ...floorMembers], async (id) => {
  await ok(201, request('POST', `/api/v1/members/${id}/wallet/topups`, f.tokens.manager1, { amount: 1_000_000, bonus: 100_000, payMethod: 'cash' }));
  await ok(201, request('POST', `/api/v1/members/${id}/points/adjustments`, f.tokens.manager1, { delta: 1_000_000, reason: '压测' }));
});
console.log(`checkout benchmark on MariaDB/MySQL, node ${process.version}, ${CONCURRENCY} clients, app pool ${POOL} connections, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}`);
console.log(`funded 2 x ${MEMBERS} members (a top-up of 10,000 + 1,000 yuan bonus, 1,000,000 points each) in ${((performance.now() - started) / 1000).toFixed(1)} s`);

const orderBody = (memberId: number) => ({
  memberId,
  storeId,
  items: LINES,
  payments: [
    { method: 'points', amount: PAY.points },
    { method: 'wallet', amount: PAY.wallet },
    { method: 'cash', amount: PAY.cash },
  ],
});
const huijiCheckout = async (memberId: number) => {
  const res = await request('POST', '/api/v1/orders', f.tokens.cashier1, orderBody(memberId), { 'Idempotency-Key': crypto.randomUUID() });
  return res.status === 201 ? null : `${res.status} ${res.text.slice(0, 200)}`;
};
// The same checkout without HTTP, session check or body parsing, to tell those costs from the checkout's.
const principal = (await test.ctx.services.auth.principalOf(f.users.cashier1.id))!;
const serviceCheckout = async (memberId: number) => {
  await test.ctx.services.orders.orders.place(principal, OrderBody.parse(orderBody(memberId)), crypto.randomUUID());
  return null;
};
const template = await ok(201, request('POST', '/api/v1/orders', f.tokens.cashier1, orderBody(huijiMembers[0]), { 'Idempotency-Key': crypto.randomUUID() }));
for (let i = 0; i < 100; i++) await huijiCheckout(huijiMembers[i % MEMBERS]);

if (TRACE) {
  // Sequelize reads its logging options at each query, so one checkout can be traced.
  const options = (sequelize as unknown as { options: { benchmark: boolean; logging: false | ((sql: string, ms?: number) => void) } }).options;
  const lines: string[] = [];
  Object.assign(options, { benchmark: true, logging: (sql: string, timing?: number) => void lines.push(`${String(timing ?? '').padStart(3)} ms  ${sql.replace(/^Executed /, '').slice(0, 220)}`) });
  await huijiCheckout(huijiMembers[1]);
  Object.assign(options, { benchmark: false, logging: false });
  console.log(`one checkout through HTTP ran ${lines.length} SQL statements:`);
  for (const [i, line] of lines.entries()) console.log(`  ${String(i + 1).padStart(2)} ${line}`);
}

const floor = checkoutFloor({
  url: test.db.url,
  connections: POOL,
  rules: { points: await test.ctx.services.points.readSettings(), wallet: await test.ctx.services.wallet.settings.read() },
  timeZone: test.ctx.config.businessTimezone,
  auditKey: test.ctx.auditKeys.hmacKey,
  cashier: f.users.cashier1,
  storeId,
  lines: LINES,
  pay: PAY,
  body: orderBody,
  response: template,
});
const floorCheckout = async (memberId: number) => floor.checkout(memberId);

/** --concurrency clients for --seconds (or --orders in all); with `pace`, each starts one order every `pace` ms. */
async function drive(members: number[], checkout: (memberId: number) => Promise<string | null>, pace = 0) {
  const times: number[] = [];
  const failures: string[] = [];
  const used = new Set<number>();
  let begun = 0;
  peakRss = process.memoryUsage().rss;
  const cpu = process.cpuUsage();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const began = performance.now();
  const deadline = began + SECONDS * 1000;
  await Promise.all(Array.from({ length: CONCURRENCY }, async (_, client) => {
    let slot = began + (pace * client) / CONCURRENCY;
    while (ORDERS ? begun < ORDERS : performance.now() < deadline) {
      if (pace) {
        await sleep(Math.max(0, slot - performance.now()));
        slot += pace;
      }
      begun += 1;
      const memberId = members[Math.floor(Math.random() * members.length)];
      used.add(memberId);
      const t = performance.now();
      const failure = await checkout(memberId).catch((error: Error) => error.message);
      times.push(performance.now() - t);
      if (failure) failures.push(failure);
    }
  }));
  const elapsed = (performance.now() - began) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  loop.disable();
  const done = times.length - failures.length;
  const cpuMs = (user + system) / 1000 / times.length;
  return { done, failures, used, perSecond: done / elapsed, p50: pct(times, 50), p99: pct(times, 99), cpuMs, loopP99: loop.percentile(99) / 1e6, rss: peakRss };
}

for (let i = 0; i < 100; i++) await floorCheckout(floorMembers[i % MEMBERS]);
const huiji = await drive(huijiMembers, huijiCheckout);
const floorRun = await drive(floorMembers, floorCheckout);
const service = await drive(huijiMembers, serviceCheckout);
const paced = PACE ? await drive(huijiMembers, huijiCheckout, PACE) : null;
const runs = [
  ['Huiji (HTTP, Sequelize)', huiji],
  ['floor (raw mysql2)', floorRun],
  ['  Huiji, OrderService only', service],
  ...(paced ? [[`  Huiji, 1 order/${PACE} ms/client`, paced] as const] : []),
] as const;
const headings = ['orders/s', 'p50 ms', 'p99 ms', 'orders', 'failed', 'CPU ms/order', 'loop p99 ms', 'peak RSS MB'];
console.log(`\n${''.padEnd(30)} ${headings.map((h) => h.padStart(8)).join(' ')}`);
for (const [label, r] of runs) {
  const cells = [r.perSecond.toFixed(1), r.p50.toFixed(1), r.p99.toFixed(1), r.done, r.failures.length, r.cpuMs.toFixed(1), r.loopP99.toFixed(0), (r.rss / 1048576).toFixed(0)];
  console.log(`${label.padEnd(30)} ${cells.map((c, i) => String(c).padStart(Math.max(8, headings[i].length))).join(' ')}`);
}
const ratio = huiji.perSecond / floorRun.perSecond;
console.log(`ratio Huiji/floor ${ratio.toFixed(2)} [${ratio >= 0.5 ? 'met' : 'NOT MET'}: >= 0.5]; Huiji p99 ${huiji.p99.toFixed(1)} ms [${huiji.p99 < 60 ? 'met' : 'NOT MET'}: < 60 ms]`);
for (const [label, r] of runs) for (const failure of r.failures.slice(0, 5)) console.log(`  ${label.trim()} failure: ${failure}`);

// Every order request answered 201 and wrote its rows; the ledgers still add up.
const perKind = (sql: string) => sequelize.query<{ floor: number; n: number }>(`${sql} GROUP BY o.order_no LIKE 'F%' ORDER BY 1`, { type: QueryTypes.SELECT });
const [orders, items, payments] = await Promise.all([
  perKind("SELECT o.order_no LIKE 'F%' AS floor, COUNT(*) AS n FROM orders o"),
  perKind("SELECT o.order_no LIKE 'F%' AS floor, COUNT(*) AS n FROM order_items i JOIN orders o ON o.id = i.order_id"),
  perKind("SELECT o.order_no LIKE 'F%' AS floor, COUNT(*) AS n FROM order_payments p JOIN orders o ON o.id = p.order_id"),
]);
const sample = (set: Set<number>) => [...set].sort(() => Math.random() - 0.5).slice(0, 100);
let broken = 0;
const checked = [...sample(new Set([...huiji.used, ...service.used, ...(paced?.used ?? [])])), ...sample(floorRun.used)];
for (const memberId of checked) {
  for (const check of [assertPointsInvariants, assertWalletInvariants]) {
    await check(sequelize, memberId).catch((error: Error) => void (++broken === 1 && console.log(`  invariant broken: ${error.message}`)));
  }
}
// Besides the runs: 1 + 100 warm-up orders on Huiji's members (+1 traced), 100 on the floor's.
for (const [i, label] of ['Huiji', 'floor'].entries()) {
  const expected = i ? floorRun.done + 100 : huiji.done + service.done + (paced?.done ?? 0) + 101 + (TRACE ? 1 : 0);
  console.log(`${label} orders in the database: ${orders[i]?.n} (expected ${expected}), ${items[i]?.n} lines, ${payments[i]?.n} payments`);
}
const failed = runs.reduce((n, [, r]) => n + r.failures.length, 0);
console.log(`ledger invariants on ${checked.length} members: ${broken ? `${broken} BROKEN` : 'hold'}; requests not 201: ${failed}`);

clearInterval(rssTimer);
agent.destroy();
server.close();
await floor.end();
await test.close();
process.exit(broken || failed ? 1 : 0);
