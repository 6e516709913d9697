import { Op, type Sequelize, type Transaction, type WhereOptions } from 'sequelize';
import { startOfBusinessDay, startOfNextBusinessDay } from '../../platform/time/business-day.js';
import { columnsOf, execute, insertRow, insertRows } from '../../platform/db/raw-sql.js';
import { uniqueConflictOn } from '../../platform/db/unique-conflict.js';
import { AppError } from '../../platform/errors/app-error.js';
import { yuanText } from '../../platform/money/yuan-text.js';
import { invalidFields } from '../../platform/http/validation.js';
import type { Idempotency } from '../../platform/http/idempotency.js';
import type { Principal } from '../../platform/http/route.js';
import type { FieldRegistry } from '../access/field-policy/index.js';
import { fieldGuardFor } from '../access/guards.js';
import type { AuditService } from '../audit/service.js';
import type { DomainEvents } from '../events/outbox.js';
import type { MemberRecord } from '../members/models.js';
import { summaryOf, type MemberService } from '../members/service.js';
import type { PointsLedger } from '../points/ledger.js';
import { pointsToEarn } from '../points/settings.js';
import type { StaffService } from '../staff/service.js';
import type { StoreService } from '../stores/service.js';
import type { WalletLedger } from '../wallet/ledger.js';
import { earnableFen, planCheckout, pointsExpiry, redemptionLimits, type CheckoutPlan, type PlanRules } from './checkout.js';
import type { OrderModels, OrderRecord } from './models.js';
import type { DocumentNumbers } from './order-numbers.js';
import { ORDER_ALWAYS_VISIBLE, orderSummaryView, orderView, type OrderFields, type OrderNames, type OrderParts, type ShownOrder, type ViewParts } from './order-view.js';
import type { PricingPipeline } from './pricing.js';
import { discountAmount, type PlacedOrder } from './pricing.js';
import type { OrderInput, OrderListQuery } from './schemas.js';

export interface OrderServiceDeps {
  sequelize: Sequelize;
  models: OrderModels;
  members: MemberService;
  stores: StoreService;
  staff: StaffService;
  audit: AuditService;
  events: DomainEvents;
  registry: FieldRegistry;
  idempotency: Idempotency;
  pricing: PricingPipeline;
  pointsLedger: PointsLedger;
  walletLedger: WalletLedger;
  /** Settings as they stand, read before a checkout's transaction opens. */
  rules: () => Promise<Omit<PlanRules, 'timeZone'>>;
  /** Checks an API caller's payment PIN in a short transaction of its own (failures must stick). */
  verifyPin: (principal: Principal, memberId: number, pin: string | undefined) => Promise<void>;
  orderNumbers: DocumentNumbers;
  timeZone: string;
}

/**
 * Orders: the checkout (preview and apply), reading orders. Refunds are in refunds.ts.
 * A checkout is one transaction: the member row is locked first, so two cashiers
 * charging one card take turns and balances never go below zero.
 */
export class OrderService {
  constructor(private readonly deps: OrderServiceDeps) {}

  async preview(principal: Principal, input: OrderInput) {
    await this.deps.stores.get(principal, input.storeId);
    const rules = await this.rulesNow();
    const member = input.memberId ? await this.deps.members.findInScope(principal, input.memberId) : null;
    const plan = await planCheckout(this.deps.pricing, rules, input, { principal, member, mode: 'preview' });
    // Only what the counter needs; no contact data, so a preview per keystroke reads nothing sensitive.
    const shown = member
      ? (await this.deps.members.guard(principal)).project({ id: member.id, cardNo: member.cardNo, name: member.name, status: member.status, points: member.pointsBalance, wallet: { principal: member.walletPrincipal, bonus: member.walletBonus } })
      : null;
    return {
      amount: plan.amount,
      discount: plan.discount,
      payable: plan.payable,
      steps: plan.discounts.map((d) => ({ step: d.step, reference: d.reference, label: d.label, amount: discountAmount(d) })),
      items: plan.lines,
      payments: plan.payments,
      paid: plan.paid,
      due: plan.payable - plan.paid,
      pointsEarned: plan.pointsEarned,
      member: member && shown ? { ...shown, id: member.id, pinSet: Boolean(member.walletPinHash) } : null,
      redemption: redemptionLimits(rules.points, plan.payable, member),
    };
  }

  async place(principal: Principal, input: OrderInput, idempotencyKey: string | undefined): Promise<{ value: ShownOrder; replayed: boolean }> {
    const store = await this.deps.stores.get(principal, input.storeId);
    const rules = await this.rulesNow();
    if (input.memberId && principal.kind === 'api_key' && input.payments.some((p) => p.method === 'wallet')) {
      await this.deps.verifyPin(principal, input.memberId, input.paymentPin);
    }
    if (input.salespersonId && (await this.deps.staff.displayNames([input.salespersonId])).size === 0) {
      throw invalidFields([{ path: 'salespersonId', code: 'not_found', zh: '没有这位员工', en: 'No such staff member' }]);
    }
    const occurredAt = input.occurredAt ?? new Date();
    const orderNo = await this.deps.orderNumbers.take(occurredAt);
    // Read before the transaction: inside it, a read on a second pooled connection can
    // wait for a connection every other checkout holds. The member's name comes from the
    // row the transaction locks, so the member is not read twice.
    const [names, memberGuard] = await Promise.all([
      this.prefetchNames(principal, [], [], new Map([[store.id, store.name]])),
      input.memberId ? this.deps.members.guard(principal) : null,
    ]);
    // Only a signed-in user is the order's cashier; a session carries its name already.
    if (principal.kind === 'user') {
      if (principal.displayName !== undefined) names.staff.set(principal.userId, principal.displayName);
      else names.staff = await this.deps.staff.displayNames([principal.userId]);
    }
    const { paymentPin: _pin, ...request } = input;
    try {
      return await this.deps.idempotency.run({ principal, key: idempotencyKey, endpoint: 'POST /api/v1/orders', request }, async (transaction) => {
        const member = input.memberId ? await this.deps.members.lockForBalance(principal, input.memberId, transaction) : null;
        if (member && memberGuard) names.members.set(member.id, summaryOf(memberGuard, member));
        const plan = await planCheckout(this.deps.pricing, rules, input, { principal, member, mode: 'apply', transaction });
        const { order, parts } = await this.apply(principal, input, plan, member, { orderNo, occurredAt, rules, transaction });
        return this.present(principal, order, parts, names);
      });
    } catch (error) {
      if (uniqueConflictOn(error, 'external_no', 'orders_source_external_no')) throw await this.externalConflict(principal, input);
      throw error;
    }
  }

  /**
   * Writes the order, its ledger moves, lines and payments. The order's own rows go in as
   * plain INSERTs (columnsOf), each table in one statement; the view is built from what
   * was written, so nothing is read back.
   */
  private async apply(
    principal: Principal,
    input: OrderInput,
    plan: CheckoutPlan,
    member: MemberRecord | null,
    context: { orderNo: string; occurredAt: Date; rules: PlanRules; transaction: Transaction },
  ): Promise<{ order: OrderFields; parts: ViewParts }> {
    const { sequelize, pointsLedger, walletLedger } = this.deps;
    const { transaction } = context;
    const operatorId = principal.kind === 'user' ? principal.userId : null;
    const now = new Date();
    const fields = {
      orderNo: context.orderNo,
      source: input.source ?? null,
      externalNo: input.externalNo ?? null,
      memberId: member?.id ?? null,
      storeId: input.storeId,
      channel: input.channel ?? null,
      cashierId: operatorId,
      apiKeyId: principal.apiKeyId,
      salespersonId: input.salespersonId ?? null,
      occurredAt: context.occurredAt,
      amount: plan.amount,
      discount: plan.discount,
      payable: plan.payable,
      pointsUsed: plan.pointsUsed,
      pointsEarned: plan.pointsEarned,
      refundedAmount: 0,
      status: 'completed' as const,
      note: input.note ?? null,
    };
    const order: OrderFields = { id: await insertRow(sequelize, 'orders', columnsOf({ ...fields, createdAt: now, updatedAt: now }), transaction), ...fields };
    const move = (kind: string) => ({ kind, sourceType: 'order', sourceId: order.id, storeId: input.storeId, operatorId, at: context.occurredAt });
    let pointsEarned = plan.pointsEarned;
    if (member) {
      for (const payment of plan.payments) {
        if (payment.method === 'points') await pointsLedger.spend(member, payment.points, move('redeem'), transaction);
        if (payment.method === 'wallet') {
          const spent = await walletLedger.spend(member, payment.amount, context.rules.wallet.spendOrder, move('spend'), transaction);
          payment.principal = spent.reduce((a, p) => a + p.principal, 0);
          payment.bonus = spent.reduce((a, p) => a + p.bonus, 0);
        }
      }
      // The plan split stored value by the same rule the ledger follows; should they ever differ, the ledger's split is the truth.
      pointsEarned = pointsToEarn(context.rules.points, earnableFen(context.rules.points, plan.payments), plan.multiplier);
      if (pointsEarned !== order.pointsEarned) {
        await execute(sequelize, 'UPDATE orders SET points_earned = $1, updated_at = $2 WHERE id = $3', [pointsEarned, new Date(), order.id], transaction);
        order.pointsEarned = pointsEarned;
      }
      if (pointsEarned > 0) await pointsLedger.earn(member, pointsEarned, pointsExpiry(context.rules, context.occurredAt), move('earn'), transaction);
      member.totalSpent += plan.payable;
      if (!member.lastVisitAt || member.lastVisitAt < context.occurredAt) member.lastVisitAt = context.occurredAt;
      await member.save({ transaction });
    }
    const items = plan.lines.map((line) => ({ lineNo: line.lineNo, sku: line.sku, name: line.name, category: line.category, quantity: line.quantity, unitPrice: line.unitPrice, amount: line.amount, discount: line.discount, payable: line.payable, refundedQuantity: 0, refundedAmount: 0 }));
    const payments = plan.payments.map((p) => ({ method: p.method, amount: p.amount, points: p.points, principal: p.principal, bonus: p.bonus, refundedAmount: 0, refundedPoints: 0 }));
    const discounts = plan.discounts.map((d) => ({ step: d.step, reference: d.reference, label: d.label, amount: discountAmount(d) }));
    await insertRows(sequelize, 'order_items', items.map((item) => columnsOf({ orderId: order.id, ...item })), transaction);
    await insertRows(sequelize, 'order_payments', payments.map((payment) => columnsOf({ orderId: order.id, ...payment })), transaction);
    await insertRows(sequelize, 'order_discounts', discounts.map((d, i) => columnsOf({ orderId: order.id, ...d, lines: JSON.stringify(plan.discounts[i].lines) })), transaction);
    const placed: PlacedOrder = { id: order.id, orderNo: order.orderNo, storeId: order.storeId, occurredAt: context.occurredAt, payable: order.payable, pointsEarned: order.pointsEarned, member, operatorId };
    for (const step of this.deps.pricing.registered()) await step.placed?.(placed, plan.discounts.filter((d) => d.step === step.name), transaction);
    await this.deps.audit.record(
      {
        action: 'order.create',
        entityType: 'order',
        entityId: order.id,
        storeId: order.storeId,
        summary: `收银 ${order.orderNo} 应付 ${yuanText(order.payable)}（${plan.payments.map((p) => `${PAYMENT_LABELS[p.method]} ${yuanText(p.amount)}`).join('，')}）${discounts.length > 0 ? `，优惠 ${discounts.map((d) => `${d.label} ${yuanText(d.amount)}`).join('，')}` : ''}${member ? `，会员 ${member.cardNo ?? member.id}` : '，散客'}`,
      },
      { transaction },
    );
    await this.deps.events.emit(
      {
        type: 'order.completed',
        entityType: 'order',
        entityId: order.id,
        memberId: member?.id ?? null,
        payload: { orderNo: order.orderNo, storeId: order.storeId, payable: order.payable, pointsUsed: order.pointsUsed, pointsEarned, occurredAt: order.occurredAt.toISOString() },
      },
      transaction,
    );
    return { order, parts: { items, payments, discounts, refunds: [] } };
  }

  /** Order numbers by id, for other modules' logs that name the order (coupon redemptions). */
  async numbersOf(ids: readonly number[]): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.deps.models.Order.findAll({ where: { id: [...ids] }, attributes: ['id', 'orderNo'] });
    return new Map(rows.map((order) => [order.id, order.orderNo]));
  }

  async get(principal: Principal, id: number): Promise<ShownOrder> {
    const order = await this.findInScope(principal, id);
    const parts = await this.partsOf(order.id);
    return this.present(principal, order, parts, await this.names(principal, [order], parts));
  }

  async list(principal: Principal, query: OrderListQuery): Promise<{ items: ShownOrder[]; nextCursor: string | null }> {
    const and: WhereOptions[] = [];
    if (principal.storeScope !== null) and.push({ storeId: principal.storeScope });
    if (query.storeId) and.push({ storeId: query.storeId });
    if (query.memberId) and.push({ memberId: query.memberId });
    if (query.status) and.push({ status: query.status });
    if (query.from) and.push({ occurredAt: { [Op.gte]: startOfBusinessDay(query.from, this.deps.timeZone) } });
    if (query.to) and.push({ occurredAt: { [Op.lt]: startOfNextBusinessDay(query.to, this.deps.timeZone) } });
    if (query.keyword) and.push({ [Op.or]: [{ orderNo: query.keyword }, { externalNo: query.keyword }] });
    const cursor = decodeCursor(query.cursor);
    if (cursor) {
      and.push({ [Op.or]: [{ occurredAt: { [Op.lt]: cursor.at } }, { occurredAt: cursor.at, id: { [Op.lt]: cursor.id } }] });
    }
    const rows = await this.deps.models.Order.findAll({
      where: { [Op.and]: and },
      order: [
        ['occurredAt', 'DESC'],
        ['id', 'DESC'],
      ],
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const names = await this.names(principal, page);
    const guard = fieldGuardFor(this.deps.registry, principal, 'order', ORDER_ALWAYS_VISIBLE);
    const last = page.at(-1);
    return {
      items: page.map((order) => guard.project(orderSummaryView(order, names)) as ShownOrder),
      nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
    };
  }

  /** An order within the caller's stores; another store's order reads exactly like a missing one. */
  async findInScope(principal: Principal, id: number, transaction?: Transaction): Promise<OrderRecord> {
    const order = await this.deps.models.Order.findByPk(id, { transaction, lock: transaction ? transaction.LOCK.UPDATE : undefined });
    if (!order || (principal.storeScope !== null && !principal.storeScope.includes(order.storeId))) {
      throw new AppError('ORDER_NOT_FOUND', { params: { id } });
    }
    return order;
  }

  async partsOf(orderId: number, transaction?: Transaction): Promise<OrderParts> {
    const { OrderItem, OrderPayment, OrderDiscount, OrderRefund } = this.deps.models;
    const where = { orderId };
    const [items, payments, discounts, refunds] = await Promise.all([
      OrderItem.findAll({ where, order: [['lineNo', 'ASC']], transaction }),
      OrderPayment.findAll({ where, order: [['id', 'ASC']], transaction }),
      OrderDiscount.findAll({ where, order: [['id', 'ASC']], transaction }),
      OrderRefund.findAll({ where, order: [['id', 'ASC']], transaction }),
    ]);
    return { items, payments, discounts, refunds };
  }

  /** The order as this caller may see it: amounts and lines through the order field policy. Reads nothing. */
  present(principal: Principal, order: OrderFields, parts: ViewParts, names: OrderNames): ShownOrder {
    return fieldGuardFor(this.deps.registry, principal, 'order', ORDER_ALWAYS_VISIBLE).project(orderView(order, parts, names)) as ShownOrder;
  }

  /** Names of the stores, staff and members orders point at; call outside a transaction. */
  async prefetchNames(principal: Principal, memberIds: number[], staffIds: number[], stores?: Map<number, string>): Promise<OrderNames> {
    const [staff, members, storeNames] = await Promise.all([
      this.deps.staff.displayNames(staffIds),
      this.deps.members.summaries(principal, memberIds),
      stores ?? this.storeNames(principal),
    ]);
    return { staff, members, stores: storeNames };
  }

  private names(principal: Principal, orders: OrderRecord[], parts?: OrderParts): Promise<OrderNames> {
    const staffIds = [...orders.map((o) => o.cashierId ?? 0), ...(parts?.refunds.map((r) => r.operatorId ?? 0) ?? [])];
    return this.prefetchNames(principal, orders.flatMap((o) => (o.memberId ? [o.memberId] : [])), staffIds);
  }

  private async storeNames(principal: Principal): Promise<Map<number, string>> {
    const stores = await this.deps.stores.list(principal, {});
    return new Map(stores.map((store) => [store.id, store.name]));
  }

  private async rulesNow(): Promise<PlanRules> {
    return { ...(await this.deps.rules()), timeZone: this.deps.timeZone };
  }

  private async externalConflict(principal: Principal, input: OrderInput): Promise<AppError> {
    const existing = await this.deps.models.Order.findOne({ where: { source: input.source ?? null, externalNo: input.externalNo ?? null } });
    const visible = existing && (principal.storeScope === null || principal.storeScope.includes(existing.storeId));
    return new AppError('ORDER_EXTERNAL_NO_TAKEN', {
      params: { source: input.source ?? '', externalNo: input.externalNo ?? '', orderNo: visible ? existing.orderNo : '-' },
    });
  }
}

/** How the audit log names a payment method (it is read by people, in Chinese first). */
const PAYMENT_LABELS: Record<string, string> = { wallet: '储值', points: '积分', cash: '现金', wechat: '微信', alipay: '支付宝', card: '银行卡', other: '其他' };


function encodeCursor(order: OrderRecord): string {
  return Buffer.from(`${order.occurredAt.getTime()}:${order.id}`).toString('base64url');
}

function decodeCursor(cursor: string | undefined): { at: Date; id: number } | null {
  if (!cursor) return null;
  const match = /^(\d+):(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw new AppError('BAD_REQUEST', { params: { reason: 'cursor' } });
  return { at: new Date(Number(match[1])), id: Number(match[2]) };
}
