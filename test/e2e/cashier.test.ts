import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { ARTIFACTS, consoleSession } from '../support/console-session.js';
import type { ServerProcess } from '../support/server-process.js';

const BOOTSTRAP_PASSWORD = 'Start#Cashier2026';
const ADMIN_PASSWORD = 'Huiji#Cashier2026';

interface Balances {
  points: number;
  wallet: { principal: number; bonus: number };
}

interface OrderView {
  id: number;
  orderNo: string;
  status: string;
  payable: number;
  refundedAmount: number;
  pointsEarned: number;
  pointsUsed: number;
  items: { lineNo: number; name: string; quantity: number; refundedQuantity: number; payable: number }[];
  payments: { method: string; amount: number; points: number; principal: number; bonus: number; refundedAmount: number }[];
  refunds: { amount: number; payments: { method: string; amount: number; points: number }[]; pointsReturned: number; pointsReversed: number }[];
}

/**
 * 收银台 end to end: a store, two members sharing the last four phone digits, one of them
 * with a ¥200 top-up (+¥20 bonus) and 1,000 points. At the counter the cashier finds her by
 * the last four digits, rings up two item lines (¥100), lets points pay ¥5 and stored value
 * ¥50, takes the rest in cash, confirms with F9 and gets the receipt; then on the order's page
 * refunds one line. The API says what the balances and the order became.
 */
describe('the cashier in the console', function () {
  this.timeout(120_000);
  let server: ServerProcess;
  let page: Page;
  let storeId = 0;
  let memberId = 0;
  let seeded: Balances;
  let afterSale: Balances;
  let order: OrderView;
  const session = consoleSession('cashier', BOOTSTRAP_PASSWORD);
  const { byTest, settled, api } = session;
  before(() => ({ server, page } = session));

  const shot = async (name: string) => {
    await settled();
    await page.screenshot({ path: path.join(ARTIFACTS, `cashier-${name}.png`), fullPage: true, animations: 'disabled' });
  };

  async function balances(): Promise<Balances> {
    const member = await api<Balances>('GET', `/api/v1/members/${memberId}`);
    return { points: member.points, wallet: member.wallet };
  }

  it('seeds a store and two members ending in 5678, one with stored value and points', async () => {
    await session.signIn(ADMIN_PASSWORD);

    storeId = (await api<{ id: number }>('POST', '/api/v1/stores', { code: 'SH101', name: '静安旗舰店' })).id;
    await api('POST', '/api/v1/members', { name: '李思远', phone: '13900005678', homeStoreId: storeId });
    memberId = (await api<{ id: number }>('POST', '/api/v1/members', { name: '王芳', phone: '13700005678', homeStoreId: storeId })).id;
    const plan = await api<{ id: number }>('POST', '/api/v1/wallet/plans', { name: '充 200 送 20', amount: 20_000, bonus: 2_000, points: 0 });
    await api('POST', `/api/v1/members/${memberId}/wallet/topups`, { amount: 20_000, planId: plan.id, payMethod: 'cash', storeId }, { 'Idempotency-Key': randomUUID() });
    await api('POST', `/api/v1/members/${memberId}/points/adjustments`, { delta: 1_000, reason: '开业赠送' });
    seeded = await balances();
    expect(seeded).to.deep.equal({ points: 1_000, wallet: { principal: 20_000, bonus: 2_000 } });
  });

  it('finds the member by the last four digits on 收银台, picking her from the two matches', async () => {
    await byTest('menu-cashier').click();
    await page.waitForURL(/\/cashier$/);
    const search = byTest('cashier-member-search');
    await search.waitFor();
    // Focus starts in the search: typing goes straight in.
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-test') === 'cashier-member-search');
    // With more than one store the counter asks which; ours is the one just made.
    if (await byTest('cashier-store').isVisible()) {
      await byTest('cashier-store').click();
      await page.locator('.el-select-dropdown__item:visible', { hasText: '静安旗舰店' }).click();
      await search.focus();
    }
    await page.keyboard.type('5678');
    await page.keyboard.press('Enter');
    const matches = byTest('cashier-member-matches');
    await matches.waitFor();
    expect(await matches.innerText()).to.contain('找到 2 位会员').and.to.contain('王芳').and.to.contain('李思远');
    await shot('01-matches');
    await byTest(`cashier-member-match-${memberId}`).click();

    const card = byTest('cashier-member-card');
    await card.waitFor();
    expect(await byTest('cashier-member-name').innerText()).to.equal('王芳');
    // The administrator reads phones in clear; a cashier's card shows them masked (the server decides).
    expect(await card.innerText()).to.contain('5678');
    expect(await byTest('cashier-member-points').innerText()).to.equal('1,000');
    expect(await byTest('cashier-member-wallet').innerText()).to.equal('¥220.00');
    expect(await card.innerText()).to.contain('本金 ¥200.00 + 赠送 ¥20.00');
  });

  it('rings up two item lines and shows the preview with each payment line', async () => {
    await byTest('cashier-mode-items').click();
    await byTest('cashier-line-sku-0').fill('A001');
    await byTest('cashier-line-name-0').fill('洗发水');
    await page.locator('[data-test="cashier-line-qty-0"] input').fill('2');
    await page.locator('[data-test="cashier-line-qty-0"] input').press('Tab');
    await byTest('cashier-line-price-0').fill('30');
    await byTest('cashier-line-price-0').press('Enter');
    // Enter on the last price adds a line and moves to its code.
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-test') === 'cashier-line-sku-1');
    await page.keyboard.type('B002');
    await page.keyboard.press('Enter');
    await page.keyboard.type('护发素');
    await page.keyboard.press('Enter');
    await page.keyboard.type('40');

    await byTest('cashier-preview').waitFor();
    await page.locator('[data-test="cashier-preview-payable"]', { hasText: '¥100.00' }).waitFor();
    expect(await byTest('cashier-preview-amount').innerText()).to.equal('¥100.00');
    // Points may pay at most half the payable (the default rule), and she has 1,000 points = ¥10.
    expect(await byTest('cashier-pay-points-hint').innerText()).to.contain('最多可抵 ¥10.00');

    await byTest('cashier-pay-points').fill('5');
    await byTest('cashier-pay-wallet').fill('50');
    await page.locator('[data-test="cashier-preview-due"]', { hasText: '¥45.00' }).waitFor();
    await byTest('cashier-preview-pay-points').waitFor();
    await byTest('cashier-preview-pay-wallet').waitFor();
    expect(await byTest('cashier-preview-pay-points').innerText()).to.contain('积分').and.to.contain('500 积分').and.to.contain('¥5.00');
    expect(await byTest('cashier-preview-pay-wallet').innerText()).to.contain('储值').and.to.contain('¥50.00');
    await page.locator('[data-test="cashier-preview-pay-cash"]', { hasText: '¥45.00' }).waitFor();
    // Cash earns points and points do not: the preview counts what the checkout will (¥45 cash + ¥45.45 principal).
    await page.locator('[data-test="cashier-preview-earn"]', { hasText: '90' }).waitFor();
    expect(await byTest('cashier-confirm').innerText()).to.contain('F9');
    await shot('02-preview');
  });

  it('says next to the input when stored value is asked for more than she has', async () => {
    await byTest('cashier-pay-wallet').fill('300');
    const error = page.locator('.el-form-item', { has: byTest('cashier-pay-wallet') }).locator('.el-form-item__error');
    await error.waitFor();
    expect(await error.innerText()).to.match(/储值|¥220\.00/);
    await shot('03-wallet-error');
    await byTest('cashier-pay-wallet').fill('50');
    await page.locator('[data-test="cashier-preview-due"]', { hasText: '¥45.00' }).waitFor();
    await error.waitFor({ state: 'detached' });
  });

  it('checks out with F9: points, stored value and the rest in cash, and shows the receipt', async () => {
    const placed = page.waitForResponse((res) => new URL(res.url()).pathname === '/api/v1/orders' && res.request().method() === 'POST');
    await page.keyboard.press('F9');
    const response = await placed;
    expect(response.status()).to.equal(201);
    expect(response.request().headers()['idempotency-key']).to.match(/^[0-9a-f-]{36}$/);
    const sent = response.request().postDataJSON() as { payments: { method: string; amount: number }[]; items: unknown[] };
    expect(sent.payments).to.deep.equal([
      { method: 'points', amount: 500 },
      { method: 'wallet', amount: 5_000 },
      { method: 'cash', amount: 4_500 },
    ]);
    expect(sent.items).to.have.length(2);

    const done = byTest('cashier-done');
    await done.waitFor();
    const receipt = done.locator('[data-test="cashier-receipt"]');
    const text = await receipt.innerText();
    expect(text).to.contain('静安旗舰店').and.to.contain('洗发水').and.to.contain('护发素').and.to.contain('现金').and.to.contain('¥100.00');
    const orderNo = (await done.locator('[data-test="cashier-receipt-no"]').innerText()).trim();
    expect(orderNo).to.not.equal('');
    // 下一位 has the focus, so Enter would start the next customer.
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-test') === 'cashier-next');
    await shot('04-receipt');

    // In print only the 80 mm receipt is on the page.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#app').isVisible()).to.equal(false);
    expect(await page.locator('.receipt-print').isVisible()).to.equal(true);
    await page.screenshot({ path: path.join(ARTIFACTS, 'cashier-05-print.png'), fullPage: true });
    await page.emulateMedia({ media: 'screen' });
    // Hiding the page for print took the focus away; a real print dialog hands it back.
    await byTest('cashier-next').focus();

    afterSale = await balances();
    const orders = await api<{ items: { id: number; orderNo: string }[] }>('GET', `/api/v1/orders?memberId=${memberId}`);
    expect(orders.items.map((o) => o.orderNo)).to.deep.equal([orderNo]);
    order = await api<OrderView>('GET', `/api/v1/orders/${orders.items[0].id}`);
    expect(order.status).to.equal('completed');
    expect(order.payable).to.equal(10_000);
    expect(order.pointsUsed).to.equal(500);
    const wallet = order.payments.find((p) => p.method === 'wallet')!;
    expect(wallet.principal + wallet.bonus).to.equal(5_000);
    expect(afterSale.wallet).to.deep.equal({ principal: 20_000 - wallet.principal, bonus: 2_000 - wallet.bonus });
    expect(afterSale.points).to.equal(1_000 - 500 + order.pointsEarned);
    expect(order.pointsEarned).to.be.greaterThan(0);
    if (await done.locator('[data-test="cashier-receipt-points"]').count()) {
      expect(await done.locator('[data-test="cashier-receipt-points"]').innerText()).to.equal(afterSale.points.toLocaleString('en-US'));
    }

    await page.keyboard.press('Enter');
    await done.waitFor({ state: 'hidden' });
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-test') === 'cashier-member-search');
  });

  it('refunds one line on the order page, and the balances and the order follow', async () => {
    await page.goto(`${server.url}/orders`);
    const row = byTest(`order-row-${order.orderNo}`);
    await row.waitFor();
    expect(await byTest(`order-status-${order.orderNo}`).innerText()).to.equal('已完成');
    await shot('06-order-list');
    await row.click();
    await page.waitForURL(new RegExp(`/orders/${order.id}$`));
    await byTest('order-lines').getByText('护发素').waitFor();
    await shot('07-order-detail');

    await byTest('order-refund-open').click();
    const dialog = byTest('order-refund');
    await dialog.waitFor();
    await byTest('order-refund-mode-lines').click();
    const line = order.items.find((item) => item.name === '护发素')!;
    await page.locator(`[data-test="order-refund-qty-${line.lineNo}"] input`).fill('1');
    await page.locator(`[data-test="order-refund-qty-${line.lineNo}"] input`).press('Tab');
    await byTest('order-refund-estimate').getByText('¥40.00').waitFor();
    await byTest('order-refund-reason').fill('顾客退货');
    await shot('08-refund-dialog');
    await byTest('order-refund-submit').click();
    const box = page.locator('.el-message-box:visible');
    await box.waitFor();
    expect(await box.innerText()).to.contain(order.orderNo).and.to.contain('¥40.00');
    const refunded = page.waitForResponse((res) => res.url().endsWith(`/api/v1/orders/${order.id}/refunds`));
    await page.locator('.confirm-order-refund').click();
    const refundResponse = await refunded;
    expect(refundResponse.status()).to.equal(201);
    expect(refundResponse.request().headers()['idempotency-key']).to.match(/^[0-9a-f-]{36}$/);
    await dialog.waitFor({ state: 'hidden' });
    await page.locator('[data-test="order-status"]', { hasText: '部分退款' }).waitFor();
    expect(await byTest(`order-line-refunded-${line.lineNo}`).innerText()).to.equal('1');
    expect(await byTest('order-refunds').innerText()).to.contain('顾客退货');
    await shot('09-refunded');
    await byTest('order-refunds').screenshot({ path: path.join(ARTIFACTS, 'cashier-09b-refund-history.png'), animations: 'disabled' });

    const after = await api<OrderView>('GET', `/api/v1/orders/${order.id}`);
    expect(after.status).to.equal('partially_refunded');
    expect(after.refundedAmount).to.equal(line.payable);
    expect(after.items.find((item) => item.lineNo === line.lineNo)!.refundedQuantity).to.equal(1);
    expect(after.refunds).to.have.length(1);
    const refund = after.refunds[0];
    expect(refund.amount).to.equal(4_000);
    const back = (method: string) => refund.payments.filter((p) => p.method === method).reduce((sum, p) => sum + p.amount, 0);
    expect(back('points') + back('wallet') + back('cash')).to.equal(4_000);

    const now = await balances();
    expect(now.wallet.principal + now.wallet.bonus).to.equal(afterSale.wallet.principal + afterSale.wallet.bonus + back('wallet'));
    expect(now.points).to.equal(afterSale.points + refund.pointsReturned - refund.pointsReversed);
  });

  it('filters 订单 by status, kept in the URL, with an empty state that says so', async () => {
    await page.locator('.el-breadcrumb').getByText('订单', { exact: true }).click();
    await page.waitForURL(/\/orders$/);
    const pick = async (status: string) => {
      await byTest('order-filter-status').click();
      await page.locator('.el-select-dropdown__item:visible', { hasText: status }).click();
      await byTest('order-search').click();
    };
    await pick('部分退款');
    await page.waitForURL(/status=partially_refunded/);
    await byTest(`order-row-${order.orderNo}`).waitFor();
    expect(await byTest(`order-status-${order.orderNo}`).innerText()).to.equal('部分退款');
    await pick('已退款');
    await page.waitForURL(/status=refunded/);
    await byTest('order-empty').getByText('没有符合条件的订单').waitFor();
    await shot('09c-order-filter-empty');
    await page.goBack();
    await page.waitForURL(/status=partially_refunded/);
    await byTest(`order-row-${order.orderNo}`).click();
    await page.waitForURL(new RegExp(`/orders/${order.id}$`));
  });

  it('shows the sale and the refund on the member’s 360 page: orders, points and stored value', async () => {
    await byTest('order-member').click();
    await page.waitForURL(new RegExp(`/members/${memberId}`));
    const now = await balances();
    await byTest('member-header-wallet').waitFor();
    expect(await byTest('member-header-wallet').innerText()).to.equal(formatYuan(now.wallet.principal + now.wallet.bonus));
    expect(await byTest('member-header-points').innerText()).to.equal(now.points.toLocaleString('en-US'));

    await page.locator('.el-tabs__item', { hasText: '消费记录' }).click();
    await byTest(`member-order-${order.orderNo}`).waitFor();
    await shot('10-member-orders');

    await page.locator('.el-tabs__item', { hasText: '积分明细' }).click();
    const points = byTest('member-points-ledger');
    await points.locator('.el-tag', { hasText: '手工调整' }).waitFor();
    const pointsText = await points.innerText();
    expect(pointsText).to.contain('抵扣消费').and.to.contain('-500').and.to.contain('+1,000').and.to.contain('退款退回');
    await shot('11-member-points');

    await page.locator('.el-tabs__item', { hasText: '储值明细' }).click();
    const wallet = byTest('member-wallet-ledger');
    await wallet.getByText('充值').first().waitFor();
    expect(await wallet.innerText()).to.contain('消费').and.to.contain('+¥200.00').and.to.contain('+¥20.00');
    await shot('12-member-wallet');
  });

  it('reads in English, and a walk-in pays an amount in cash with Enter alone', async () => {
    await byTest('lang-switch').click();
    await byTest('lang-en').click();
    await byTest('menu-cashier').click();
    await page.waitForURL(/\/cashier$/);
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-test') === 'cashier-member-search');
    await page.keyboard.press('F4');
    await byTest('cashier-walk-in-card').getByText('Walk-in customer').waitFor();
    await byTest('cashier-mode-amount').click();
    await byTest('cashier-amount').fill('12.5');
    await page.locator('[data-test="cashier-preview-due"]', { hasText: '¥12.50' }).waitFor();
    expect(await byTest('cashier-confirm').innerText()).to.contain('Collect ¥12.50');
    await shot('13-walk-in-en');
    await byTest('cashier-amount').press('Enter');
    const done = byTest('cashier-done');
    await done.waitFor();
    const receipt = await done.locator('[data-test="cashier-receipt"]').innerText();
    expect(receipt).to.contain('Walk-in').and.to.contain('Cash').and.to.contain('¥12.50');
    await shot('14-walk-in-receipt-en');
    // Enter starts the next customer whether 下一位 or the dialog (as it opens) holds the focus.
    await page.keyboard.press('Enter');
    await done.waitFor({ state: 'hidden' });

    const orders = await api<{ items: { memberId: number | null; payable: number }[] }>('GET', `/api/v1/orders?storeId=${storeId}`);
    expect(orders.items.map((o) => [o.memberId, o.payable])).to.deep.equal([
      [null, 1_250],
      [memberId, 10_000],
    ]);
  });

  it('tops a member up at the counter without losing the sale being rung up', async () => {
    const before = await balances();
    await byTest('cashier-member-search').fill('5678');
    await byTest('cashier-member-search').press('Enter');
    await byTest(`cashier-member-match-${memberId}`).click();
    await byTest('cashier-mode-amount').click();
    await byTest('cashier-amount').fill('30');
    await byTest('cashier-member-topup').click();
    const dialog = byTest('topup-dialog');
    await dialog.waitFor();
    await byTest('topup-mode-custom').click();
    await byTest('topup-amount').locator('input').fill('100');
    await dialog.locator('[data-test="topup-pay-cash"]').click();
    await byTest('topup-submit').click();
    await dialog.waitFor({ state: 'hidden' });
    const after = before.wallet.principal + before.wallet.bonus + 10_000;
    await page.locator('[data-test="cashier-member-wallet"]', { hasText: formatYuan(after) }).waitFor();
    expect(await byTest('cashier-amount').inputValue()).to.equal('30');
    await shot('15-topped-up-at-counter');
    expect((await balances()).wallet).to.deep.equal({ principal: before.wallet.principal + 10_000, bonus: before.wallet.bonus });
  });
});

function formatYuan(fen: number): string {
  return `¥${Math.floor(fen / 100).toLocaleString('en-US')}.${String(fen % 100).padStart(2, '0')}`;
}
