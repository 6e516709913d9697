/**
 * Backup benchmark (installer issue). On MySQL, in one run and on one database:
 *   1. seeds the demo data (`npm run seed:demo`'s stores, staff, members with encrypted
 *      contact data, consents) at --members members, plus what a few years of trade leave
 *      behind, written in SQL from the members: an order with two items and a payment for
 *      every other member, its points lot and ledger row, a stored-value top-up with its
 *      ledger row for one in ten, a coupon for one in five; the members' balances match;
 *   2. backs it up with `mysqldump --single-transaction | gzip` (gzip's default level) and
 *      with Huiji's createBackup (.hjbak), timing each, with the output sizes and this
 *      process's RSS, sampled every 200 ms, before and at its peak during the backup;
 *   3. restores each into a fresh database: `mysql < dump.sql` (the dump gunzipped first,
 *      untimed; the time is the mysql load alone) and Huiji's restoreBackup (key checks,
 *      load, checksum scan against the manifest, secrets, migrations, decryption check),
 *      with its load and checksum scan timed apart from its steps;
 *   4. prints the ratios against the targets (backup <= 1.2x, restore <= 1.5x).
 * Also printed: CPU seconds of this process, of mysqld and of mysqldump + gzip per phase,
 * the load average, and the triggers each restore brought back.
 *
 * Options:
 *   --members N     members to seed (default 1,000,000; seeding takes about 5 minutes at that size)
 *   --db NAME       the database to seed (default huiji_bench_backup_<random>); with --skip-seed,
 *                   a database an earlier run seeded and kept
 *   --skip-seed     reuse --db NAME as it is, with the data directory (field keys) kept beside it
 *   --keep          leave the seeded database and its data directory for a later --skip-seed run;
 *                   the restored copies, dumps and backup files are removed either way
 *   --rounds N      backup and restore each N times, alternating which tool goes first (default 1)
 *   --work DIR      where dumps, backups and the data directory go (default the OS temp directory)
 *   --cpu-prof DIR  write V8 CPU profiles of Huiji's backup and restore there and print the
 *                   functions with the most self time
 * MySQL as root at HUIJI_TEST_MYSQL_URL (default mysql://root@127.0.0.1:3306/mysql).
 *   npm run bench:backup [-- --members 1000000 --rounds 1 --keep | --skip-seed --db NAME]
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import v8 from 'node:v8';
import vm from 'node:vm';
import mysql from 'mysql2/promise';
import { consoleProgress } from '../../server/src/cli/seed/batch.js';
import { demoPassword, seedDemo } from '../../server/src/cli/seed/index.js';
import { MEMBER_ENCRYPTED_COLUMNS } from '../../server/src/modules/members/contact.js';
import { createBackup, generateBackupKeyPair, restoreBackup } from '../../server/src/platform/backup/index.js';
import { loadConfig } from '../../server/src/platform/config/load.js';
import { createSequelize } from '../../server/src/platform/db/connect.js';
import { runMigrations } from '../../server/src/platform/db/migrate.js';
import { MYSQL_ADMIN_URL } from '../support/database.js';
import { arg } from './bench-kit.js';

const flag = (name: string) => process.argv.includes(`--${name}`);
const MEMBERS = Number(arg('members', '1000000'));
const SKIP_SEED = flag('skip-seed');
const KEEP = flag('keep');
const ROUNDS = Number(arg('rounds', '1'));
const WORK = path.resolve(arg('work', os.tmpdir()));
const CPU_PROF = process.argv.includes('--cpu-prof') ? path.resolve(arg('cpu-prof', '.')) : null;
const DB = arg('db', `huiji_bench_backup_${crypto.randomBytes(3).toString('hex')}`);
if (SKIP_SEED && !flag('db')) throw new Error('--skip-seed needs --db NAME, a database an earlier run seeded with --keep');
if (!/^\w+$/.test(DB)) throw new Error(`--db ${DB}: letters, digits and _ only`);

const admin = new URL(MYSQL_ADMIN_URL);
const server = { host: admin.hostname, port: Number(admin.port || 3306), user: decodeURIComponent(admin.username || 'root'), password: decodeURIComponent(admin.password) };
const urlOf = (db: string) => Object.assign(new URL(MYSQL_ADMIN_URL), { pathname: `/${db}` }).toString();
const root = await mysql.createConnection({ ...server, multipleStatements: false });
const rows = async <T>(sql: string, values: unknown[] = []) => (await root.query(sql, values))[0] as T[];

// A collection before each phase, so its "RSS before" is not the previous phase's garbage.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const MB = 1024 * 1024;
const mb = (bytes: number) => `${(bytes / MB).toFixed(0)} MB`;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const load = () => os.loadavg().map((n) => n.toFixed(2)).join(' ');
const say = (line: string) => console.log(`${line}   [load ${load()}]`);

// --- CPU and memory while a phase runs ---------------------------------------------------

const TICKS_PER_SECOND = 100;
const mysqldPid = (() => {
  try {
    return Number(fs.readFileSync('/run/mysqld/mysqld.pid', 'utf8').trim()) || null;
  } catch {
    return null;
  }
})();
/** mysqld's user + system CPU seconds so far (null when it runs out of sight, e.g. on another host). */
function mysqldCpu(): number | null {
  if (!mysqldPid || !['127.0.0.1', 'localhost'].includes(server.host)) return null;
  try {
    const fields = fs.readFileSync(`/proc/${mysqldPid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

interface Measured {
  ms: number;
  nodeCpu: number;
  mysqldCpu: number | null;
  rssBefore: number;
  rssPeak: number;
}

/** Times `work`, with this process's and mysqld's CPU seconds and this process's RSS (sampled every 200 ms). */
async function measure<T>(work: () => Promise<T>): Promise<{ result: T } & Measured> {
  gc();
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 200);
  const cpu = process.cpuUsage();
  const dbCpu = mysqldCpu();
  const started = performance.now();
  try {
    const result = await work();
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const dbAfter = mysqldCpu();
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    return { result, ms, nodeCpu: (used.user + used.system) / 1e6, mysqldCpu: dbCpu === null || dbAfter === null ? null : dbAfter - dbCpu, rssBefore, rssPeak };
  } finally {
    clearInterval(sampler);
  }
}

const cpuText = (m: Pick<Measured, 'nodeCpu' | 'mysqldCpu'>, tools?: number) =>
  [tools === undefined ? `node ${m.nodeCpu.toFixed(1)} s` : `mysqldump+gzip ${tools.toFixed(1)} s`, m.mysqldCpu === null ? '' : `mysqld ${m.mysqldCpu.toFixed(1)} s`].filter(Boolean).join(', ');

/** Runs `script` in bash with pipefail; answers the CPU seconds (user + system) of its commands. */
function shell(script: string): Promise<number> {
  const env = { ...process.env, MYSQL_PWD: server.password, TIMEFORMAT: '%U %S' };
  return new Promise((resolve, reject) => {
    execFile('bash', ['-c', `set -o pipefail; time { ${script} ; }`], { env, maxBuffer: 16 * MB }, (error, _stdout, stderr) => {
      if (error) return reject(new Error(`${script}: ${stderr || error.message}`));
      const [user, system] = stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
      resolve(user + system);
    });
  });
}
const client = (tool: string) => `${tool} -h ${server.host} -P ${server.port} -u ${server.user}`;

/**
 * Waits while InnoDB is still writing out the previous step's dirty pages (until their
 * number stops falling, at most 30 s), so a timed step pays less for its predecessor's
 * writes; says so when it waited.
 */
async function settle(): Promise<void> {
  const started = performance.now();
  const dirty = async () => Number((await rows<{ Value: string }>("SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'"))[0].Value);
  let before = await dirty();
  for (let i = 0; i < 15 && before > 0; i++) {
    await sleep(2000);
    const now = await dirty();
    if (now >= before * 0.95) break;
    before = now;
  }
  if (performance.now() - started > 2500) console.log(`  (waited ${s(performance.now() - started)} for InnoDB to flush)`);
}

/** A V8 CPU profile of `work` into DIR/name.cpuprofile when --cpu-prof is on, and the hottest functions by self time. */
async function profiled<T>(name: string, work: () => Promise<T>): Promise<T> {
  if (!CPU_PROF) return work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 1000 });
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    fs.mkdirSync(CPU_PROF, { recursive: true });
    fs.writeFileSync(path.join(CPU_PROF, `${name}.cpuprofile`), JSON.stringify(profile));
    printHotFunctions(name, profile);
  }
}

function printHotFunctions(name: string, profile: { nodes: { id: number; callFrame: { functionName: string; url: string } }[]; samples?: number[]; timeDeltas?: number[] }) {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples?.forEach((id, i) => {
    const frame = byNode.get(id)!.callFrame;
    // Under tsx the profile's line numbers are the transformed code's: the file says enough.
    const where = frame.url.replace(/^.*\/(node_modules\/|server\/src\/)/, '$1');
    const key = `${frame.functionName || '(anonymous)'} ${where}`.trim();
    const micros = profile.timeDeltas?.[i] ?? 0;
    self.set(key, (self.get(key) ?? 0) + micros);
    total += micros;
  });
  console.log(`  CPU profile of ${name} (${path.join(CPU_PROF!, `${name}.cpuprofile`)}), self time, top 15 of ${s(total / 1000)}:`);
  for (const [key, micros] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
    console.log(`    ${((micros / total) * 100).toFixed(1).padStart(5)} %  ${s(micros / 1000).padStart(7)}  ${key}`);
  }
}

// --- the data ------------------------------------------------------------------------------

/** The tables this bench fills beyond the demo's, in the order they are filled. */
const BIG_TABLES = ['members', 'member_consents', 'orders', 'order_items', 'order_payments', 'point_lots', 'point_ledger', 'wallet_topups', 'wallet_ledger', 'coupons'];

/**
 * Trade on top of the demo members, written by MySQL itself (INSERT ... SELECT over member
 * id ranges): values are functions of the member id, so related rows agree without being
 * read back, and the members' balances equal their ledgers as the app would leave them.
 * Every odd member bought once (order id = (member id + 1) / 2), members 4, 14, 24, ...
 * topped up once (top-up id = (member id + 6) / 10), members 2, 7, 12, ... hold a coupon.
 */
async function seedTrade(url: string, members: number): Promise<void> {
  const db = await mysql.createConnection({ ...server, database: new URL(url).pathname.slice(1) });
  try {
    // Rows built from rows already checked: the checks would only slow the load.
    await db.query('SET SESSION foreign_key_checks = 0, unique_checks = 0');
    const cashier =
      "(SELECT us.store_id, MIN(us.user_id) AS user_id FROM user_stores us JOIN user_roles ur ON ur.user_id = us.user_id JOIN roles r ON r.id = ur.role_id AND r.code = 'cashier' GROUP BY us.store_id)";
    const line1 = { qty: '(1 + o.member_id % 3)', price: '(1000 + o.member_id * 7919 % 30000)' };
    const line2 = { qty: '1', price: '(500 + o.member_id * 104729 % 20000)' };
    const NAMES = "'玻尿酸补水精华液', '水光面膜（5片装）', '氨基酸洁面乳', '烟酰胺身体乳', '丝绒哑光口红', '木质调淡香水', '抗皱紧致眼霜', '清爽防晒乳 SPF50'";
    // Which of the eight products a line sells: the first line one, the second another.
    const product = 'IF(l.n = 1, o.member_id % 8, (o.member_id + 3) % 8)';
    const CATEGORIES = "'护肤', '面膜', '洁面', '身体护理', '彩妆', '香氛', '护肤', '防晒'";
    const [[template]] = (await db.query(
      `INSERT INTO coupon_templates (name, kind, amount_off, threshold, validity_type, valid_days, store_ids, channels, categories, skus, status, created_at, updated_at)
       VALUES ('新会员满200减20', 'full_reduction', 2000, 20000, 'relative', 90, '[]', '[]', '[]', '[]', 'active', UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)) RETURNING id`,
    )) as unknown as [{ id: number }[]];
    const STEP = 100_000;
    const started = performance.now();
    for (let from = 1; from <= members; from += STEP) {
      const to = Math.min(members, from + STEP - 1);
      const o = [Math.floor((from + 1) / 2), Math.floor((to + 1) / 2)];
      await db.query(
        `INSERT INTO orders (id, order_no, member_id, store_id, cashier_id, occurred_at, amount, discount, payable, points_used, points_earned, refunded_amount, status, created_at, updated_at)
         SELECT m.oid, CONCAT(DATE_FORMAT(m.at, '%Y%m%d'), LPAD(m.oid, 8, '0')), m.id, m.home_store_id, c.user_id, m.at, m.amount, 0, m.amount, 0, m.amount DIV 100, 0, 'completed', m.at, m.at
         FROM (SELECT id, (id + 1) DIV 2 AS oid, home_store_id, LEAST(registered_at + INTERVAL id % 60 DAY + INTERVAL id % 600 MINUTE, UTC_TIMESTAMP(3)) AS at,
                      (1 + id % 3) * (1000 + id * 7919 % 30000) + (500 + id * 104729 % 20000) AS amount
               FROM members WHERE id % 2 = 1 AND id BETWEEN ? AND ?) m
         LEFT JOIN ${cashier} c ON c.store_id = m.home_store_id ORDER BY m.oid`,
        [from, to],
      );
      await db.query(
        `INSERT INTO order_items (order_id, line_no, sku, name, category, quantity, unit_price, amount, discount, payable)
         SELECT o.id, l.n, CONCAT('SKU-', LPAD(1 + ${product}, 4, '0')), ELT(1 + ${product}, ${NAMES}), ELT(1 + ${product}, ${CATEGORIES}),
                IF(l.n = 1, ${line1.qty}, ${line2.qty}), IF(l.n = 1, ${line1.price}, ${line2.price}),
                IF(l.n = 1, ${line1.qty} * ${line1.price}, ${line2.price}), 0, IF(l.n = 1, ${line1.qty} * ${line1.price}, ${line2.price})
         FROM orders o JOIN (SELECT 1 AS n UNION ALL SELECT 2) l WHERE o.id BETWEEN ? AND ? ORDER BY o.id, l.n`,
        o,
      );
      await db.query(
        `INSERT INTO order_payments (order_id, method, amount) SELECT id, ELT(1 + member_id % 4, 'cash', 'wechat', 'alipay', 'card'), payable FROM orders WHERE id BETWEEN ? AND ? ORDER BY id`,
        o,
      );
      await db.query(
        `INSERT INTO point_lots (id, member_id, source_type, source_id, amount, remaining, earned_at, expires_at, created_at)
         SELECT id, member_id, 'order', id, points_earned, points_earned, occurred_at, occurred_at + INTERVAL 2 YEAR, occurred_at FROM orders WHERE id BETWEEN ? AND ? ORDER BY id`,
        o,
      );
      await db.query(
        `INSERT INTO point_ledger (id, member_id, lot_id, kind, source_type, source_id, delta, balance_after, store_id, operator_id, created_at)
         SELECT id, member_id, id, 'earn', 'order', id, points_earned, points_earned, store_id, cashier_id, occurred_at FROM orders WHERE id BETWEEN ? AND ? ORDER BY id`,
        o,
      );
      await db.query(
        `UPDATE members m JOIN orders o ON o.member_id = m.id
         SET m.points_balance = o.points_earned, m.total_spent = o.payable, m.last_visit_at = GREATEST(COALESCE(m.last_visit_at, o.occurred_at), o.occurred_at), m.updated_at = GREATEST(m.updated_at, o.occurred_at)
         WHERE o.id BETWEEN ? AND ?`,
        o,
      );
      await db.query(
        `INSERT INTO wallet_topups (id, topup_no, member_id, store_id, pay_method, principal, bonus, principal_remaining, bonus_remaining, status, operator_id, created_at, updated_at)
         SELECT m.tid, CONCAT('T', DATE_FORMAT(m.at, '%Y%m%d'), LPAD(m.tid, 6, '0')), m.id, m.home_store_id, ELT(1 + m.id % 3, 'cash', 'wechat', 'alipay'), m.principal, m.principal DIV 10, m.principal, m.principal DIV 10, 'active', c.user_id, m.at, m.at
         FROM (SELECT id, (id + 6) DIV 10 AS tid, home_store_id, 10000 * (1 + id % 7) AS principal, LEAST(registered_at + INTERVAL 1 HOUR, UTC_TIMESTAMP(3)) AS at FROM members WHERE id % 10 = 4 AND id BETWEEN ? AND ?) m
         LEFT JOIN ${cashier} c ON c.store_id = m.home_store_id ORDER BY m.tid`,
        [from, to],
      );
      const t = [Math.floor((from + 15) / 10), Math.floor((to + 6) / 10)];
      await db.query(
        `INSERT INTO wallet_ledger (id, member_id, topup_id, topup_store_id, store_id, kind, source_type, source_id, principal_delta, bonus_delta, principal_after, bonus_after, operator_id, created_at)
         SELECT id, member_id, id, store_id, store_id, 'topup', 'topup', id, principal, bonus, principal, bonus, operator_id, created_at FROM wallet_topups WHERE id BETWEEN ? AND ? ORDER BY id`,
        t,
      );
      await db.query(
        `UPDATE members m JOIN wallet_topups w ON w.member_id = m.id SET m.wallet_principal = w.principal, m.wallet_bonus = w.bonus, m.stored_value_balance = w.principal + w.bonus WHERE w.id BETWEEN ? AND ?`,
        t,
      );
      await db.query(
        `INSERT INTO coupons (template_id, member_id, code, status, valid_from, valid_until, source, created_at, updated_at)
         SELECT ?, id, CONCAT(LPAD(HEX(id), 6, '0'), UPPER(LEFT(MD5(id), 6))), IF(registered_at + INTERVAL 90 DAY < UTC_TIMESTAMP(3), 'expired', 'available'),
                registered_at, registered_at + INTERVAL 90 DAY, 'batch', registered_at, registered_at
         FROM members WHERE id % 5 = 2 AND id BETWEEN ? AND ? ORDER BY id`,
        [template.id, from, to],
      );
      process.stdout.write(`  trade for members ${from}–${to}  ${s(performance.now() - started)}\n`);
    }
    const [[counts]] = (await db.query('SELECT (SELECT COUNT(*) FROM orders) AS orders, (SELECT COUNT(*) FROM wallet_topups) AS topups, (SELECT COUNT(*) FROM coupons) AS coupons')) as unknown as [Record<string, number>[]];
    await db.query('UPDATE coupon_templates SET issued_count = ? WHERE id = ?', [counts.coupons, template.id]);
    // The app's next order and top-up numbers continue after the seeded ones.
    await db.query("INSERT INTO sequences (name, value, updated_at) VALUES ('order.no', ?, UTC_TIMESTAMP(3)), ('wallet.topup', ?, UTC_TIMESTAMP(3))", [counts.orders, counts.topups]);
    await db.query(`ANALYZE TABLE ${BIG_TABLES.join(', ')}`);
  } finally {
    await db.end();
  }
}

// --- the run ---------------------------------------------------------------------------------

const created: string[] = [];
async function createDatabase(name: string): Promise<string> {
  await root.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  created.push(name);
  return urlOf(name);
}
async function dropDatabase(name: string): Promise<void> {
  await root.query(`DROP DATABASE IF EXISTS \`${name}\``);
  created.splice(created.indexOf(name), 1);
}
const triggersOf = async (db: string) => (await rows<{ n: number }>('SELECT COUNT(*) AS n FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?', [db]))[0].n;

// The field keys that sealed the phones live in the data directory: a reused database needs the same one.
const dataDir = path.join(WORK, `${DB}.data`);
const files = fs.mkdtempSync(path.join(WORK, 'huiji-bench-backup-'));
const sourceUrl = urlOf(DB);
let failed = false;
try {
  console.log(`backup benchmark: database ${DB} on ${server.host}:${server.port}, files in ${files}; ${os.cpus().length} cores, Node ${process.version}`);
  const [version] = await rows<{ v: string; pool: number }>('SELECT VERSION() AS v, @@innodb_buffer_pool_size AS pool');
  console.log(`MySQL ${version.v}, InnoDB buffer pool ${mb(Number(version.pool))}`);
  if (SKIP_SEED) {
    if (!fs.existsSync(path.join(dataDir, 'keys'))) throw new Error(`--skip-seed: ${dataDir} (the seeded database's field keys) is missing; seed again with --keep`);
    say(`reusing ${DB} as seeded`);
  } else {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.mkdirSync(dataDir, { recursive: true });
    await createDatabase(DB);
    const seeded = await measure(async () => {
      const sequelize = createSequelize({ url: sourceUrl });
      try {
        await runMigrations(sequelize);
        const summary = await seedDemo({ sequelize, members: MEMBERS, dataDir, staffPassword: demoPassword(), onProgress: consoleProgress(process.stdout) });
        console.log(`  demo data (${summary.brand}): ${JSON.stringify(summary.counts)}`);
      } finally {
        await sequelize.close();
      }
      await seedTrade(sourceUrl, MEMBERS);
    });
    say(`seeded in ${s(seeded.ms)}`);
  }

  const sizes = await rows<{ name: string; bytes: number }>(
    "SELECT TABLE_NAME AS name, DATA_LENGTH + INDEX_LENGTH AS bytes FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'",
    [DB],
  );
  console.log('rows and size (data + indexes, InnoDB statistics):');
  const counts: Record<string, number> = {};
  for (const table of BIG_TABLES) {
    const [{ n }] = await rows<{ n: number }>(`SELECT COUNT(*) AS n FROM \`${DB}\`.\`${table}\``);
    counts[table] = Number(n);
    console.log(`  ${table.padEnd(16)} ${String(n).padStart(9)}  ${mb(Number(sizes.find((t) => t.name === table)?.bytes ?? 0)).padStart(7)}`);
  }
  const dbBytes = sizes.reduce((sum, table) => sum + Number(table.bytes), 0);
  console.log(`  database: ${sizes.length} tables, ${mb(dbBytes)}; ${await triggersOf(DB)} triggers`);

  const config = loadConfig({ cwd: dataDir, env: { HUIJI_DATA_DIR: dataDir, HUIJI_DATABASE_URL: sourceUrl, HUIJI_BACKUP_DIR: files, HUIJI_LOG_LEVEL: 'warn' } });
  const keys = generateBackupKeyPair(3072);
  const dump = path.join(files, 'dump.sql.gz');
  const hjbak = path.join(files, 'huiji-bench.hjbak');

  type Round = { dump: Measured & { tools: number }; huiji: Measured; dumpBytes: number; hjbakBytes: number; mysqlLoad: Measured; huijiRestore: Measured & { steps: Record<string, number> } };
  const results: Round[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    if (ROUNDS > 1) console.log(`round ${round} of ${ROUNDS}`);
    const dumpFirst = round % 2 === 1;
    const r = {} as Round;
    const runDump = async () => {
      await settle();
      const m = await measure(() => shell(`${client('mysqldump')} --single-transaction ${DB} | gzip > ${dump}`));
      r.dump = { ...m, tools: m.result };
      r.dumpBytes = fs.statSync(dump).size;
      say(`mysqldump --single-transaction | gzip: ${s(m.ms)}, ${mb(r.dumpBytes)} (CPU ${cpuText(m, m.result)})`);
    };
    const runHuiji = async () => {
      fs.rmSync(hjbak, { force: true });
      await settle();
      const m = await measure(() => profiled(`backup-${round}`, () => createBackup({ config, publicKeyPem: keys.publicKeyPem, out: hjbak })));
      r.huiji = m;
      r.hjbakBytes = m.result.bytes;
      const rowsBacked = m.result.manifest.tables.reduce((sum, table) => sum + table.rows, 0);
      say(`Huiji createBackup: ${s(m.ms)}, ${mb(r.hjbakBytes)}, ${rowsBacked} rows in ${m.result.manifest.tables.length} tables; RSS ${mb(m.rssBefore)} before, peak ${mb(m.rssPeak)} (CPU ${cpuText(m)})`);
    };
    for (const step of dumpFirst ? [runDump, runHuiji] : [runHuiji, runDump]) await step();

    const sql = path.join(files, 'dump.sql');
    const unzip = performance.now();
    await shell(`gunzip -c ${dump} > ${sql}`);
    console.log(`  (gunzip of the dump, not timed below: ${s(performance.now() - unzip)}, ${mb(fs.statSync(sql).size)} of SQL)`);
    const runMysql = async () => {
      const target = `${DB}_mysql`;
      await createDatabase(target);
      await settle();
      const m = await measure(() => shell(`${client('mysql')} ${target} < ${sql}`));
      r.mysqlLoad = m;
      say(`mysql < dump.sql: ${s(m.ms)} (CPU mysql client ${m.result.toFixed(1)} s${m.mysqldCpu === null ? '' : `, mysqld ${m.mysqldCpu.toFixed(1)} s`}); triggers restored: ${await triggersOf(target)}`);
      await dropDatabase(target);
    };
    const runRestore = async () => {
      const target = `${DB}_huiji`;
      const restoreDir = fs.mkdtempSync(path.join(files, 'restore-data-'));
      const targetUrl = await createDatabase(target);
      const restoreConfig = loadConfig({ cwd: restoreDir, env: { HUIJI_DATA_DIR: restoreDir, HUIJI_DATABASE_URL: targetUrl, HUIJI_LOG_LEVEL: 'warn' } });
      await settle();
      const at: Record<string, number> = {};
      const m = await measure(() => {
        at.start = performance.now();
        return profiled(`restore-${round}`, () =>
          restoreBackup({ config: restoreConfig, configFile: null, file: hjbak, privateKeyPem: keys.privateKeyPem, targetUrl, encryptedColumns: MEMBER_ENCRYPTED_COLUMNS, onStep: (step) => (at[step] = performance.now()) }),
        );
      });
      at.end = performance.now();
      const span = (from: string, to: string) => (at[from] !== undefined && at[to] !== undefined ? at[to] - at[from] : NaN);
      const steps = { before: span('start', 'load'), load: span('load', 'checksums'), checksums: span('checksums', 'secrets in place'), migrations: span('migrations', 'decryption check'), after: span('decryption check', 'end') };
      r.huijiRestore = { ...m, steps };
      say(
        `Huiji restoreBackup: ${s(m.ms)} = keys and checks ${s(steps.before)} + load ${s(steps.load)} + checksum scan ${s(steps.checksums)} + migrations ${s(steps.migrations)} + decryption check and files ${s(steps.after)}; ` +
          `${m.result.rows} rows, ${m.result.decryption.checked} values decrypted, ${m.result.decryption.failed} failed; RSS ${mb(m.rssBefore)} before, peak ${mb(m.rssPeak)} (CPU ${cpuText(m)}); triggers restored: ${await triggersOf(target)}`,
      );
      await dropDatabase(target);
      fs.rmSync(restoreDir, { recursive: true, force: true });
    };
    for (const step of dumpFirst ? [runMysql, runRestore] : [runRestore, runMysql]) await step();
    fs.rmSync(sql, { force: true });
    results.push(r);
  }

  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = sorted.length / 2;
    return Number.isInteger(middle) ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[Math.floor(middle)];
  };
  const of = (pick: (r: Round) => number) => median(results.map(pick));
  const backupRatio = of((r) => r.huiji.ms) / of((r) => r.dump.ms);
  const restoreRatio = of((r) => r.huijiRestore.ms) / of((r) => r.mysqlLoad.ms);
  const row = (label: string, huiji: string, mysqlTools: string, ratio = '', target = '') => console.log(`  ${label.padEnd(34)}${huiji.padStart(12)}${mysqlTools.padStart(14)}${ratio.padStart(8)}  ${target}`);
  console.log(`\n${counts.members.toLocaleString('en')} members, ${mb(dbBytes)} database${ROUNDS > 1 ? `, medians of ${ROUNDS} rounds` : ''}; load average ${load()}`);
  row('', 'Huiji', 'mysql tools', 'ratio', 'target');
  row('backup (mysqldump | gzip)', s(of((r) => r.huiji.ms)), s(of((r) => r.dump.ms)), backupRatio.toFixed(2), `<= 1.2  ${backupRatio <= 1.2 ? 'met' : 'NOT MET'}`);
  row('restore (mysql < dump)', s(of((r) => r.huijiRestore.ms)), s(of((r) => r.mysqlLoad.ms)), restoreRatio.toFixed(2), `<= 1.5  ${restoreRatio <= 1.5 ? 'met' : 'NOT MET'}`);
  row('  of which load', s(of((r) => r.huijiRestore.steps.load)), '', (of((r) => r.huijiRestore.steps.load) / of((r) => r.mysqlLoad.ms)).toFixed(2));
  row('  of which checksum scan', s(of((r) => r.huijiRestore.steps.checksums)), '');
  row('  the rest (keys, migrations, checks)', s(of((r) => r.huijiRestore.ms - r.huijiRestore.steps.load - r.huijiRestore.steps.checksums)), '');
  row('file size (.hjbak / .sql.gz)', mb(of((r) => r.hjbakBytes)), mb(of((r) => r.dumpBytes)), (of((r) => r.hjbakBytes) / of((r) => r.dumpBytes)).toFixed(2));
  row('peak RSS during backup (before)', `${mb(of((r) => r.huiji.rssPeak))}`, '', '', `(${mb(of((r) => r.huiji.rssBefore))} before)`);
  row('peak RSS during restore (before)', `${mb(of((r) => r.huijiRestore.rssPeak))}`, '', '', `(${mb(of((r) => r.huijiRestore.rssBefore))} before)`);
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  for (const name of [...created]) {
    if (KEEP && name === DB) continue;
    await dropDatabase(name);
  }
  fs.rmSync(files, { recursive: true, force: true });
  if (!KEEP && !SKIP_SEED) fs.rmSync(dataDir, { recursive: true, force: true });
  if (KEEP && !SKIP_SEED) console.log(`kept ${DB} and ${dataDir}: rerun with --skip-seed --db ${DB} (drop it with DROP DATABASE ${DB} and rm -r ${dataDir})`);
  await root.end();
}
process.exit(failed ? 1 : 0);
