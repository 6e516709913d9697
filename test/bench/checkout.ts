/**
 * Checkout benchmark (orders issue). On MySQL, Huiji as its own server process (the built
 * dist/server/main.js, as `npm start` runs it, jobs left to a worker that is not started)
 * driven over HTTP from this process with node:http and a keep-alive agent:
 * `POST /api/v1/orders` as a cashier from --concurrency clients, each order two lines paid
 * with 500 fen of points, 200 yuan of stored value (split principal/bonus) and cash, a
 * fresh Idempotency-Key each, for members picked at random among --members funded ones,
 * so clients seldom queue on one member row. Then the FLOOR (checkout-floor.ts), in this
 * process: the same rows written with raw mysql2 from as many connections as the app's
 * pool, no HTTP, no Sequelize, one transaction per order, over a second set of members.
 * Targets: Huiji >= 0.5 x the floor's orders/s, p99 < 60 ms at 16 clients.
 * Also measured, to tell costs apart: the checkout through OrderService in this process
 * without HTTP, and the HTTP checkout with each client ringing up one order every --pace ms
 * (0: skip), the latency a till sees when the server is not saturated. "CPU ms/order" is
 * the CPU of the process that runs the checkout (the server's for HTTP runs, this one's
 * for the floor and OrderService; never MariaDB's) per order; "client CPU" this process's
 * for the HTTP runs; "loop p99" the event loop delay of this process.
 * The database is created and funded by an app inside this process (over HTTP, the real
 * top-up and adjustment routes), which is then left idle; --trace prints the SQL of one
 * checkout through it. --cpu-prof DIR writes a V8 CPU profile of the server process during
 * the saturated HTTP run there.
 * --server ENTRY drives another build of the server instead of dist/server/main.js.
 *   npm run build:server && npm run bench:checkout [-- --concurrency 16 --seconds 20 | --orders 4000] [--members 2000 --pace 500 --trace --cpu-prof DIR --server ENTRY]
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { QueryTypes } from 'sequelize';
import { OrderBody } from '../../server/src/modules/orders/schemas.js';
import { PROJECT_ROOT } from '../../server/src/platform/paths.js';
import { startTestApp } from '../support/app.js';
import { seedAccessFixture } from '../support/access.js';
import { assertPointsInvariants, assertWalletInvariants } from '../support/ledger-invariants.js';
import { SERVER_ENTRY, startServerProcess } from '../support/server-process.js';
import { allowFullBonus, arg, checkServerBuild, floorOf, fundMembers, httpClient, insertMembers, listen, ok, orderBody as orderFor, pct } from './bench-kit.js';

const CONCURRENCY = Number(arg('concurrency', '16'));
const SECONDS = Number(arg('seconds', '20'));
const ORDERS = Number(arg('orders', '0'));
const MEMBERS = Number(arg('members', '2000'));
const PACE = Number(arg('pace', '500'));
const TRACE = process.argv.includes('--trace');
const CPU_PROFILE_DIR = arg('cpu-prof', '');
/** Another build of the server to drive (an older one, to compare). */
const ENTRY = path.resolve(arg('server', SERVER_ENTRY));
if (arg('db', 'mysql') !== 'mysql') throw new Error('the floor is raw mysql2: this benchmark runs on MySQL only');
checkServerBuild(ENTRY);

const test = await startTestApp({ dialect: 'mysql', jobs: 'off' });
const f = await seedAccessFixture(test);
const { sequelize } = test.ctx;
const POOL = test.ctx.config.database.poolMax;
const storeId = f.stores.s1.id;
const seeder = await listen(test.app);
const { request, close: closeClient } = httpClient(CONCURRENCY * 2);

// Members straight into the table; their money through the real top-up and adjustment routes.
const seed = seeder.port;
await allowFullBonus(request, seed, f.tokens.root);
const started = performance.now();
const huijiMembers = await insertMembers(sequelize, storeId, 'BH', MEMBERS, 1000);
const floorMembers = await insertMembers(sequelize, storeId, 'BF', MEMBERS, 1000);
await fundMembers(request, seed, f.tokens.manager1, [...huijiMembers, ...floorMembers], CONCURRENCY);
const funded = (performance.now() - started) / 1000;

const orderBody = (memberId: number) => orderFor(storeId, memberId);
const template = await ok(201, request(seed, 'POST', '/api/v1/orders', f.tokens.cashier1, orderBody(huijiMembers[0]), { 'Idempotency-Key': crypto.randomUUID() }));
if (TRACE) {
  // Sequelize reads its logging options at each query, so one checkout of the in-process app can be traced.
  const options = (sequelize as unknown as { options: { benchmark: boolean; logging: false | ((sql: string, ms?: number) => void) } }).options;
  const lines: string[] = [];
  Object.assign(options, { benchmark: true, logging: (sql: string, timing?: number) => void lines.push(`${String(timing ?? '').padStart(3)} ms  ${sql.replace(/^Executed /, '').slice(0, 220)}`) });
  await ok(201, request(seed, 'POST', '/api/v1/orders', f.tokens.cashier1, orderBody(huijiMembers[1]), { 'Idempotency-Key': crypto.randomUUID() }));
  Object.assign(options, { benchmark: false, logging: false });
  console.log(`one checkout through HTTP ran ${lines.length} SQL statements:`);
  for (const [i, line] of lines.entries()) console.log(`  ${String(i + 1).padStart(2)} ${line}`);
}
await seeder.close();

// The server: same database and data directory (its keys), jobs queued for a worker nobody starts.
const serverDir = fs.mkdtempSync(path.join(os.tmpdir(), 'huiji-bench-checkout-'));
const profileFile = CPU_PROFILE_DIR ? path.join(path.resolve(CPU_PROFILE_DIR), `checkout-server-${Date.now()}.cpuprofile`) : '';
// node refuses --cpu-prof in NODE_OPTIONS, so a profiled server starts through a wrapper
// that profiles with the inspector between two SIGUSR2s: the saturated run only.
const profilingEntry = path.join(serverDir, 'profiled-server.mjs');
fs.writeFileSync(
  profilingEntry,
  `import fs from 'node:fs';
import inspector from 'node:inspector/promises';
const session = new inspector.Session();
session.connect();
await session.post('Profiler.enable');
let on = false;
process.on('SIGUSR2', async () => {
  if ((on = !on)) return void (await session.post('Profiler.start'));
  const { profile } = await session.post('Profiler.stop');
  fs.writeFileSync(${JSON.stringify(profileFile)}, JSON.stringify(profile));
});
await import(${JSON.stringify(ENTRY)});
`,
);
const server = await startServerProcess(
  { HUIJI_DATABASE_URL: test.db.url, HUIJI_DATA_DIR: test.dataDir, HUIJI_LOG_DIR: path.join(serverDir, 'logs'), HUIJI_JOBS_RUN_IN: 'worker' },
  serverDir,
  CPU_PROFILE_DIR ? profilingEntry : ENTRY,
);
await server.waitForReady(30_000);
const pid = server.child.pid!;
/** The server process's CPU (user + system) in ms, and its resident memory in bytes, from /proc. */
const serverCpuMs = () => {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
};
const serverRss = () => Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
let peakRss = 0;
let measured: 'server' | 'here' = 'server';
const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, measured === 'server' ? serverRss() : process.memoryUsage().rss)), 100);

console.log(`checkout benchmark on MariaDB/MySQL, node ${process.version}, ${CONCURRENCY} clients, app pool ${POOL} connections, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}`);
console.log(`funded 2 x ${MEMBERS} members (a top-up of 10,000 + 1,000 yuan bonus, 1,000,000 points each) in ${funded.toFixed(1)} s; server process ${pid} runs ${path.relative(PROJECT_ROOT, ENTRY)}`);

const huijiCheckout = async (memberId: number) => {
  const res = await request(server.port, 'POST', '/api/v1/orders', f.tokens.cashier1, orderBody(memberId), { 'Idempotency-Key': crypto.randomUUID() });
  return res.status === 201 ? null : `${res.status} ${res.text.slice(0, 200)}`;
};
// The same checkout without HTTP, session check or body parsing, in this process, to tell those costs from the checkout's.
const principal = (await test.ctx.services.auth.principalOf(f.users.cashier1.id))!;
const serviceCheckout = async (memberId: number) => {
  await test.ctx.services.orders.orders.place(principal, OrderBody.parse(orderBody(memberId)), crypto.randomUUID());
  return null;
};
for (let i = 0; i < 200; i++) await huijiCheckout(huijiMembers[i % MEMBERS]);

const floor = await floorOf(test, { cashier: f.users.cashier1, storeId, body: orderBody, response: template });
const floorCheckout = async (memberId: number) => floor.checkout(memberId);

/**
 * --concurrency clients for --seconds (or --orders in all); with `pace`, each starts one
 * order every `pace` ms. `where` says whose CPU the checkout spends: the server's or this process's.
 */
async function drive(members: number[], checkout: (memberId: number) => Promise<string | null>, where: 'server' | 'here', pace = 0) {
  const times: number[] = [];
  const failures: string[] = [];
  const used = new Set<number>();
  let begun = 0;
  measured = where;
  peakRss = 0;
  const cpu = process.cpuUsage();
  const serverCpu = serverCpuMs();
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
  const hereMs = (user + system) / 1000 / times.length;
  const serverMs = (serverCpuMs() - serverCpu) / times.length;
  loop.disable();
  const done = times.length - failures.length;
  return {
    done,
    failures,
    used,
    perSecond: done / elapsed,
    p50: pct(times, 50),
    p99: pct(times, 99),
    cpuMs: where === 'server' ? serverMs : hereMs,
    clientMs: where === 'server' ? hereMs : NaN,
    loopP99: loop.percentile(99) / 1e6,
    rss: peakRss,
  };
}

for (let i = 0; i < 100; i++) await floorCheckout(floorMembers[i % MEMBERS]);
if (CPU_PROFILE_DIR) fs.mkdirSync(path.dirname(profileFile), { recursive: true });
if (CPU_PROFILE_DIR) server.child.kill('SIGUSR2');
const huiji = await drive(huijiMembers, huijiCheckout, 'server');
if (CPU_PROFILE_DIR) server.child.kill('SIGUSR2');
const floorRun = await drive(floorMembers, floorCheckout, 'here');
const paced = PACE ? await drive(huijiMembers, huijiCheckout, 'server', PACE) : null;
for (let i = 0; i < 100; i++) await serviceCheckout(huijiMembers[i % MEMBERS]);
const service = await drive(huijiMembers, serviceCheckout, 'here');
const runs = [
  ['Huiji (server process, HTTP)', huiji],
  ['floor (raw mysql2)', floorRun],
  ['  Huiji, OrderService only', service],
  ...(paced ? [[`  Huiji, 1 order/${PACE} ms/client`, paced] as const] : []),
] as const;
const headings = ['orders/s', 'p50 ms', 'p99 ms', 'orders', 'failed', 'CPU ms/order', 'client CPU ms', 'loop p99 ms', 'peak RSS MB'];
console.log(`\n${''.padEnd(30)} ${headings.map((h) => h.padStart(8)).join(' ')}`);
for (const [label, r] of runs) {
  const cells = [r.perSecond.toFixed(1), r.p50.toFixed(1), r.p99.toFixed(1), r.done, r.failures.length, r.cpuMs.toFixed(2), Number.isNaN(r.clientMs) ? '-' : r.clientMs.toFixed(2), r.loopP99.toFixed(0), (r.rss / 1048576).toFixed(0)];
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
// Besides the runs: 1 (+1 traced) orders through the seeding app, 200 + 100 warm-up orders on Huiji's members, 100 on the floor's.
for (const [i, label] of ['Huiji', 'floor'].entries()) {
  const expected = i ? floorRun.done + 100 : huiji.done + service.done + (paced?.done ?? 0) + 301 + (TRACE ? 1 : 0);
  console.log(`${label} orders in the database: ${orders[i]?.n} (expected ${expected}), ${items[i]?.n} lines, ${payments[i]?.n} payments`);
}
const failed = runs.reduce((n, [, r]) => n + r.failures.length, 0);
console.log(`ledger invariants on ${checked.length} members: ${broken ? `${broken} BROKEN` : 'hold'}; requests not 201: ${failed}`);

clearInterval(rssTimer);
closeClient();
const exitCode = await server.stop();
if (exitCode !== 0) console.log(`server process exited with ${exitCode}: ${server.stderr().slice(-500)}`);
if (CPU_PROFILE_DIR) console.log(`CPU profile of the server process during the saturated run: ${profileFile}`);
fs.rmSync(serverDir, { recursive: true, force: true });
await floor.end();
await test.close();
process.exit(broken || failed ? 1 : 0);
