import path from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { ARTIFACTS, VIEWPORT, consoleSession } from '../support/console-session.js';
import type { ServerProcess } from '../support/server-process.js';

const BOOTSTRAP_PASSWORD = 'Start#Coupons2026';
const ADMIN_PASSWORD = 'Huiji#Coupons2026';
const TEMPLATE = '开业满200减30';

interface CouponView {
  id: number;
  code: string;
  status: string;
  templateName: string;
  source: string;
}

interface OrderView {
  id: number;
  orderNo: string;
  payable: number;
  discount: number;
  discounts: { step: string; reference: string | null; label: string; amount: number }[];
}

/**
 * 营销 → 优惠券 end to end: the administrator writes a 满减 template on the form (the live
 * preview reads "满200减30" with a worked example), saves it active, issues it to one member
 * from the template page (estimate first), then to a pasted list as a background batch; at
 * the counter the member's coupon is judged against the sale (¥150 falls short, ¥250 fits),
 * picked, shown as its own step of the preview, and the order completes with the coupon
 * used; 券查询, 核销记录 and the member's page say so; the pages read in English too. The
 * `it`s build on each other, so they run in order.
 */
describe('coupons in the console', function () {
  this.timeout(150_000);
  let server: ServerProcess;
  let page: Page;
  let storeId = 0;
  let memberId = 0;
  let otherId = 0;
  let templateId = 0;
  let code = '';
  const session = consoleSession('coupons', BOOTSTRAP_PASSWORD);
  const { byTest, settled, toast, typeNumber, api } = session;
  before(() => ({ server, page } = session));

  const shot = async (name: string) => {
    await settled();
    await page.screenshot({ path: path.join(ARTIFACTS, `coupons-${name}.png`), fullPage: true, animations: 'disabled' });
  };
  /** The console scrolls inside its main area, so a long form is shot on a window as tall as it. */
  const tallShot = async (name: string, height: number) => {
    await page.setViewportSize({ width: VIEWPORT.width, height });
    await shot(name);
    await page.setViewportSize(VIEWPORT);
  };

  const memberCoupons = async (id: number) => (await api<{ items: CouponView[] }>('GET', `/api/v1/members/${id}/coupons`)).items;

  it('seeds a store and two members, and shows 营销 → 优惠券 with nothing in it yet', async () => {
    await session.signIn(ADMIN_PASSWORD);

    storeId = (await api<{ id: number }>('POST', '/api/v1/stores', { code: 'SH201', name: '徐汇店' })).id;
    memberId = (await api<{ id: number }>('POST', '/api/v1/members', { name: '王芳', phone: '13700005678', homeStoreId: storeId })).id;
    otherId = (await api<{ id: number }>('POST', '/api/v1/members', { name: '李思远', phone: '13900001234', homeStoreId: storeId })).id;

    expect(await byTest('menu-marketing-coupons').innerText()).to.contain('优惠券');
    await byTest('menu-marketing-coupons').click();
    await page.waitForURL(/\/marketing\/coupons$/);
    await byTest('coupon-template-empty').getByText('还没有优惠券模板').waitFor();
    await shot('01-templates-empty');
  });

  it('writes a 满减 template with a live preview and a worked example, and saves it active', async () => {
    await byTest('coupon-template-create').click();
    await page.waitForURL(/\/marketing\/coupons\/new$/);
    await byTest('coupon-form-kind-full_reduction').click();
    await byTest('coupon-form-name').fill(TEMPLATE);
    await typeNumber('coupon-form-amount-off', '30');
    await typeNumber('coupon-form-threshold', '200');
    await typeNumber('coupon-form-perMemberLimit', '3');

    // Only the 满减 fields: no discount rate, no item.
    expect(await byTest('coupon-form-discount').count()).to.equal(0);
    expect(await byTest('coupon-form-item-sku').count()).to.equal(0);
    await page.locator('[data-test="coupon-preview-rule"]', { hasText: '满200减30' }).waitFor();
    expect(await byTest('coupon-preview-value').innerText()).to.equal('¥30');
    expect(await byTest('coupon-preview-example').innerText()).to.equal('订单 ¥250.00 → 减 ¥30.00，实付 ¥220.00');
    expect(await byTest('coupon-preview').innerText()).to.contain('领取当日起 30 天内有效').and.to.contain('每人限领 3 张');
    // The example follows an amount typed there: below the threshold it says the coupon cannot be used.
    await typeNumber('coupon-preview-order', '150');
    expect(await byTest('coupon-preview-example').innerText()).to.equal('订单 ¥150.00 → 未满 ¥200.00，不能用');
    await typeNumber('coupon-preview-order', '250');
    await tallShot('02-template-form', 2300);

    const created = page.waitForResponse((res) => new URL(res.url()).pathname === '/api/v1/coupon-templates' && res.request().method() === 'POST');
    await byTest('coupon-form-save-active').click();
    const response = await created;
    expect(response.status()).to.equal(201);
    const sent = response.request().postDataJSON() as Record<string, unknown>;
    expect(sent).to.include({ kind: 'full_reduction', amountOff: 3_000, threshold: 20_000, status: 'active', perMemberLimit: 3, discountRate: null });
    templateId = ((await response.json()) as { id: number }).id;
    await page.waitForURL(new RegExp(`/marketing/coupons/${templateId}$`));
    await toast(`已创建「${TEMPLATE}」`);
    expect(await byTest('coupon-form-status').innerText()).to.equal('进行中');
  });

  it('issues it to one member after an estimate', async () => {
    await byTest('coupon-form-issue').click();
    const dialog = byTest('coupon-issue');
    await dialog.waitFor();
    await byTest('coupon-issue-member').click();
    await page.keyboard.type('13700005678');
    await page.locator('.el-select-dropdown__item:visible', { hasText: '王芳' }).click();
    // Nothing is issued before the estimate.
    expect(await byTest('coupon-issue-confirm').isDisabled()).to.equal(true);
    await byTest('coupon-issue-estimate').click();
    await byTest('coupon-issue-preview').waitFor();
    expect(await byTest('coupon-issue-matched').innerText()).to.equal('1');
    expect(await byTest('coupon-issue-coupons').innerText()).to.equal('1');
    await shot('03-issue-estimate');

    const issued = page.waitForResponse((res) => res.url().endsWith(`/api/v1/coupon-templates/${templateId}/issue`));
    await byTest('coupon-issue-confirm').click();
    const response = await issued;
    expect(response.status()).to.equal(201);
    expect(response.request().headers()['idempotency-key']).to.match(/^[0-9a-f-]{36}$/);
    await toast('已向 王芳');
    await dialog.waitFor({ state: 'hidden' });

    const coupons = await memberCoupons(memberId);
    expect(coupons.map((c) => [c.templateName, c.status, c.source])).to.deep.equal([[TEMPLATE, 'available', 'manual']]);
    code = coupons[0].code;
    expect(code).to.match(/^[2-9A-HJ-NP-Z]{12}$/);
  });

  it('issues it to a pasted list as a background batch: the estimate says who is skipped and why', async () => {
    await byTest('menu-marketing-coupons').click();
    await page.waitForURL(/\/marketing\/coupons$/);
    await byTest(`coupon-template-issue-${TEMPLATE}`).click();
    const dialog = byTest('coupon-issue');
    await dialog.waitFor();
    await byTest('coupon-issue-target-list').click();
    await byTest('coupon-issue-list').fill('13700005678\n13900001234\nnot-a-phone');
    await byTest('coupon-issue-estimate').click();
    await byTest('coupon-issue-preview').waitFor();
    expect(await byTest('coupon-issue-matched').innerText()).to.equal('2');
    expect(await byTest('coupon-issue-coupons').innerText()).to.equal('2');
    expect(await byTest('coupon-issue-skip-invalid').innerText()).to.contain('不是手机号或卡号').and.to.contain('1');
    await shot('04-batch-estimate');

    const queued = page.waitForResponse((res) => new URL(res.url()).pathname === '/api/v1/coupon-batches' && res.request().method() === 'POST');
    await byTest('coupon-issue-confirm').click();
    const response = await queued;
    expect(response.status(), await response.text()).to.equal(202);
    await byTest('coupon-issue-task').waitFor();
    await byTest('coupon-issue-result').waitFor({ timeout: 30_000 });
    expect(await byTest('coupon-issue-coupons').innerText()).to.equal('2');
    await page.locator('[data-test="coupon-issue-task"] [data-status="succeeded"]').waitFor();
    await shot('05-batch-done');
    await dialog.getByRole('button', { name: '关闭' }).last().click();
    await dialog.waitFor({ state: 'hidden' });
    await page.locator(`[data-test="coupon-template-issued-${TEMPLATE}"]`, { hasText: '3 / 不限' }).waitFor();
    expect(await memberCoupons(otherId)).to.have.length(1);
    expect(await memberCoupons(memberId)).to.have.length(2);
    await shot('06-templates');
  });

  it('estimates a batch by the member list’s filters without issuing anything', async () => {
    await byTest(`coupon-template-issue-${TEMPLATE}`).click();
    const dialog = byTest('coupon-issue');
    await dialog.waitFor();
    await byTest('coupon-issue-target-filter').click();
    await byTest('coupon-issue-filter-store').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '徐汇店' }).click();
    const asked = page.waitForResponse((res) => res.url().endsWith('/api/v1/coupon-batches/preview'));
    await byTest('coupon-issue-estimate').click();
    const sent = (await asked).request().postDataJSON() as { target: unknown; count: number };
    expect(sent.target).to.deep.equal({ type: 'filter', query: { status: 'normal', storeId } });
    await byTest('coupon-issue-preview').waitFor();
    expect(await byTest('coupon-issue-matched').innerText()).to.equal('2');
    expect(await byTest('coupon-issue-coupons').innerText()).to.equal('2');
    // Changing the target makes the estimate stale: nothing can be confirmed on it.
    await byTest('coupon-issue-filter-birthday').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '3 月' }).click();
    await page.locator('.preview-counts--stale').waitFor();
    expect(await byTest('coupon-issue-confirm').isDisabled()).to.equal(true);
    await shot('06b-filter-estimate');
    await dialog.getByRole('button', { name: '取消' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await memberCoupons(otherId)).to.have.length(1);
  });

  it('at the counter: judges the coupon against the sale, shows it as a step of the preview, and completes the order with it', async () => {
    await byTest('menu-cashier').click();
    await page.waitForURL(/\/cashier$/);
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-test') === 'cashier-member-search');
    if (await byTest('cashier-store').isVisible()) {
      await byTest('cashier-store').click();
      await page.locator('.el-select-dropdown__item:visible', { hasText: '徐汇店' }).click();
      await byTest('cashier-member-search').focus();
    }
    await page.keyboard.type('5678');
    await page.keyboard.press('Enter');
    await byTest('cashier-member-card').waitFor();
    await byTest('cashier-mode-amount').click();

    // ¥150 falls short of the threshold: the coupon is listed with the reason and cannot be picked.
    await byTest('cashier-amount').fill('150');
    const coupon = byTest(`cashier-coupon-${code}`);
    await page.locator(`[data-test="cashier-coupon-${code}"][data-applicable="false"]`).waitFor();
    expect(await coupon.innerText()).to.contain('满200减30').and.to.contain('还差 ¥50.00');
    expect(await coupon.isDisabled()).to.equal(true);
    await shot('07-cashier-threshold');

    await byTest('cashier-amount').fill('250');
    await page.locator(`[data-test="cashier-coupon-${code}"][data-applicable="true"]`).waitFor();
    expect(await coupon.innerText()).to.contain('可减 ¥30.00');
    await coupon.click();
    const step = byTest('cashier-preview-step-coupon');
    await step.waitFor();
    expect(await step.innerText()).to.contain('满200减30').and.to.contain('-¥30.00');
    await page.locator('[data-test="cashier-preview-payable"]', { hasText: '¥220.00' }).waitFor();
    await page.locator('[data-test="cashier-preview-due"]', { hasText: '¥220.00' }).waitFor();
    // Exclusive, one per order: her second coupon of the template cannot join the first.
    const other = page.locator('[data-test^="cashier-coupon-"][data-applicable="false"]');
    await other.first().waitFor();
    await shot('08-cashier-coupon');

    const placed = page.waitForResponse((res) => new URL(res.url()).pathname === '/api/v1/orders' && res.request().method() === 'POST');
    await page.keyboard.press('F9');
    const response = await placed;
    expect(response.status()).to.equal(201);
    expect((response.request().postDataJSON() as { couponCodes: string[] }).couponCodes).to.deep.equal([code]);
    const done = byTest('cashier-done');
    await done.waitFor();
    const receipt = await done.locator('[data-test="cashier-receipt"]').innerText();
    expect(receipt).to.contain('满200减30').and.to.contain('-¥30.00').and.to.contain('¥220.00');
    await shot('09-cashier-receipt');
    await page.keyboard.press('Enter');
    await done.waitFor({ state: 'hidden' });

    // The next sale: the used code typed in is refused beside the coupons, and the sale can go on without it.
    await page.keyboard.type('5678');
    await page.keyboard.press('Enter');
    await byTest('cashier-member-card').waitFor();
    await byTest('cashier-amount').fill('250');
    await byTest('cashier-coupon-code').fill(code.toLowerCase());
    await byTest('cashier-coupon-code').press('Enter');
    await page.locator('[data-test="cashier-coupon-error"]', { hasText: '已使用' }).waitFor();
    await shot('09b-cashier-used-code');
    await byTest(`cashier-coupon-tag-${code}`).locator('.el-tag__close').click();
    await page.locator('[data-test="cashier-preview-payable"]', { hasText: '¥250.00' }).waitFor();
    await byTest('cashier-coupon-error').waitFor({ state: 'detached' });

    const orderId = ((await response.json()) as { id: number }).id;
    const order = await api<OrderView>('GET', `/api/v1/orders/${orderId}`);
    expect(order.payable).to.equal(22_000);
    expect(order.discounts.map((d) => [d.step, d.reference, d.amount])).to.deep.equal([['coupon', code, 3_000]]);
    const used = (await api<{ items: CouponView[] }>('GET', `/api/v1/coupons?code=${code}`)).items;
    expect(used.map((c) => c.status)).to.deep.equal(['used']);
  });

  it('shows the coupon as used in 券查询 with its history, in 核销记录, and on the member’s page', async () => {
    await page.goto(`${server.url}/marketing/coupons/records?code=${code}`);
    await page.locator(`[data-test="coupon-status-${code}"]`, { hasText: '已使用' }).waitFor();
    await byTest(`coupon-row-${code}`).click();
    const drawer = byTest('coupon-drawer');
    await drawer.waitFor();
    await byTest('coupon-event-redeemed').waitFor();
    expect(await byTest('coupon-drawer-events').innerText()).to.contain('发放').and.to.contain('核销');
    await shot('10-records-drawer');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });

    await page.locator('#tab-coupon-redemptions').click();
    await page.waitForURL(/\/marketing\/coupons\/redemptions$/);
    await byTest(`coupon-redemption-${code}`).waitFor();
    expect(await byTest('coupon-redemption-table').innerText()).to.contain('¥30.00').and.to.contain('徐汇店').and.to.contain('已核销');
    await shot('11-redemptions');

    await page.goto(`${server.url}/members/${memberId}`);
    await page.locator('.el-tabs__item', { hasText: '优惠券' }).click();
    const tab = byTest('member-coupons');
    await tab.waitFor();
    // The tab opens on the usable ones: her second coupon.
    await tab.locator('[data-test^="member-coupon-status-"]', { hasText: '可用' }).waitFor();
    await page.locator('[data-test="member-coupons-status"] label', { hasText: '已使用' }).click();
    await page.locator(`[data-test="member-coupon-status-${code}"]`, { hasText: '已使用' }).waitFor();
    await shot('12-member-coupons');
  });

  it('voids her other coupon with a reason, naming it first', async () => {
    const [left] = (await memberCoupons(memberId)).filter((c) => c.status === 'available');
    await page.goto(`${server.url}/marketing/coupons/records?code=${left.code}`);
    await byTest(`coupon-void-${left.code}`).click();
    const dialog = byTest('coupon-void');
    await dialog.waitFor();
    expect(await byTest('coupon-void-code').innerText()).to.equal(left.code);
    expect(await dialog.innerText()).to.contain(TEMPLATE).and.to.contain('王芳');
    await byTest('coupon-void-confirm').click();
    await dialog.locator('.el-form-item__error').getByText('请填写作废原因').waitFor();
    await byTest('coupon-void-reason').fill('发错会员');
    await shot('13-void-dialog');
    await byTest('coupon-void-confirm').click();
    await dialog.waitFor({ state: 'hidden' });
    await page.locator(`[data-test="coupon-status-${left.code}"]`, { hasText: '已作废' }).waitFor();
    expect((await api<{ items: CouponView[] }>('GET', `/api/v1/coupons?code=${left.code}`)).items[0].status).to.equal('voided');
  });

  it('opens self-claim with a claim code, and shows the link and its QR code once saved', async () => {
    await page.goto(`${server.url}/marketing/coupons/${templateId}`);
    await byTest('coupon-form-claimable').click();
    await byTest('coupon-form-claim-code').fill('grand-opening');
    await byTest('coupon-form-save').click();
    await toast(`已保存「${TEMPLATE}」`);
    expect(await byTest('coupon-form-claim-url').inputValue()).to.match(/\/c\/grand-opening$/);
    await page.locator('[data-test="coupon-form-claim-qr"]').waitFor();
    expect(await page.locator('[data-test="coupon-form-claim-qr"]').evaluate((img: HTMLImageElement) => img.naturalWidth)).to.be.greaterThan(100);
    await byTest('coupon-form-claim-qr').scrollIntoViewIfNeeded();
    await shot('13b-claim');
    const saved = await api<{ claimCode: string | null }>('GET', `/api/v1/coupon-templates/${templateId}`);
    expect(saved.claimCode).to.equal('grand-opening');
  });

  it('reads in English: the templates, the form and its preview', async () => {
    await byTest('lang-switch').click();
    await byTest('lang-en').click();
    await byTest('menu-marketing-coupons').click();
    await page.waitForURL(/\/marketing\/coupons$/);
    await page.locator('.list-page__title', { hasText: 'Coupon templates' }).waitFor();
    await page.locator(`[data-test="coupon-template-rule-${TEMPLATE}"]`, { hasText: '¥30 off orders over ¥200' }).waitFor();
    const table = byTest('coupon-template-table');
    expect(await table.innerText()).to.contain('Spend & save').and.to.contain('Active').and.to.contain('Issued / stock');
    await shot('14-templates-en');

    await byTest(`coupon-template-row-${TEMPLATE}`).click();
    await page.waitForURL(new RegExp(`/marketing/coupons/${templateId}$`));
    await page.locator('[data-test="coupon-preview-rule"]', { hasText: '¥30 off orders over ¥200' }).waitFor();
    expect(await byTest('coupon-preview-example').innerText()).to.equal('Order ¥250.00 → ¥30.00 off, pays ¥220.00');
    // Coupons are out, so the rule is locked and says so.
    expect(await byTest('coupon-form-locked').innerText()).to.contain('the rule is locked');
    await tallShot('15-form-en', 2300);
  });
});
