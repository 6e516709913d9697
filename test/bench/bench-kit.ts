/**
 * What the checkout benchmarks share (checkout.ts, coupons.ts): their command line, the
 * built server they drive, the order they ring up, a keep-alive HTTP client, members
 * inserted in bulk and funded through the real routes.
 */
import type { Express } from 'express';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { QueryTypes, type Sequelize } from 'sequelize';
import { PROJECT_ROOT } from '../../server/src/platform/paths.js';
import type { TestApp } from '../support/app.js';
import { SERVER_ENTRY } from '../support/server-process.js';
import { checkoutFloor } from './checkout-floor.js';

/** `--name value` from the command line, else the fallback. */
export const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};

/** The p-th percentile of the values (NaN for none). */
export const pct = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ?? NaN;

/** Refuses a server entry that was never built; warns when dist/server is older than server/src. */
export function checkServerBuild(entry: string): void {
  if (!fs.existsSync(entry)) throw new Error(`${entry} does not exist: npm run build:server first`);
  const newest = (dir: string): number =>
    Math.max(0, ...fs.readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).mtimeMs)));
  if (entry === SERVER_ENTRY && newest(path.join(PROJECT_ROOT, 'server', 'src')) > fs.statSync(SERVER_ENTRY).mtimeMs) {
    console.log('WARNING: server/src changed after dist/server was built; the server process runs the old code (npm run build:server)');
  }
}

/** The order both benches ring up: two lines, paid with points, stored value and cash (fen). */
export const LINES = [
  { sku: 'A-1', name: '精华液', quantity: 2, unitPrice: 12_800 },
  { sku: 'B-2', name: '面膜', quantity: 1, unitPrice: 9_900 },
];
export const PAY = { points: 500, wallet: 20_000, cash: 15_000 };

export const orderBody = (storeId: number, memberId: number, cash = PAY.cash) => ({
  memberId,
  storeId,
  items: LINES,
  payments: [
    { method: 'points', amount: PAY.points },
    { method: 'wallet', amount: PAY.wallet },
    { method: 'cash', amount: cash },
  ],
});

export type Reply = { status: number; text: string };
export type Request = (port: number, method: string, path: string, token: string, body?: object, headers?: Record<string, string>) => Promise<Reply>;

/** Requests over one keep-alive agent of `maxSockets` sockets; `close` ends its sockets. */
export function httpClient(maxSockets: number): { request: Request; close: () => void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const request: Request = (port, method, path, token, body, headers = {}) =>
    new Promise((resolve, reject) => {
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
  return { request, close: () => agent.destroy() };
}

/** The reply's JSON when it has the expected status; else an error naming `what` and the reply. */
export async function ok(status: number, reply: Promise<Reply>, what = '') {
  const r = await reply;
  if (r.status !== status) throw new Error(`${what ? `${what}: ` : ''}expected ${status}, got ${r.status}: ${r.text.slice(0, 300)}`);
  return JSON.parse(r.text);
}

/** The in-process app on a port of its own, for seeding through the real routes. */
export async function listen(app: Express): Promise<{ port: number; close: () => Promise<void> }> {
  const server = http.createServer(app).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise((resolve) => void server.close(() => resolve())) };
}

/** `work` over the items from `concurrency` loops at once. */
export async function inParallel<T>(concurrency: number, items: T[], work: (item: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

/** `count` members of one store straight into the table, `perStatement` rows a statement; answers their ids. */
export async function insertMembers(sequelize: Sequelize, storeId: number, tag: string, count: number, perStatement: number): Promise<number[]> {
  const now = new Date();
  for (let from = 0; from < count; from += perStatement) {
    const n = Math.min(perStatement, count - from);
    const values = Array.from({ length: n }, (_, j) => [`${tag}${String(from + j).padStart(7, '0')}`, `压测${tag}${from + j}`, storeId, now, '{}', now, now]).flat();
    await sequelize.query(`INSERT INTO members (card_no, name, home_store_id, registered_at, custom, created_at, updated_at) VALUES ${Array(n).fill('(?,?,?,?,?,?,?)').join(',')}`, { replacements: values });
  }
  const rows = await sequelize.query<{ id: number }>('SELECT id FROM members WHERE card_no LIKE ? ORDER BY id', { replacements: [`${tag}%`], type: QueryTypes.SELECT });
  return rows.map((row) => Number(row.id));
}

/**
 * The floor (checkout-floor.ts) over the app's database, with as many connections as its
 * pool and its rules, time zone and audit key: the benches' order rung up by `cashier`.
 */
export async function floorOf(test: TestApp, options: { cashier: { id: number; username: string }; storeId: number; body: (memberId: number) => object; response: object }) {
  return checkoutFloor({
    url: test.db.url,
    connections: test.ctx.config.database.poolMax,
    rules: { points: await test.ctx.services.points.readSettings(), wallet: await test.ctx.services.wallet.settings.read() },
    timeZone: test.ctx.config.businessTimezone,
    auditKey: test.ctx.auditKeys.hmacKey,
    lines: LINES,
    pay: PAY,
    ...options,
  });
}

/** Lets custom top-ups carry a bonus of up to 100 %, as the funding below does. */
export async function allowFullBonus(request: Request, port: number, token: string): Promise<void> {
  const settings = await ok(200, request(port, 'GET', '/api/v1/loyalty/wallet-settings', token));
  await ok(200, request(port, 'PUT', '/api/v1/loyalty/wallet-settings', token, { ...settings, customBonusMaxPercent: 100 }));
}

/** Each member gets a top-up of 10,000 + 1,000 yuan bonus and 1,000,000 points, through the real routes. */
export async function fundMembers(request: Request, port: number, token: string, memberIds: number[], concurrency: number): Promise<void> {
  await inParallel(concurrency, memberIds, async (id) => {
    await ok(201, request(port, 'POST', `/api/v1/members/${id}/wallet/topups`, token, { amount: 1_000_000, bonus: 100_000, payMethod: 'cash' }));
    await ok(201, request(port, 'POST', `/api/v1/members/${id}/points/adjustments`, token, { delta: 1_000_000, reason: '压测' }));
  });
}
