/**
 * The checkout benchmark's floor: what one checkout writes, statement for statement and in
 * the checkout's order, done with raw mysql2 prepared statements in one transaction: the
 * idempotency key, the member locked, the order, points taken from their lots, stored value
 * taken from its top-ups, the points earned, the member's cached balances, the lines and
 * payments (one statement each), the audit record, the domain event, the saved response.
 * It leaves out only what the app does around that: HTTP, the session check, validation,
 * the response, and the store read the app repeats every 2 s. It runs in the bench process.
 * Rows it writes keep the ledgers' invariants, so the benchmark checks them like the app's.
 */
import crypto from 'node:crypto';
import mysql, { type ResultSetHeader, type RowDataPacket } from 'mysql2/promise';
import { recordMac } from '../../server/src/modules/audit/integrity.js';
import { expiryFor, pointsToEarn, type PointsSettings } from '../../server/src/modules/points/settings.js';
import { splitSpend, takeInOrder } from '../../server/src/modules/wallet/ledger.js';
import type { WalletSettings } from '../../server/src/modules/wallet/settings.js';

type Row = RowDataPacket & Record<string, number | string | Date | null>;

export interface FloorOptions {
  /** The app's database. */
  url: string;
  connections: number;
  rules: { points: PointsSettings; wallet: WalletSettings };
  timeZone: string;
  auditKey: Buffer;
  cashier: { id: number; username: string };
  storeId: number;
  lines: ReadonlyArray<{ sku: string; name: string; quantity: number; unitPrice: number }>;
  /** Fen paid by points, stored value and cash. */
  pay: { points: number; wallet: number; cash: number };
  /** The request body, hashed for the key as the app does. */
  body: (memberId: number) => object;
  /** One of the app's responses to the same order: the saved response is as large. */
  response: object;
}

export function checkoutFloor(options: FloorOptions) {
  const { rules, cashier, storeId, lines, pay } = options;
  const url = new URL(options.url);
  const pool = mysql.createPool({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: url.pathname.slice(1),
    connectionLimit: options.connections,
    timezone: 'Z',
    charset: 'utf8mb4',
    supportBigNumbers: true,
  });
  const amount = lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
  const redeem = (pay.points * rules.points.redeem.pointsPerYuan) / 100;
  let orderNo = 0;

  async function checkout(memberId: number): Promise<null> {
    const at = new Date();
    const requestHash = crypto.createHash('sha256').update(`POST /api/v1/orders\n${JSON.stringify(options.body(memberId))}`).digest('hex');
    const no = `F${String(++orderNo).padStart(15, '0')}`;
    const conn = await pool.getConnection();
    try {
      await conn.beginTransaction();
      const [key] = await conn.execute<ResultSetHeader>(
        'INSERT INTO idempotency_keys (scope, idem_key, endpoint, request_hash, status_code, response, created_at) VALUES (?,?,?,?,NULL,NULL,?)',
        [`user:${cashier.id}`, crypto.randomUUID(), 'POST /api/v1/orders', requestHash, at],
      );
      const [[member]] = await conn.execute<Row[]>('SELECT * FROM members WHERE id = ? AND home_store_id IN (?) FOR UPDATE', [memberId, storeId]);
      if (!member || member.status !== 'normal') throw new Error(`member ${memberId} missing or not normal`);
      let points = Number(member.points_balance);
      let principal = Number(member.wallet_principal);
      let bonus = Number(member.wallet_bonus);
      const split = splitSpend(rules.wallet.spendOrder, principal, bonus, pay.wallet);
      const earned = pointsToEarn(rules.points, pay.cash + split.principal);
      const [order] = await conn.execute<ResultSetHeader>(
        'INSERT INTO orders (order_no, member_id, store_id, cashier_id, occurred_at, amount, discount, payable, points_used, points_earned, status, created_at, updated_at) VALUES (?,?,?,?,?,?,0,?,?,?,?,?,?)',
        [no, memberId, storeId, cashier.id, at, amount, amount, redeem, earned, 'completed', at, at],
      );
      const orderId = order.insertId;
      const pointsRow = (lotId: number, kind: string, delta: number) =>
        conn.execute(
          'INSERT INTO point_ledger (member_id, lot_id, kind, source_type, source_id, delta, balance_after, store_id, operator_id, reason, created_at) VALUES (?,?,?,?,?,?,?,?,?,NULL,?)',
          [memberId, lotId, kind, 'order', orderId, delta, (points += delta), storeId, cashier.id, at],
        );
      // Like the ledgers, no lock on lots and top-ups: the member row's lock serialises them.
      const [lots] = await conn.execute<Row[]>('SELECT * FROM point_lots WHERE member_id = ? AND remaining > 0 ORDER BY expires_at IS NULL, expires_at, id LIMIT 200', [memberId]);
      let left = redeem;
      for (const lot of lots) {
        const taken = Math.min(left, Number(lot.remaining));
        await conn.execute('UPDATE point_lots SET remaining = ? WHERE id = ?', [Number(lot.remaining) - taken, lot.id]);
        await pointsRow(Number(lot.id), 'redeem', -taken);
        if ((left -= taken) === 0) break;
      }
      const [topups] = await conn.execute<Row[]>('SELECT * FROM wallet_topups WHERE member_id = ? AND (principal_remaining > 0 OR bonus_remaining > 0) ORDER BY id', [memberId]);
      const fromPrincipal = takeInOrder(topups.map((t) => Number(t.principal_remaining)), split.principal);
      const fromBonus = takeInOrder(topups.map((t) => Number(t.bonus_remaining)), split.bonus);
      for (const [i, topup] of topups.entries()) {
        if (fromPrincipal[i] === 0 && fromBonus[i] === 0) continue;
        const remaining = [Number(topup.principal_remaining) - fromPrincipal[i], Number(topup.bonus_remaining) - fromBonus[i]];
        await conn.execute('UPDATE wallet_topups SET principal_remaining = ?, bonus_remaining = ?, updated_at = ? WHERE id = ?', [...remaining, at, topup.id]);
        principal -= fromPrincipal[i];
        bonus -= fromBonus[i];
        await conn.execute(
          'INSERT INTO wallet_ledger (member_id, topup_id, topup_store_id, store_id, kind, source_type, source_id, principal_delta, bonus_delta, principal_after, bonus_after, operator_id, reason, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,NULL,?)',
          [memberId, topup.id, topup.store_id, storeId, 'spend', 'order', orderId, -fromPrincipal[i], -fromBonus[i], principal, bonus, cashier.id, at],
        );
      }
      const [lot] = await conn.execute<ResultSetHeader>(
        'INSERT INTO point_lots (member_id, source_type, source_id, amount, remaining, earned_at, expires_at, created_at) VALUES (?,?,?,?,?,?,?,?)',
        [memberId, 'order', orderId, earned, earned, at, expiryFor(rules.points, at, options.timeZone), at],
      );
      await pointsRow(lot.insertId, 'earn', earned);
      await conn.execute(
        'UPDATE members SET points_balance = ?, wallet_principal = ?, wallet_bonus = ?, stored_value_balance = ?, total_spent = ?, last_visit_at = ?, updated_at = ? WHERE id = ?',
        [points, principal, bonus, principal + bonus, Number(member.total_spent) + amount, at, at, memberId],
      );
      await conn.execute(
        `INSERT INTO order_items (order_id, line_no, sku, name, quantity, unit_price, amount, discount, payable) VALUES ${lines.map(() => '(?,?,?,?,?,?,?,0,?)').join(',')}`,
        lines.flatMap((line, i) => [orderId, i + 1, line.sku, line.name, line.quantity, line.unitPrice, line.quantity * line.unitPrice, line.quantity * line.unitPrice]),
      );
      await conn.execute('INSERT INTO order_payments (order_id, method, amount, points, principal, bonus) VALUES (?,?,?,?,0,0),(?,?,?,0,?,?),(?,?,?,0,0,0)', [
        ...[orderId, 'points', pay.points, redeem],
        ...[orderId, 'wallet', pay.wallet, split.principal, split.bonus],
        ...[orderId, 'cash', pay.cash],
      ]);
      const audit = {
        uid: crypto.randomBytes(16).toString('hex'),
        occurredAt: at,
        actorType: 'user',
        actorId: cashier.id,
        actorName: cashier.username,
        actorRoles: 'cashier',
        storeId,
        ip: '127.0.0.1',
        userAgent: null,
        requestId: crypto.randomUUID(),
        action: 'order.create',
        entityType: 'order',
        entityId: String(orderId),
        result: 'success',
        summary: `${no} ¥${(amount / 100).toFixed(2)} points:${pay.points} wallet:${pay.wallet} cash:${pay.cash} member ${memberId}`,
        diff: null,
      };
      await conn.execute(
        'INSERT INTO audit_logs (uid, occurred_at, actor_type, actor_id, actor_name, actor_roles, store_id, ip, user_agent, request_id, action, entity_type, entity_id, result, summary, diff, mac) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)',
        [...Object.values(audit), recordMac(options.auditKey, audit)],
      );
      const payload = { orderNo: no, storeId, payable: amount, pointsUsed: redeem, pointsEarned: earned, occurredAt: at.toISOString() };
      await conn.execute('INSERT INTO domain_events (type, entity_type, entity_id, member_id, payload, occurred_at) VALUES (?,?,?,?,?,?)', [
        'order.completed', 'order', String(orderId), memberId, JSON.stringify(payload), at,
      ]);
      const response = JSON.stringify({ ...options.response, id: orderId, orderNo: no, memberId, pointsEarned: earned, occurredAt: at.toISOString() });
      await conn.execute('UPDATE idempotency_keys SET status_code = 200, response = ? WHERE id = ?', [response, key.insertId]);
      await conn.commit();
      return null;
    } catch (error) {
      await conn.rollback();
      throw error;
    } finally {
      conn.release();
    }
  }

  return { checkout, end: () => pool.end() };
}
