import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import dayjs from 'dayjs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../server/src/platform/paths.js';
import { runCli } from '../support/cli.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

const ARTIFACTS = path.join(PROJECT_ROOT, 'test', 'artifacts');
const CHROMIUM = process.env.HUIJI_CHROMIUM ?? '/usr/bin/chromium';
const DEMO_PASSWORD = 'Demo#Loyalty2026';
const BOOTSTRAP_PASSWORD = 'Start#Loyalty2026';
const ADMIN_PASSWORD = 'Huiji#Loyalty2026';
const VIEWPORT = { width: 1366, height: 800 };
const PLAN = '充500送50';
const OLD_PLAN = '充100送5';

/**
 * Points and stored value in the console, on the demo stores and members of `npm run
 * seed:demo`: the administrator changes the points rules, sets up the stored-value
 * settings and a top-up plan, tops a member up by the plan from the member's page, and
 * finds the money in the liability report under the member's store. The `it`s build on
 * each other, so they run in order.
 */
describe('loyalty in the console', function () {
  this.timeout(90_000);
  let dataDir: string;
  let server: ServerProcess;
  let browser: Browser;
  let admin: Page;
  let memberStore = '';

  before(async () => {
    expect(fs.existsSync(path.join(PROJECT_ROOT, 'dist', 'admin-web', 'index.html')), 'the console is built').to.equal(true);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'huiji-loyalty-e2e-'));
    const env = { HUIJI_DATA_DIR: path.join(dataDir, 'data'), HUIJI_DEMO_PASSWORD: DEMO_PASSWORD, HUIJI_BOOTSTRAP_ADMIN_PASSWORD: BOOTSTRAP_PASSWORD };
    const seeded = await runCli('server/src/cli/seed-demo.ts', ['--yes', '--stores', '2', '--staff-per-store', '2', '--members', '6'], env, dataDir);
    expect(seeded.code, seeded.stderr).to.equal(0);
    server = await startServerProcess({}, dataDir);
    await server.waitForReady();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  // Element Plus passes data-test through to the <input> itself, so one selector fits both.
  const byTest = (on: Page, id: string) => on.locator(`[data-test="${id}"]`);
  const shot = (on: Page, name: string) =>
    on.screenshot({ path: path.join(ARTIFACTS, `loyalty-${name}.png`), fullPage: true, animations: 'disabled' });

  async function openFromMenu(page: Page, key: string, url: RegExp): Promise<void> {
    await byTest(page, `menu-${key}`).click();
    await page.waitForURL(url);
    await page.waitForLoadState('networkidle');
  }

  /** The <input> of an el-input-number (whose root carries the data-test). */
  const numberInput = (on: Page, id: string) => on.locator(`[data-test="${id}"] input`);

  /** Types into an el-input-number and leaves it, so the model takes the value. */
  async function typeNumber(page: Page, testId: string, value: string): Promise<void> {
    const input = numberInput(page, testId);
    await input.fill(value);
    await input.press('Tab');
  }

  const toast = (page: Page, text: string) => page.locator('.el-message', { hasText: text }).waitFor();

  it('lets the administrator in and shows 营销 → 储值方案 and 会员权益 → 积分规则, 储值设置, 储值负债', async () => {
    const context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN', acceptDownloads: true });
    admin = await context.newPage();
    await admin.goto(`${server.url}/login`);
    await byTest(admin, 'login-username').fill('admin');
    await byTest(admin, 'login-password').fill(BOOTSTRAP_PASSWORD);
    await byTest(admin, 'login-submit').click();
    await admin.waitForURL(/\/change-password/);
    await byTest(admin, 'cp-current').fill(BOOTSTRAP_PASSWORD);
    await byTest(admin, 'cp-new').fill(ADMIN_PASSWORD);
    await byTest(admin, 'cp-confirm').fill(ADMIN_PASSWORD);
    await byTest(admin, 'cp-submit').click();
    await admin.waitForURL((url) => url.pathname === '/');
    await byTest(admin, 'home-welcome').waitFor();
    expect(await byTest(admin, 'menu-marketing').innerText()).to.contain('营销');
    expect(await byTest(admin, 'menu-loyalty').innerText()).to.contain('会员权益');
    expect(await byTest(admin, 'menu-marketing-plans').innerText()).to.contain('储值方案');
    expect(await byTest(admin, 'menu-loyalty-points').innerText()).to.contain('积分规则');
    expect(await byTest(admin, 'menu-loyalty-wallet').innerText()).to.contain('储值设置');
    expect(await byTest(admin, 'menu-loyalty-liability').innerText()).to.contain('储值负债');
  });

  it('changes 积分规则: 2 points a yuan, rolling 12 months, with a sentence saying when today’s points expire; saved and read back', async () => {
    await openFromMenu(admin, 'loyalty-points', /\/loyalty\/points$/);
    const rate = numberInput(admin, 'points-earn-rate');
    await admin.waitForFunction(() => document.querySelector<HTMLInputElement>('[data-test="points-earn-rate"] input')?.value === '1');
    expect(await byTest(admin, 'points-earn-example').innerText()).to.contain('实付 ¥88.50 得 88 积分');
    await typeNumber(admin, 'points-earn-rate', '2');
    expect(await byTest(admin, 'points-earn-example').innerText()).to.contain('得 177 积分');

    await byTest(admin, 'points-expiry-rolling_months').click();
    await byTest(admin, 'points-expiry-months').waitFor();
    await typeNumber(admin, 'points-expiry-months', '12');
    const today = dayjs().format('YYYY-MM-DD');
    const expires = dayjs().startOf('month').add(12, 'month').endOf('month').format('YYYY-MM-DD');
    // Near midnight the browser's and the business clock's "today" may differ by a day; both come from the business clock in the page.
    const sentence = await byTest(admin, 'points-expiry-sentence').innerText();
    expect(sentence).to.match(/^\d{4}-\d{2}-\d{2} 获得的积分将于 \d{4}-\d{2}-\d{2} 23:59 过期。过期前 7 天提醒会员。$/);
    if (sentence.startsWith(today)) expect(sentence).to.contain(`${expires} 23:59`);
    await shot(admin, '01-points-settings');

    const saved = admin.waitForResponse((r) => r.url().endsWith('/api/v1/loyalty/points-settings') && r.request().method() === 'PUT');
    await byTest(admin, 'points-settings-save').click();
    expect((await saved).status()).to.equal(200);
    await toast(admin, '积分规则已保存');

    await admin.reload();
    await admin.waitForFunction(() => document.querySelector<HTMLInputElement>('[data-test="points-earn-rate"] input')?.value === '2');
    expect(await rate.inputValue()).to.equal('2');
    expect(await numberInput(admin, 'points-expiry-months').inputValue()).to.equal('12');
    expect(await admin.locator('[data-test="points-expiry-rolling_months"].is-checked').count()).to.equal(1);
  });

  it('shows 储值设置 with each spending order explained on 5,000 + 800, and saves a 10% cap for custom bonuses', async () => {
    await openFromMenu(admin, 'loyalty-wallet', /\/loyalty\/wallet$/);
    const orders = byTest(admin, 'wallet-spend-order');
    await orders.waitFor();
    const text = await orders.innerText();
    expect(text).to.contain('按比例扣').and.to.contain('¥86.21').and.to.contain('¥13.79');
    expect(text).to.contain('先扣本金').and.to.contain('先扣赠送金');
    await admin.waitForFunction(() => document.querySelector<HTMLInputElement>('[data-test="wallet-max-topup"] input')?.value === '100000.00');
    await typeNumber(admin, 'wallet-bonus-max', '10');
    // The largest top-up below the smallest is refused here, on the field, before the server is asked.
    await typeNumber(admin, 'wallet-max-topup', '0.5');
    await byTest(admin, 'wallet-settings-save').click();
    await admin.locator('.el-form-item', { has: byTest(admin, 'wallet-max-topup') }).locator('.el-form-item__error').waitFor();
    await typeNumber(admin, 'wallet-max-topup', '20000');
    await shot(admin, '02-wallet-settings');
    await byTest(admin, 'wallet-settings-save').click();
    await toast(admin, '储值设置已保存');
  });

  it('creates the plan 充500送50 in 储值方案, and retires 充100送5 after a confirmation naming it', async () => {
    await openFromMenu(admin, 'marketing-plans', /\/marketing\/plans$/);
    await byTest(admin, 'plan-empty').waitFor();
    for (const [name, amount, bonus, points] of [
      [PLAN, '500', '50', '200'],
      [OLD_PLAN, '100', '5', '0'],
    ]) {
      await byTest(admin, 'plan-create').click();
      const dialog = byTest(admin, 'plan-form');
      await dialog.waitFor();
      await byTest(admin, 'plan-form-name').fill(name);
      await typeNumber(admin, 'plan-form-amount', amount);
      await typeNumber(admin, 'plan-form-bonus', bonus);
      await typeNumber(admin, 'plan-form-points', points);
      if (name === PLAN) {
        expect(await byTest(admin, 'plan-form-summary').innerText()).to.equal('会员付 ¥500.00，储值到账 ¥550.00（本金 ¥500.00 + 赠送金 ¥50.00），另得 200 积分。');
        await shot(admin, '03-plan-form');
      }
      await byTest(admin, 'plan-form-submit').click();
      await dialog.waitFor({ state: 'hidden' });
      await byTest(admin, `plan-row-${name}`).waitFor();
    }
    const row = byTest(admin, 'plan-table').locator('.el-table__row', { has: byTest(admin, `plan-row-${PLAN}`) });
    expect((await row.innerText()).replace(/\s+/g, ' ')).to.contain('¥500.00').and.to.contain('¥50.00').and.to.contain('¥550.00').and.to.contain('200').and.to.contain('启用中');

    // The amount is fixed once the plan exists.
    await byTest(admin, `plan-edit-${PLAN}`).click();
    await byTest(admin, 'plan-form').waitFor();
    expect(await numberInput(admin, 'plan-form-amount').isDisabled()).to.equal(true);
    await admin.keyboard.press('Escape');
    await byTest(admin, 'plan-form').waitFor({ state: 'hidden' });

    await byTest(admin, `plan-toggle-${OLD_PLAN}`).click();
    const box = admin.locator('.el-message-box:visible');
    await box.waitFor();
    expect(await box.innerText()).to.contain(OLD_PLAN).and.to.contain('¥100.00');
    await shot(admin, '04-plan-retire');
    await admin.locator('.confirm-plan-retire').click();
    await admin.locator(`[data-test="plan-status-${OLD_PLAN}"]`, { hasText: '已停用' }).waitFor();
    await shot(admin, '05-plans');
  });

  it('tops a member up by the plan from the member page; the header shows the principal and the bonus', async () => {
    await openFromMenu(admin, 'members-list', /\/members$/);
    await byTest(admin, 'member-table').locator('.el-table__row').first().click();
    await admin.waitForURL(/\/members\/\d+/);
    const header = byTest(admin, 'member-header');
    await header.waitFor();
    // Store names have spaces (麦香烘焙 番禺店): the name runs up to the next label.
    memberStore = /所属门店 ?(.+?) ?注册时间/.exec((await header.innerText()).replace(/\s+/g, ' '))?.[1] ?? '';
    expect(memberStore, await header.innerText()).to.not.equal('');

    await byTest(admin, 'member-topup').click();
    const dialog = byTest(admin, 'topup-dialog');
    await dialog.waitFor();
    await byTest(admin, `topup-plan-${PLAN}`).waitFor();
    expect(await byTest(admin, `topup-plan-${OLD_PLAN}`).count(), 'a retired plan is not offered').to.equal(0);
    await byTest(admin, 'topup-submit').click();
    await dialog.getByText('请选择一个方案').waitFor();
    await dialog.getByText('请选择收款方式').waitFor();
    await byTest(admin, `topup-plan-${PLAN}`).click();
    await dialog.locator('[data-test="topup-pay-wechat"]').click();
    await dialog.getByText('请选择一个方案').waitFor({ state: 'hidden' });
    await dialog.getByText('请选择收款方式').waitFor({ state: 'hidden' });
    expect((await byTest(admin, 'topup-after').innerText()).replace(/\s+/g, ' ')).to.contain('本金 ¥500.00 + 赠送金 ¥50.00 = ¥550.00').and.to.contain('另得 200 积分');
    await shot(admin, '06-topup');

    const request = admin.waitForRequest((r) => /\/wallet\/topups$/.test(r.url()) && r.method() === 'POST');
    await byTest(admin, 'topup-submit').click();
    const sent = await request;
    expect(sent.headers()['idempotency-key']).to.match(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(sent.postData() ?? '{}')).to.include({ amount: 50000, payMethod: 'wechat' });
    await dialog.waitFor({ state: 'hidden' });
    await toast(admin, '充值 ¥500.00');
    await admin.waitForFunction(() => {
      const text = document.querySelector('[data-test="member-header"]')?.textContent ?? '';
      return text.includes('¥500.00') && text.includes('¥50.00');
    });
    await shot(admin, '07-member-after-topup');
  });

  it('shows the member’s store in 储值负债 owing ¥500.00 principal and ¥50.00 bonus, with the totals and a chart explained', async () => {
    await openFromMenu(admin, 'loyalty-liability', /\/loyalty\/liability$/);
    const table = byTest(admin, 'liability-table');
    const row = table.locator('.el-table__row', { hasText: memberStore });
    await row.waitFor();
    const cells = (await row.innerText()).replace(/\s+/g, ' ');
    expect(cells).to.contain('¥500.00').and.to.contain('¥50.00').and.to.contain('¥550.00');
    const totals = (await table.locator('.el-table__footer').innerText()).replace(/\s+/g, ' ');
    expect(totals).to.contain('合计').and.to.contain('¥500.00').and.to.contain('¥50.00').and.to.contain('¥550.00');
    await byTest(admin, 'liability-bar').locator('canvas').first().waitFor();
    expect(await byTest(admin, 'liability-bar-caption').innerText()).to.contain('深色是本金，浅色是赠送金');
    if ((await byTest(admin, 'liability-trend').count()) > 0) {
      expect(await byTest(admin, 'liability-trend-caption').innerText()).to.contain('全部门店未用储值的合计');
    }
    await admin.waitForTimeout(1500); // the charts' entry animation
    await shot(admin, '08-liability');

    // A day before anyone topped up owes nothing.
    const yesterday = dayjs().subtract(2, 'day').format('YYYY-MM-DD');
    await admin.goto(`${server.url}/loyalty/liability?asOf=${yesterday}`);
    await byTest(admin, 'liability-empty').waitFor();
    expect(await byTest(admin, 'liability-empty').innerText()).to.contain(yesterday);
  });
});
