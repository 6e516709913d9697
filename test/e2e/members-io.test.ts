import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../server/src/platform/paths.js';
import { runCli } from '../support/cli.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

const ARTIFACTS = path.join(PROJECT_ROOT, 'test', 'artifacts');
const CHROMIUM = process.env.HUIJI_CHROMIUM ?? '/usr/bin/chromium';
const DEMO_PASSWORD = 'Demo#Members2026';
const BOOTSTRAP_PASSWORD = 'Start#Members2026';
const VIEWPORT = { width: 1366, height: 800 };
const MASKED_PHONE = /^1\d{2}\*{4}\d{4}$/;
/** The sheet a store manager imports: 联系电话 is not a column name the server knows, so it is matched by hand. */
const SHEET = [
  ['姓名', '联系电话', '性别', '生日'],
  ['导入甲', '16600001111', '女', '1990-05-17'],
  ['导入乙', '16600002222', '男', '1988/3/5'],
  ['坏行丙', '1660000', '男', ''],
];

/** The text of every cell of each worksheet, row by row. */
async function readWorkbook(file: string): Promise<Array<{ name: string; rows: string[][] }>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  return workbook.worksheets.map((sheet) => {
    const rows: string[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((value) => (value === null || value === undefined ? '' : String(value)))));
    return { name: sheet.name, rows };
  });
}

/**
 * Member sheets and registration channels in the console, as the demo store manager
 * (manager1, one store) uses them: 导出 the list (the file as masked as the list), the
 * import template, an import with one bad row (预检, then 只导入正确的行), and a channel
 * whose QR code and public page work. The `it`s build on each other, so they run in order.
 */
describe('member sheets and registration channels in the console', function () {
  this.timeout(90_000);
  let dataDir: string;
  let server: ServerProcess;
  let browser: Browser;
  let manager: Page;

  before(async () => {
    expect(fs.existsSync(path.join(PROJECT_ROOT, 'dist', 'admin-web', 'index.html')), 'the console is built').to.equal(true);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'huiji-members-io-e2e-'));
    const env = { HUIJI_DATA_DIR: path.join(dataDir, 'data'), HUIJI_DEMO_PASSWORD: DEMO_PASSWORD, HUIJI_BOOTSTRAP_ADMIN_PASSWORD: BOOTSTRAP_PASSWORD };
    const seeded = await runCli('server/src/cli/seed-demo.ts', ['--yes', '--stores', '2', '--staff-per-store', '2', '--members', '30'], env, dataDir);
    expect(seeded.code, seeded.stderr).to.equal(0);
    server = await startServerProcess({}, dataDir);
    await server.waitForReady();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN', acceptDownloads: true });
    manager = await context.newPage();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const byTest = (on: Page, id: string) => on.locator(`[data-test="${id}"]`);
  const shot = (on: Page, name: string) =>
    on.screenshot({ path: path.join(ARTIFACTS, `members-io-${name}.png`), fullPage: true, animations: 'disabled' });

  /** A page taller than the window: the console scrolls inside its layout, so the window grows for the shot. */
  async function tallShot(on: Page, name: string, height = 1400): Promise<void> {
    await on.setViewportSize({ width: VIEWPORT.width, height });
    await shot(on, name);
    await on.setViewportSize(VIEWPORT);
  }

  async function openFromMenu(page: Page, key: string, url: RegExp): Promise<void> {
    await byTest(page, `menu-${key}`).click();
    await page.waitForURL(url);
    await page.waitForLoadState('networkidle');
  }

  /** Clicks and saves what the browser downloads, under test/artifacts. */
  async function downloadFrom(page: Page, testId: string): Promise<{ file: string; name: string }> {
    const [download] = await Promise.all([page.waitForEvent('download'), byTest(page, testId).click()]);
    const name = download.suggestedFilename();
    const file = path.join(ARTIFACTS, `members-io-${name}`);
    await download.saveAs(file);
    return { file, name };
  }

  it('exports the list for a store manager, after saying the file is masked as the list; the file arrives through 我的任务', async () => {
    await manager.goto(`${server.url}/login`);
    await byTest(manager, 'login-username').fill('manager1');
    await byTest(manager, 'login-password').fill(DEMO_PASSWORD);
    await byTest(manager, 'login-submit').click();
    await manager.waitForURL((url) => url.pathname === '/');
    await openFromMenu(manager, 'members-list', /\/members$/);
    await byTest(manager, 'member-table').locator('.el-table__row').first().waitFor();

    await byTest(manager, 'member-list-export').click();
    const confirm = byTest(manager, 'member-export-confirm');
    await confirm.waitFor();
    expect(await byTest(manager, 'member-export-masked').innerText()).to.contain('脱敏').and.to.contain('手机号');
    await shot(manager, '01-export-confirm');
    await byTest(manager, 'member-export-start').click();
    await confirm.waitFor({ state: 'hidden' });

    const panel = byTest(manager, 'member-list-export-task');
    await panel.waitFor();
    expect(await panel.innerText()).to.contain('导出会员').and.to.contain('我的任务');
    await panel.locator('[data-status="succeeded"]').waitFor({ timeout: 30_000 });
    await shot(manager, '02-export-done');

    const task = await panel.locator('[data-test^="task-download-"]').getAttribute('data-test');
    const { file, name } = await downloadFrom(manager, task!);
    expect(name).to.match(/^members-.*\.xlsx$/);
    const [sheet] = await readWorkbook(file);
    const phone = sheet.rows[0].indexOf('手机号');
    expect(phone, 'a 手机号 column').to.be.greaterThan(-1);
    const phones = sheet.rows.slice(1).map((row) => row[phone]);
    expect(phones.length).to.be.greaterThan(0);
    for (const value of phones) expect(value).to.match(MASKED_PHONE);

    await byTest(manager, 'member-list-export-open-tasks').click();
    const drawer = byTest(manager, 'my-tasks');
    await drawer.locator('[data-status="succeeded"]', { hasText: name }).waitFor();
    expect(await drawer.innerText()).to.contain('导出会员');
    await shot(manager, '03-my-tasks');
    await manager.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
  });

  it('opens 导入 from the list and downloads the template with the importable columns and how to fill them in', async () => {
    await byTest(manager, 'member-list-import').click();
    await manager.waitForURL(/\/members\/import$/);
    await byTest(manager, 'member-import-upload').waitFor();
    expect(await manager.locator('.el-breadcrumb').innerText()).to.contain('会员列表').and.to.contain('导入会员');
    await shot(manager, '04-import-upload');

    const { file, name } = await downloadFrom(manager, 'member-import-template');
    expect(name).to.equal('会员导入模板.xlsx');
    const [data, help] = await readWorkbook(file);
    expect(data.rows[0]).to.include('手机号').and.to.include('姓名').and.to.include('所属门店');
    expect(help.name).to.equal('填写说明');
  });

  it('uploads a sheet with one bad row, matches 联系电话 to 手机号, checks it, then imports only the correct rows', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('会员');
    for (const row of SHEET) sheet.addRow(row);
    const upload = path.join(ARTIFACTS, 'members-io-upload.xlsx');
    await workbook.xlsx.writeFile(upload);

    await byTest(manager, 'member-import-file').locator('input[type="file"]').setInputFiles(upload);
    await byTest(manager, 'member-import-mapping').waitFor();
    expect(await byTest(manager, 'member-import-file-info').innerText()).to.contain('members-io-upload.xlsx').and.to.contain('共 3 行数据');
    // The server matched 姓名, 性别 and 生日 by name; 联系电话 waits for a hand.
    await byTest(manager, 'member-import-phone-missing').waitFor();
    expect(await byTest(manager, 'member-import-check').isDisabled()).to.equal(true);
    const table = await byTest(manager, 'member-import-mapping-table').innerText();
    expect(table).to.contain('导入甲、导入乙、坏行丙').and.to.contain('16600001111');
    await byTest(manager, 'member-import-map-联系电话').click();
    const phoneOption = manager.locator('.el-select-dropdown__item:visible', { hasText: '手机号' }).first();
    await phoneOption.waitFor();
    await shot(manager, '05a-import-mapping-options');
    await phoneOption.click();
    await byTest(manager, 'member-import-phone-missing').waitFor({ state: 'hidden' });
    await tallShot(manager, '05-import-mapping');

    await byTest(manager, 'member-import-check').click();
    const check = byTest(manager, 'member-import-check-summary');
    await check.waitFor({ timeout: 30_000 });
    // The summary shows before its counts arrive: wait for them rather than read a 0.
    await byTest(manager, 'member-import-check-summary-created').filter({ hasText: '2' }).waitFor({ timeout: 30_000 });
    expect(await byTest(manager, 'member-import-check-summary-created').innerText()).to.contain('2');
    expect(await byTest(manager, 'member-import-check-summary-failed').innerText()).to.contain('1');
    // 全部不导入 (the default) with a bad row would import nothing: the button waits for a choice.
    expect(await byTest(manager, 'member-import-plan').innerText()).to.contain('全部不导入');
    expect(await byTest(manager, 'member-import-start').isDisabled()).to.equal(true);
    await tallShot(manager, '06-import-checked', 1000);

    const report = await downloadFrom(manager, 'member-import-check-report');
    expect(report.name).to.match(/^member-import-check-.*\.xlsx$/);
    const failures = (await readWorkbook(report.file))[1];
    expect(failures.rows).to.have.length(2);
    expect(failures.rows[1].join(' ')).to.contain('坏行丙').and.to.contain('手机号');

    await byTest(manager, 'member-import-run-bad-rows').getByText('只导入正确的行').click();
    expect(await byTest(manager, 'member-import-plan').innerText()).to.contain('将新建 2 位会员').and.to.contain('有错误的 1 行不导入');
    await byTest(manager, 'member-import-start').click();
    const result = byTest(manager, 'member-import-summary');
    await result.waitFor({ timeout: 30_000 });
    expect(await byTest(manager, 'member-import-summary-text').innerText()).to.equal('新建 2，更新 0，跳过 0，失败 1');
    expect(await byTest(manager, 'member-import-outcome').innerText()).to.contain('导入完成');
    await tallShot(manager, '07-import-done', 1000);

    // 我的任务 names the check apart from the import.
    await byTest(manager, 'layout-tasks').click();
    const drawer = byTest(manager, 'my-tasks');
    await drawer.locator('[data-status="succeeded"]', { hasText: '预检会员导入表格' }).waitFor();
    await drawer.locator('[data-status="succeeded"]', { hasText: '新建 2，更新 0，跳过 0，失败 1' }).first().waitFor();
    await shot(manager, '07b-my-tasks-import');
    await manager.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });

    await byTest(manager, 'member-import-to-list').click();
    await manager.waitForURL(/\/members$/);
    const list = byTest(manager, 'member-table');
    await list.getByText('导入甲').waitFor();
    expect(await list.innerText()).to.contain('导入乙').and.to.contain('166****1111').and.to.not.contain('坏行丙');
    await shot(manager, '08-list-after-import');
  });

  it('creates a registration channel, shows its QR code, and its public page names it', async () => {
    await openFromMenu(manager, 'members-channels', /\/members\/channels$/);
    await byTest(manager, 'channel-empty').waitFor();
    await byTest(manager, 'channel-create').click();
    const dialog = byTest(manager, 'channel-form');
    await dialog.waitFor();
    await byTest(manager, 'channel-form-code').fill('Poster-E2E');
    await byTest(manager, 'channel-form-name').fill('春季海报');
    await byTest(manager, 'channel-form-field-gender').click();
    await byTest(manager, 'channel-form-submit').click();
    await dialog.getByText('请填写隐私政策').waitFor();
    await byTest(manager, 'channel-form-privacy').fill('麦香烘焙收集您的手机号、姓名和性别，仅用于会员服务与积分；保存至您注销会员为止。联系电话 020-36409391。');
    await shot(manager, '09-channel-form');
    await byTest(manager, 'channel-form-submit').click();
    await dialog.waitFor({ state: 'hidden' });

    const row = byTest(manager, 'channel-table').locator('.el-table__row', { hasText: 'poster-e2e' });
    await row.waitFor();
    expect(await row.innerText()).to.contain('春季海报').and.to.contain('启用中').and.to.contain('性别');
    await shot(manager, '10-channels');

    await byTest(manager, 'channel-qr-poster-e2e').click();
    const qr = byTest(manager, 'channel-qr');
    await qr.waitFor();
    const image = byTest(manager, 'channel-qr-image');
    await image.waitFor();
    await manager.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('[data-test="channel-qr-image"]');
      return img !== null && img.complete && img.naturalWidth > 0;
    });
    expect(await image.getAttribute('src')).to.match(/^blob:/);
    const url = await byTest(manager, 'channel-qr-url').inputValue();
    expect(url).to.equal(`${server.url}/r/poster-e2e`);
    await shot(manager, '11-channel-qr');
    const png = await downloadFrom(manager, 'channel-qr-png');
    expect(png.name).to.equal('channel-poster-e2e.png');
    expect(fs.readFileSync(png.file).subarray(1, 4).toString()).to.equal('PNG');

    const visitor = await manager.context().newPage();
    await visitor.setViewportSize({ width: 390, height: 844 });
    await visitor.goto(url);
    await visitor.getByText('春季海报').first().waitFor();
    await visitor.screenshot({ path: path.join(ARTIFACTS, 'members-io-12-public-page.png'), fullPage: true });
    await manager.keyboard.press('Escape');
    await qr.waitFor({ state: 'hidden' });

    // Pausing asks first, naming the channel; the page then closes.
    await byTest(manager, 'channel-toggle-poster-e2e').click();
    const box = manager.locator('.el-message-box:visible');
    await box.waitFor();
    expect(await box.innerText()).to.contain('春季海报').and.to.contain('poster-e2e');
    await manager.locator('.confirm-channel-pause').click();
    await manager.locator('[data-test="channel-status-poster-e2e"]', { hasText: '已暂停' }).waitFor();
    const closed = await visitor.goto(url);
    expect(closed?.status()).to.equal(404);
    await visitor.close();
  });

  it('reads in English too', async () => {
    await byTest(manager, 'lang-switch').click();
    await byTest(manager, 'lang-en').click();
    await manager.locator('[data-test="channel-status-poster-e2e"]', { hasText: 'Paused' }).waitFor();
    await shot(manager, '13-channels-en');
    await openFromMenu(manager, 'members-list', /\/members$/);
    await byTest(manager, 'member-list-export').click();
    await byTest(manager, 'member-export-confirm').getByText('Masked fields stay masked').waitFor();
    await shot(manager, '14-export-confirm-en');
    await manager.keyboard.press('Escape');

    await byTest(manager, 'member-list-import').click();
    await byTest(manager, 'member-import-upload').getByText('Download the template').first().waitFor();
    await shot(manager, '15-import-en');
    await byTest(manager, 'member-import-file').locator('input[type="file"]').setInputFiles(path.join(ARTIFACTS, 'members-io-upload.xlsx'));
    await byTest(manager, 'member-import-phone-missing').getByText('Match a column to "Phone"').waitFor();
    await tallShot(manager, '16-import-mapping-en');
  });
});
