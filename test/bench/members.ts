/**
 * Members benchmark (members issue). On MySQL, with --members seeded members (default
 * 1,000,000) across two stores, through the real app on a real HTTP port:
 *   - POS lookup by phone, --concurrency parallel clients (target p99 <= 10 ms at 16);
 *   - filtered list pages as a store manager: filters, sorts, and a page 10,000 deep via
 *     its keyset cursor (target p95 <= 200 ms);
 *   - import of --rows new members from an .xlsx, upload to finished task (target <= 60 s);
 *   - export of about --rows members to .xlsx, request to finished task (target <= 60 s).
 * Seeding writes rows straight into the table in multi-row inserts (encrypted and indexed
 * as the app would); everything measured goes through HTTP.
 *   npm run bench:members [-- --db mysql --members 1000000 --rows 100000 --concurrency 16]
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import { formatCardNumber } from '../../server/src/platform/ids/card-number.js';
import { encodeCursor } from '../../server/src/modules/members/list-query.js';
import { startTestApp } from '../support/app.js';
import { seedAccessFixture } from '../support/access.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const dialect = arg('db', 'mysql') as 'mysql' | 'sqlite';
const MEMBERS = Number(arg('members', '1000000'));
const ROWS = Number(arg('rows', '100000'));
const CONCURRENCY = Number(arg('concurrency', '16'));
const LOOKUPS = Number(arg('lookups', '4000'));
const BATCH = 2000;

const phoneOf = (i: number) => `13${String(100_000_000 + i).slice(-9)}`;
const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const ms = (n: number) => `${n.toFixed(1)} ms`;
let peakRss = 0;
const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);

const test = await startTestApp({ dialect, jobs: 'run' });
const f = await seedAccessFixture(test);
const { sequelize, fieldCipher } = test.ctx;
const CHANNELS = ['counter', 'poster', 'miniapp', 'ad_a', 'ad_b', 'counter', 'counter', 'miniapp', 'counter', 'poster'];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';

console.log(`seeding ${MEMBERS} members on ${dialect}...`);
let started = performance.now();
const base = Date.now() - 3 * 365 * 86_400_000;
for (let from = 0; from < MEMBERS; from += BATCH) {
  const values: unknown[] = [];
  const count = Math.min(BATCH, MEMBERS - from);
  for (let j = 0; j < count; j++) {
    const i = from + j + 1;
    const phone = phoneOf(i);
    const month = (i % 12) + 1;
    const registered = new Date(base + Math.floor((i / MEMBERS) * 3 * 365 * 86_400_000));
    values.push(
      formatCardNumber('8', i),
      `${SURNAMES[i % SURNAMES.length]}${String.fromCharCode(0x4e00 + (i % 2000))}`,
      i % 2 ? 'female' : 'male',
      `19${70 + (i % 30)}-${String(month).padStart(2, '0')}-15`,
      month,
      fieldCipher.encrypt(phone, 'members.phone'),
      fieldCipher.blindIndex(phone, 'members.phone'),
      phone.slice(-4),
      i % 3 === 0 ? f.stores.s2.id : f.stores.s1.id,
      CHANNELS[i % CHANNELS.length],
      registered,
      (i * 37) % 5000,
      (i * 7919) % 500_000,
      (i * 104_729) % 2_000_000,
      '{}',
      registered,
      registered,
    );
  }
  await sequelize.query(
    `INSERT INTO members (card_no, name, gender, birthday, birth_month, phone_enc, phone_bidx, phone_last4, home_store_id, channel, registered_at, points_balance, stored_value_balance, total_spent, custom, created_at, updated_at) VALUES ${Array.from({ length: count }, () => '(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)').join(',')}`,
    { replacements: values },
  );
  if ((from / BATCH) % 50 === 0) process.stdout.write(`  ${from + count}\r`);
}
await sequelize.query("INSERT INTO sequences (name, value, updated_at) VALUES ('member.card', ?, ?)", { replacements: [MEMBERS, new Date()] });
if (dialect === 'mysql') await sequelize.query('ANALYZE TABLE members');
console.log(`seeded ${MEMBERS} members in ${((performance.now() - started) / 1000).toFixed(1)} s`);

const server = http.createServer(test.app).listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const port = (server.address() as AddressInfo).port;
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function request(method: string, path: string, token: string, body?: Buffer | object, type = 'application/json'): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
    const req = http.request(
      { host: '127.0.0.1', port, method, path, agent, headers: { Authorization: `Bearer ${token}`, ...(payload ? { 'Content-Type': type, 'Content-Length': payload.length } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
const json = (r: { body: Buffer }) => JSON.parse(r.body.toString('utf8'));

// 1. POS lookup by phone, as a cashier.
const cashier = f.tokens.cashier1;
for (let i = 0; i < 200; i++) await request('GET', `/api/v1/members/lookup?phone=${phoneOf((i * 3 + 1) % MEMBERS || 1)}`, cashier);
let next = 0;
async function lookupRun(concurrency: number, total: number) {
  const times: number[] = [];
  let misses = 0;
  next = 0;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next += 1;
        // Members of store 1 (i % 3 != 0), the cashier's store.
        let i = 1 + Math.floor(Math.random() * (MEMBERS - 1));
        if (i % 3 === 0) i += 1;
        const t = performance.now();
        const res = await request('GET', `/api/v1/members/lookup?phone=${phoneOf(i)}`, cashier);
        times.push(performance.now() - t);
        if (res.status !== 200) misses += 1;
      }
    }),
  );
  const perSecond = total / ((performance.now() - began) / 1000);
  return { times, misses, perSecond };
}
for (const concurrency of [...new Set([1, 4, CONCURRENCY])]) {
  const { times, misses, perSecond } = await lookupRun(concurrency, LOOKUPS);
  const target = concurrency === CONCURRENCY ? ' (target p99 <= 10 ms at 16)' : '';
  console.log(`lookup by phone over HTTP, ${concurrency} concurrent, ${LOOKUPS} requests: p50 ${ms(pct(times, 50))}, p99 ${ms(pct(times, 99))}, ${perSecond.toFixed(0)}/s${target}${misses ? `; ${misses} not 200!` : ''}`);
}

// The same lookups without HTTP: the service call (index lookup, decryption, field guard).
const principal = (await test.ctx.services.auth.principalOf(f.users.cashier1.id))!;
const direct: number[] = [];
next = 0;
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < LOOKUPS) {
      next += 1;
      let i = 1 + Math.floor(Math.random() * (MEMBERS - 1));
      if (i % 3 === 0) i += 1;
      const t = performance.now();
      await test.ctx.services.members.lookup(principal, { phone: phoneOf(i) });
      direct.push(performance.now() - t);
    }
  }),
);
console.log(`  the same through MemberService.lookup, no HTTP or session check: p50 ${ms(pct(direct, 50))}, p99 ${ms(pct(direct, 99))}`);

// 2. Filtered list pages, as a store manager.
const manager = f.tokens.manager1;
const [deep] = await sequelize.query<{ id: number; registered_at: Date }>(
  `SELECT id, registered_at FROM members WHERE home_store_id = ? ORDER BY registered_at DESC, id DESC LIMIT 1 OFFSET ${20 * 10_000 - 1}`,
  { replacements: [f.stores.s1.id], type: 'SELECT' as never },
);
const deepCursor = deep ? encodeCursor('registeredAt', 'desc', new Date(deep.registered_at), Number(deep.id)) : undefined;
const queries = [
  '',
  '?channel=poster',
  '?birthdayMonth=5',
  '?status=normal&sort=totalSpent&order=desc',
  '?spendMin=100000&spendMax=200000',
  `?keyword=${encodeURIComponent('王')}`,
  '?keyword=8888',
  '?registeredFrom=2025-01-01&registeredTo=2025-03-31',
  '?sort=pointsBalance&order=asc&channel=miniapp',
  ...(deepCursor ? [`?cursor=${deepCursor}`] : []),
];
const pages: Record<string, number[]> = {};
for (let round = 0; round < 20; round++) {
  for (const q of queries) {
    const t = performance.now();
    const res = await request('GET', `/api/v1/members${q}${q ? '&' : '?'}limit=20`, manager);
    (pages[q] ??= []).push(performance.now() - t);
    if (res.status !== 200) throw new Error(`list ${q}: ${res.status} ${res.body.toString().slice(0, 300)}`);
    if (round === 0 && q.startsWith('?cursor')) console.log(`  page 10,000 via cursor returned ${json(res).items.length} members`);
  }
}
const all = Object.values(pages).flat();
console.log(`list page (20 rows, ${queries.length} filter/sort/page shapes x 20): p50 ${ms(pct(all, 50))}, p95 ${ms(pct(all, 95))} (target p95 <= 200 ms)`);
for (const [q, times] of Object.entries(pages)) console.log(`  ${(q || '(no filter)').slice(0, 60).padEnd(60)} p50 ${ms(pct(times, 50))}  p95 ${ms(pct(times, 95))}`);

async function finished(token: string, id: number) {
  for (;;) {
    const task = json(await request('GET', `/api/v1/tasks/${id}`, token));
    if (task.status === 'succeeded' || task.status === 'failed') return task;
    await sleep(200);
  }
}

// 3. Import of ROWS new members.
const file = await importFile();

async function importFile(): Promise<Buffer> {
  // Built in a function of its own so the workbook is garbage once the file exists.
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('会员');
  sheet.addRow(['姓名', '手机号', '性别', '生日', '所属门店', '来源渠道']);
  for (let i = 0; i < ROWS; i++) sheet.addRow([`导入${i}`, phoneOf(MEMBERS + 1 + i), i % 2 ? '女' : '男', `1990-0${(i % 9) + 1}-1${i % 10}`, 'S001', 'import']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
// With --expose-gc, the file's workbook is gone before the import's memory is measured.
global.gc?.();
peakRss = process.memoryUsage().rss;
const rssBeforeImport = peakRss;
console.log(`import file: ${ROWS} rows, ${(file.length / 1024 / 1024).toFixed(1)} MB`);
started = performance.now();
const uploaded = await request('POST', '/api/v1/members/import-files', manager, file, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
if (uploaded.status !== 201) throw new Error(`upload: ${uploaded.status} ${uploaded.body.toString().slice(0, 300)}`);
const preview = json(uploaded);
const uploadedMs = performance.now() - started;
const queued = json(await request('POST', '/api/v1/members/imports', manager, { fileId: preview.fileId, mapping: preview.mapping, badRows: 'skip' }));
const imported = await finished(manager, queued.id);
const importS = (performance.now() - started) / 1000;
console.log(`import of ${ROWS} rows: ${importS.toFixed(1)} s (upload and preview ${(uploadedMs / 1000).toFixed(1)} s), ${imported.status}, ${JSON.stringify(imported.summary)} (target <= 60 s)`);
console.log(`  process RSS ${(rssBeforeImport / 1048576).toFixed(0)} MB before, peak ${(peakRss / 1048576).toFixed(0)} MB during`);
peakRss = process.memoryUsage().rss;
const rssBeforeExport = peakRss;

// 4. Export of about ROWS members: one channel of store 1 holds MEMBERS * 2/3 * 2/10.
const channelShare = Math.round((MEMBERS * 2) / 3 / 5);
const exportQuery = channelShare > ROWS * 1.5 ? { channel: 'poster', registeredFrom: '2000-01-01' } : { channel: 'poster' };
started = performance.now();
const exportTask = json(await request('POST', '/api/v1/members/exports', manager, exportQuery));
if (!exportTask.id) throw new Error(`export: ${JSON.stringify(exportTask)}`);
const exported = await finished(manager, exportTask.id);
console.log(`export of ${exported.summary?.rows} members: ${((performance.now() - started) / 1000).toFixed(1)} s, ${exported.status} (target <= 60 s for 100,000)`);
console.log(`  process RSS ${(rssBeforeExport / 1048576).toFixed(0)} MB before, peak ${(peakRss / 1048576).toFixed(0)} MB during (app and benchmark client share the process)`);

clearInterval(rssTimer);
agent.destroy();
server.close();
await test.close();
process.exit(0);
