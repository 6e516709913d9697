import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../server/src/platform/paths.js';
import { runCli } from '../support/cli.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

const ARTIFACTS = path.join(PROJECT_ROOT, 'test', 'artifacts');
const CHROMIUM = process.env.HUIJI_CHROMIUM ?? '/usr/bin/chromium';
const DEMO_PASSWORD = 'Demo#Members2026';
const BOOTSTRAP_PASSWORD = 'Start#Members2026';
const ADMIN_PASSWORD = 'Huiji#Members2026';
const VIEWPORT = { width: 1366, height: 800 };
const PHONE = '13912345678';
/** More than a page of 20, so the list has a second page. */
const DEMO_MEMBERS = 30;

/**
 * Members in the console, on the demo stores and staff that `npm run seed:demo` creates: the
 * administrator adds a custom field (肤质) in 表单设计, registers a member with it, finds the
 * member by phone and opens the 360 page; a cashier of the same store sees the phone masked
 * and has nothing to reveal it with. The `it`s build on each other, so they run in order.
 */
describe('members in the console', function () {
  this.timeout(90_000);
  let dataDir: string;
  let server: ServerProcess;
  let browser: Browser;
  let admin: Page;
  let memberUrl = '';

  before(async () => {
    expect(fs.existsSync(path.join(PROJECT_ROOT, 'dist', 'admin-web', 'index.html')), 'the console is built').to.equal(true);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'huiji-members-e2e-'));
    const env = { HUIJI_DATA_DIR: path.join(dataDir, 'data'), HUIJI_DEMO_PASSWORD: DEMO_PASSWORD, HUIJI_BOOTSTRAP_ADMIN_PASSWORD: BOOTSTRAP_PASSWORD };
    const seeded = await runCli('server/src/cli/seed-demo.ts', ['--yes', '--stores', '2', '--staff-per-store', '2', '--members', String(DEMO_MEMBERS)], env, dataDir);
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
  // Transitions are fast-forwarded, so a dialog is not caught half faded in.
  const shot = (on: Page, name: string) =>
    on.screenshot({ path: path.join(ARTIFACTS, `members-${name}.png`), fullPage: true, animations: 'disabled' });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN', acceptDownloads: true });
    return context.newPage();
  }

  async function submitLogin(page: Page, username: string, password: string): Promise<void> {
    await page.goto(`${server.url}/login`);
    await byTest(page, 'login-username').fill(username);
    await byTest(page, 'login-password').fill(password);
    await byTest(page, 'login-submit').click();
  }

  async function openFromMenu(page: Page, key: string, url: RegExp): Promise<void> {
    await byTest(page, `menu-${key}`).click();
    await page.waitForURL(url);
    await page.waitForLoadState('networkidle');
  }

  /** Picks an option of the Element Plus select inside `select` by its text. */
  async function pickOption(page: Page, select: string, option: string): Promise<void> {
    await page.locator(select).click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: option }).first().click();
  }

  /** Clicks and waits for the member list's answer: URL changes reload it, and the old rows stay until then. */
  async function clickAndList(page: Page, testId: string): Promise<void> {
    const listed = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/v1/members' && response.request().method() === 'GET');
    await byTest(page, testId).click();
    await listed;
  }

  /** The error Element Plus shows under the form item holding `testId`. */
  const itemError = (page: Page, testId: string) =>
    page.locator('.el-form-item', { has: byTest(page, testId) }).locator('.el-form-item__error');

  it('lets the administrator in, whose 会员 list pages through the demo members with 上一页 / 下一页', async () => {
    admin = await newPage();
    await submitLogin(admin, 'admin', BOOTSTRAP_PASSWORD);
    await admin.waitForURL(/\/change-password/);
    await byTest(admin, 'cp-current').fill(BOOTSTRAP_PASSWORD);
    await byTest(admin, 'cp-new').fill(ADMIN_PASSWORD);
    await byTest(admin, 'cp-confirm').fill(ADMIN_PASSWORD);
    await byTest(admin, 'cp-submit').click();
    await admin.waitForURL((url) => url.pathname === '/');
    await byTest(admin, 'home-welcome').waitFor();

    await openFromMenu(admin, 'members-list', /\/members$/);
    const rows = byTest(admin, 'member-table').locator('.el-table__row');
    await rows.first().waitFor();
    expect(await rows.count()).to.equal(20);
    expect(await byTest(admin, 'member-filter-keyword').getAttribute('placeholder')).to.equal('手机号 / 尾号 / 卡号 / 姓名');
    expect(await byTest(admin, 'member-page-prev').isDisabled()).to.equal(true);
    const firstOfPageOne = await rows.first().innerText();
    await shot(admin, '01-list');

    await clickAndList(admin, 'member-page-next');
    await admin.waitForURL(/after=/);
    await admin.getByText('第 2 页').waitFor();
    expect(await rows.count()).to.equal(DEMO_MEMBERS - 20);
    expect(await byTest(admin, 'member-page-next').isDisabled()).to.equal(true);
    await shot(admin, '01b-list-page-2');

    await clickAndList(admin, 'member-page-prev');
    await admin.waitForURL((url) => !url.search.includes('after='));
    await admin.getByText('第 1 页').waitFor();
    expect(await rows.first().innerText()).to.equal(firstOfPageOne);
  });

  it('adds a searchable 肤质 drop-down with 干性 and 油性 in 表单设计', async () => {
    await openFromMenu(admin, 'system-member-fields', /\/system\/member-fields/);
    await byTest(admin, 'field-empty').waitFor();
    await byTest(admin, 'field-create').click();
    const dialog = byTest(admin, 'field-form');
    await dialog.waitFor();
    await pickOption(admin, '[data-test="field-form-type"]', '下拉单选');
    await byTest(admin, 'field-form-key').fill('skin_type');
    await byTest(admin, 'field-form-label-zh').fill('肤质');
    await byTest(admin, 'field-form-label-en').fill('Skin type');
    await byTest(admin, 'field-option-value-0').fill('dry');
    await byTest(admin, 'field-option-zh-0').fill('干性');
    await byTest(admin, 'field-option-add').click();
    await byTest(admin, 'field-option-value-1').fill('oily');
    await byTest(admin, 'field-option-zh-1').fill('油性');
    await byTest(admin, 'field-form-searchable').click();
    await byTest(admin, 'field-form-group').fill('皮肤档案');
    await shot(admin, '02-field-form');
    await byTest(admin, 'field-form-submit').click();
    await dialog.waitFor({ state: 'hidden' });

    const row = byTest(admin, 'field-row-skin_type');
    await row.waitFor();
    const text = await row.innerText();
    expect(text).to.contain('肤质').and.to.contain('skin_type').and.to.contain('下拉单选').and.to.contain('干性、油性').and.to.contain('可搜索');
    expect(await byTest(admin, 'field-group-皮肤档案').count()).to.equal(1);
    await shot(admin, '03-field-list');

    await byTest(admin, 'field-preview-open').click();
    const preview = byTest(admin, 'field-preview');
    await preview.waitFor();
    await byTest(admin, 'member-form-section-group:皮肤档案').waitFor();
    expect(await preview.innerText()).to.contain('基本信息').and.to.contain('联系方式').and.to.contain('肤质');
    await shot(admin, '04-form-preview');
    await admin.keyboard.press('Escape');
    await preview.waitFor({ state: 'hidden' });
  });

  it('adds a 鞋码 integer field and drags it into 皮肤档案 above 肤质, which the server keeps', async () => {
    await byTest(admin, 'field-create').click();
    const dialog = byTest(admin, 'field-form');
    await dialog.waitFor();
    await pickOption(admin, '[data-test="field-form-type"]', '整数');
    await byTest(admin, 'field-form-key').fill('shoe_size');
    await byTest(admin, 'field-form-label-zh').fill('鞋码');
    await byTest(admin, 'field-rules').waitFor();
    await admin.locator('[data-test="field-rule-min"] input').fill('30');
    await admin.locator('[data-test="field-rule-max"] input').fill('20');
    await byTest(admin, 'field-form-submit').click();
    await dialog.getByText('最大值不能小于最小值').waitFor();
    await admin.locator('[data-test="field-rule-max"] input').fill('50');
    await byTest(admin, 'field-form-submit').click();
    await dialog.waitFor({ state: 'hidden' });
    await byTest(admin, 'field-group-none').locator('[data-test="field-row-shoe_size"]').waitFor();

    const handle = byTest(admin, 'field-row-shoe_size').locator('.field-row__handle');
    await handle.dragTo(byTest(admin, 'field-row-skin_type'), { targetPosition: { x: 40, y: 5 } });
    await admin.getByText('顺序已保存').waitFor();
    await admin.waitForLoadState('networkidle');
    const rows = byTest(admin, 'field-group-皮肤档案').locator('.field-row');
    await admin.waitForFunction(() => document.querySelectorAll('[data-test="field-group-皮肤档案"] .field-row').length === 2);
    expect(await rows.nth(0).getAttribute('data-test')).to.equal('field-row-shoe_size');
    expect(await rows.nth(1).getAttribute('data-test')).to.equal('field-row-skin_type');
    expect(await byTest(admin, 'field-group-none').count()).to.equal(0);
    await admin.reload();
    await byTest(admin, 'field-row-skin_type').waitFor();
    expect(await rows.nth(0).getAttribute('data-test')).to.equal('field-row-shoe_size');
    await shot(admin, '04b-field-reordered');
  });

  it('retires 鞋码 after a confirmation naming it; it stays listed, marked 已停用', async () => {
    await byTest(admin, 'field-toggle-shoe_size').click();
    const box = admin.locator('.el-message-box:visible');
    await box.waitFor();
    expect(await box.innerText()).to.contain('鞋码').and.to.contain('shoe_size');
    await admin.locator('.confirm-field-retire').click();
    await byTest(admin, 'field-retired-shoe_size').waitFor();
    expect(await byTest(admin, 'field-toggle-shoe_size').innerText()).to.contain('启用');
    expect(await byTest(admin, 'field-edit-shoe_size').isDisabled()).to.equal(true);
    await shot(admin, '04c-field-retired');
  });

  it('registers a member with 肤质 from 会员列表 → 新建会员, checking the phone first', async () => {
    await openFromMenu(admin, 'members-list', /\/members$/);
    await byTest(admin, 'member-create').click();
    const dialog = byTest(admin, 'member-form');
    await dialog.waitFor();
    await byTest(admin, 'member-form-section-group:皮肤档案').waitFor();
    // A retired field leaves the form.
    expect(await byTest(admin, 'member-form-custom-shoe_size').count()).to.equal(0);

    await byTest(admin, 'member-form-name').fill('林晓雨');
    await byTest(admin, 'member-form-phone').fill('1391234');
    await byTest(admin, 'member-form-submit').click();
    const phoneError = itemError(admin, 'member-form-phone');
    await phoneError.waitFor();
    expect(await phoneError.innerText()).to.equal('请输入 11 位中国大陆手机号');

    await byTest(admin, 'member-form-phone').fill(PHONE);
    await pickOption(admin, '[data-test="member-form-homeStoreId"]', 'S001');
    await pickOption(admin, '[data-test="member-form-custom-skin_type"] .el-select', '油性');
    await shot(admin, '05-member-form');
    await byTest(admin, 'member-form-submit').click();
    await dialog.waitFor({ state: 'hidden' });
    await byTest(admin, 'member-table').getByText('林晓雨').waitFor();
  });

  it('filters the list by the searchable 肤质, kept in the URL', async () => {
    await byTest(admin, 'member-filter-more').click();
    await pickOption(admin, '[data-test="member-filter-custom-skin_type"]', '油性');
    await clickAndList(admin, 'member-search');
    await admin.waitForURL(/custom\.skin_type=oily/);
    await byTest(admin, 'member-table').getByText('林晓雨').waitFor();
    await shot(admin, '05b-custom-filter');

    // Saved as a view, the filter comes back from 我的视图 after the list was reset.
    await byTest(admin, 'member-views').click();
    await byTest(admin, 'member-view-save').click();
    await admin.locator('.el-message-box input').fill('油性皮肤会员');
    await admin.locator('.el-message-box').getByRole('button', { name: '保存' }).click();
    await admin.locator('.el-message', { hasText: '已保存视图“油性皮肤会员”' }).waitFor();
    await admin.goto(`${server.url}/members`);
    await byTest(admin, 'member-views').click();
    await byTest(admin, 'member-view-油性皮肤会员').click();
    await admin.waitForURL(/custom\.skin_type=oily/);
    await byTest(admin, 'member-table').getByText('林晓雨').waitFor();
    await shot(admin, '05c-saved-view');

    await pickOption(admin, '[data-test="member-filter-custom-skin_type"]', '干性');
    await clickAndList(admin, 'member-search');
    await admin.waitForURL(/custom\.skin_type=dry/);
    await byTest(admin, 'member-empty').getByText('没有符合条件的会员').waitFor();
    await byTest(admin, 'member-empty').getByRole('button', { name: '清空筛选条件' }).click();
    await admin.waitForURL((url) => url.pathname === '/members' && url.search === '');
    await byTest(admin, 'member-table').getByText('林晓雨').waitFor();
  });

  it('offers the existing member when the same phone number is registered again', async () => {
    await byTest(admin, 'member-create').click();
    const dialog = byTest(admin, 'member-form');
    await dialog.waitFor();
    await byTest(admin, 'member-form-name').fill('林晓雨二号');
    await byTest(admin, 'member-form-phone').fill(PHONE);
    await pickOption(admin, '[data-test="member-form-homeStoreId"]', 'S001');
    await byTest(admin, 'member-form-submit').click();
    await byTest(admin, 'member-form-phone-taken').waitFor();
    expect(await itemError(admin, 'member-form-phone').innerText()).to.contain('该手机号已是会员');
    await shot(admin, '06-phone-taken');
    await byTest(admin, 'member-form-open-existing').click();
    await dialog.waitFor({ state: 'hidden' });
    await admin.waitForURL(/\/members\/\d+$/);
    expect(await byTest(admin, 'member-header-name').innerText()).to.equal('林晓雨');
    await admin.goBack();
    await admin.waitForURL(/\/members$/);
    await byTest(admin, 'member-table').getByText('林晓雨').waitFor();
  });

  it('finds the member by the phone number, and opens the 360 page showing 肤质', async () => {
    await byTest(admin, 'member-filter-keyword').fill(PHONE);
    await clickAndList(admin, 'member-search');
    await admin.waitForURL(/keyword=13912345678/);
    const rows = byTest(admin, 'member-table').locator('.el-table__row');
    await rows.first().getByText('林晓雨').waitFor();
    expect(await rows.count()).to.equal(1);
    expect(await rows.first().innerText()).to.contain(PHONE).and.to.contain('正常');
    await shot(admin, '07-found-by-phone');

    await rows.first().click();
    await admin.waitForURL(/\/members\/\d+/);
    memberUrl = new URL(admin.url()).pathname;
    const header = byTest(admin, 'member-header');
    await header.waitFor();
    expect(await byTest(admin, 'member-header-name').innerText()).to.equal('林晓雨');
    expect(await byTest(admin, 'member-header-phone').innerText()).to.equal(PHONE);
    expect(await byTest(admin, 'member-header-status').innerText()).to.equal('正常');
    expect((await byTest(admin, 'member-header-card').innerText()).trim()).to.match(/^\d+$/);
    expect(await byTest(admin, 'member-profile-value-custom.skin_type').innerText()).to.equal('油性');
    expect(await admin.locator('.el-breadcrumb').innerText()).to.contain('会员列表').and.to.contain('会员详情');
    await shot(admin, '08-member-360');
    await byTest(admin, 'member-profile-group:皮肤档案').screenshot({ path: path.join(ARTIFACTS, 'members-08b-member-360-custom.png'), animations: 'disabled' });

    await admin.locator('.el-tabs__item', { hasText: '动态' }).click();
    const activity = byTest(admin, 'member-activity');
    await activity.waitFor();
    expect(await activity.innerText()).to.contain('登记');
    await shot(admin, '09-member-activity');

    await admin.locator('.el-tabs__item', { hasText: '消费记录' }).click();
    await byTest(admin, 'member-empty-orders').getByText('暂无消费记录').waitFor();
  });

  it('edits the member, sending only what changed, and the activity shows 肤质: 油性 → 干性', async () => {
    await byTest(admin, 'member-edit').click();
    const dialog = byTest(admin, 'member-form');
    await dialog.waitFor();
    expect(await byTest(admin, 'member-form-name').inputValue()).to.equal('林晓雨');
    const patches: string[] = [];
    admin.on('request', (request) => {
      if (request.method() === 'PATCH') patches.push(request.postData() ?? '');
    });
    await pickOption(admin, '[data-test="member-form-custom-skin_type"] .el-select', '干性');
    await byTest(admin, 'member-form-nickname').fill('小雨');
    await shot(admin, '09b-member-edit');
    await byTest(admin, 'member-form-submit').click();
    await dialog.waitFor({ state: 'hidden' });
    await admin.locator('.el-tabs__item', { hasText: '资料' }).click();
    await admin.locator('[data-test="member-profile-value-custom.skin_type"]', { hasText: '干性' }).waitFor();
    expect(patches).to.have.length(1);
    expect(JSON.parse(patches[0])).to.deep.equal({ nickname: '小雨', custom: { skin_type: 'dry' } });

    await admin.locator('.el-tabs__item', { hasText: '动态' }).click();
    const change = byTest(admin, 'member-activity-diff-custom.skin_type').first();
    await change.waitFor();
    expect((await change.innerText()).replace(/\s+/g, ' ')).to.contain('肤质').and.to.contain('油性').and.to.contain('干性');
    await shot(admin, '09c-member-edited-activity');
  });

  it('freezes the member after a confirmation naming them and asking why, and unfreezes them', async () => {
    await byTest(admin, 'member-freeze').click();
    const dialog = byTest(admin, 'member-reason-freeze');
    await dialog.waitFor();
    expect(await dialog.innerText()).to.contain('林晓雨').and.to.contain('8000');
    await byTest(admin, 'member-reason-confirm').click();
    await dialog.getByText('请填写原因').waitFor();
    await byTest(admin, 'member-reason-input').fill('会员卡挂失');
    await shot(admin, '12-freeze-reason');
    await byTest(admin, 'member-reason-confirm').click();
    await dialog.waitFor({ state: 'hidden' });
    await admin.locator('[data-test="member-header-status"]', { hasText: '已冻结' }).waitFor();
    expect(await byTest(admin, 'member-header-frozen-reason').innerText()).to.contain('会员卡挂失');
    await shot(admin, '13-frozen');

    await byTest(admin, 'member-freeze').click();
    const unfreeze = byTest(admin, 'member-reason-unfreeze');
    await unfreeze.waitFor();
    await byTest(admin, 'member-reason-confirm').click();
    await unfreeze.waitFor({ state: 'hidden' });
    await admin.locator('[data-test="member-header-status"]', { hasText: '正常' }).waitFor();
  });

  it('records an SMS marketing consent given at the counter, with its history', async () => {
    await byTest(admin, 'member-consents').click();
    const tab = byTest(admin, 'member-consents-tab');
    await tab.waitFor();
    await pickOption(admin, '[data-test="member-consent-source"]', '门店柜台');
    await byTest(admin, 'member-consent-sms').click();
    const history = byTest(admin, 'member-consent-history').locator('.el-table__row');
    await history.first().waitFor();
    expect(await history.first().innerText()).to.contain('短信').and.to.contain('同意').and.to.contain('门店柜台');
    await shot(admin, '14-consents');
  });

  it('shows the phone masked to a cashier of the same store, with no way to reveal it', async () => {
    const cashier = await newPage();
    await submitLogin(cashier, 'cashier1', DEMO_PASSWORD);
    await cashier.waitForURL((url) => url.pathname === '/');
    await byTest(cashier, 'home-welcome').waitFor();
    expect(await byTest(cashier, 'menu-system-member-fields').count()).to.equal(0);

    await openFromMenu(cashier, 'members-list', /\/members$/);
    await byTest(cashier, 'member-filter-keyword').fill(PHONE);
    await clickAndList(cashier, 'member-search');
    await cashier.waitForURL(/keyword=13912345678/);
    const row = byTest(cashier, 'member-table').locator('.el-table__row').first();
    await row.getByText('139****5678').waitFor();
    expect(await row.innerText()).to.not.contain(PHONE);
    await shot(cashier, '10-cashier-list');

    await cashier.goto(`${server.url}${memberUrl}`);
    await byTest(cashier, 'member-header').waitFor();
    expect(await byTest(cashier, 'member-header-phone').innerText()).to.equal('139****5678');
    expect(await byTest(cashier, 'member-reveal-phone').count()).to.equal(0);
    expect(await byTest(cashier, 'member-profile-reveal-phone').count()).to.equal(0);
    expect(await byTest(cashier, 'member-profile-value-phone').innerText()).to.equal('139****5678');
    expect(await byTest(cashier, 'member-profile-value-custom.skin_type').innerText()).to.equal('干性');
    for (const action of ['member-freeze', 'member-export', 'member-erase-open']) {
      expect(await byTest(cashier, action).isVisible(), action).to.equal(false);
    }
    await shot(cashier, '11-cashier-360');
    await cashier.context().close();
  });

  it('lets a store manager, who sees the phone masked, reveal it for a reason', async () => {
    const manager = await newPage();
    await submitLogin(manager, 'manager1', DEMO_PASSWORD);
    await manager.waitForURL((url) => url.pathname === '/');
    await manager.goto(`${server.url}${memberUrl}`);
    await byTest(manager, 'member-header').waitFor();
    expect(await byTest(manager, 'member-header-phone').innerText()).to.equal('139****5678');
    await byTest(manager, 'member-reveal-phone').click();
    const dialog = byTest(manager, 'member-reason-reveal');
    await dialog.waitFor();
    expect(await dialog.innerText()).to.contain('林晓雨').and.to.contain('手机号');
    await byTest(manager, 'member-reason-input').fill('会员来电核对身份');
    await shot(manager, '15-reveal-reason');
    await byTest(manager, 'member-reason-confirm').click();
    await dialog.waitFor({ state: 'hidden' });
    await manager.locator('[data-test="member-header-phone"]', { hasText: PHONE }).waitFor();
    expect(await byTest(manager, 'member-reveal-phone').count()).to.equal(0);
    expect(await byTest(manager, 'member-profile-value-phone').innerText()).to.equal(PHONE);
    await shot(manager, '16-revealed');
    await manager.context().close();
  });

  it('exports a copy of the personal data, then erases it after the card number is typed', async () => {
    await admin.goto(`${server.url}${memberUrl}`);
    await byTest(admin, 'member-header').waitFor();
    const [download] = await Promise.all([admin.waitForEvent('download'), byTest(admin, 'member-export').click()]);
    const saved = path.join(ARTIFACTS, `members-${download.suggestedFilename()}`);
    await download.saveAs(saved);
    const copy = JSON.parse(fs.readFileSync(saved, 'utf8')) as { profile: Record<string, unknown> };
    expect(copy.profile.phone).to.equal(PHONE);

    const cardNo = (await byTest(admin, 'member-header-card').innerText()).trim();
    await byTest(admin, 'member-erase-open').click();
    const dialog = byTest(admin, 'member-erase');
    await dialog.waitFor();
    expect(await dialog.innerText()).to.contain('林晓雨').and.to.contain(cardNo);
    await byTest(admin, 'member-erase-card').fill('8000000000');
    expect(await byTest(admin, 'member-erase-confirm').isDisabled()).to.equal(true);
    await byTest(admin, 'member-erase-card').fill(cardNo);
    await byTest(admin, 'member-erase-reason').fill('会员依法申请删除个人信息');
    await shot(admin, '17-erase');
    await byTest(admin, 'member-erase-confirm').click();
    await dialog.waitFor({ state: 'hidden' });
    await admin.locator('[data-test="member-header-status"]', { hasText: '已删除' }).waitFor();
    expect(await byTest(admin, 'member-header-phone').innerText()).to.not.contain('5678');
    expect(await byTest(admin, 'member-erase-open').count()).to.equal(0);
    await shot(admin, '18-erased');
  });

  it('reads in English too', async () => {
    await byTest(admin, 'lang-switch').click();
    await byTest(admin, 'lang-en').click();
    await admin.locator('[data-test="member-header-status"]', { hasText: 'Erased' }).waitFor();
    await shot(admin, '19-erased-en');
    await openFromMenu(admin, 'members-list', /\/members$/);
    // Erased members leave the list unless asked for by status.
    await byTest(admin, 'member-table').locator('.el-table__row').first().waitFor();
    expect(await byTest(admin, 'member-table').innerText()).to.contain('Card number').and.to.not.contain('Personal data erased');
    expect(await byTest(admin, 'member-filter-keyword').getAttribute('placeholder')).to.equal('Phone / last 4 / card no. / name');
    await byTest(admin, 'member-filter-more').click();
    await shot(admin, '20-list-en');
    await openFromMenu(admin, 'system-member-fields', /\/system\/member-fields/);
    await byTest(admin, 'field-edit-skin_type').click();
    await byTest(admin, 'field-form').waitFor();
    await shot(admin, '21-field-edit-en');
  });
});
