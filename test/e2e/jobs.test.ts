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
const DEMO_PASSWORD = 'Demo#Jobs2026';
const VIEWPORT = { width: 1366, height: 800 };

/**
 * The 任务 page for IT (the scheduled audit jobs: run now, disable, enable, the event log)
 * and 我的任务 for everyone (an auditor's background export, downloaded when done), on the
 * demo staff that `npm run seed:demo` creates.
 */
describe('background jobs and my tasks in the console', function () {
  this.timeout(60_000);
  let dataDir: string;
  let server: ServerProcess;
  let browser: Browser;

  before(async () => {
    expect(fs.existsSync(path.join(PROJECT_ROOT, 'dist', 'admin-web', 'index.html')), 'the console is built').to.equal(true);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'huiji-jobs-e2e-'));
    const seeded = await runCli(
      'server/src/cli/seed-demo.ts',
      ['--yes', '--stores', '2', '--staff-per-store', '2'],
      { HUIJI_DATA_DIR: path.join(dataDir, 'data'), HUIJI_DEMO_PASSWORD: DEMO_PASSWORD },
      dataDir,
    );
    expect(seeded.code, seeded.stderr).to.equal(0);
    server = await startServerProcess({ HUIJI_AUDIT_SEAL_INTERVAL_SECONDS: '5' }, dataDir);
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
    on.screenshot({ path: path.join(ARTIFACTS, `jobs-${name}.png`), fullPage: true, animations: 'disabled' });

  /** A demo account (no password change required) in a browser context of its own. */
  async function signIn(username: string): Promise<Page> {
    const context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN', acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await byTest(page, 'login-username').fill(username);
    await byTest(page, 'login-password').fill(DEMO_PASSWORD);
    await byTest(page, 'login-submit').click();
    await page.waitForURL((url) => url.pathname === '/');
    await byTest(page, 'home-welcome').waitFor();
    return page;
  }

  async function openFromMenu(page: Page, key: string, url: RegExp): Promise<void> {
    await byTest(page, `menu-${key}`).click();
    await page.waitForURL(url);
    await page.waitForLoadState('networkidle');
  }

  /** The open confirmation box: checks it names the object, then presses its confirm button. */
  async function confirm(page: Page, testId: string, names: string): Promise<void> {
    const box = page.locator('.el-message-box:visible');
    await box.waitFor();
    expect(await box.innerText()).to.contain(names);
    await page.locator(`.confirm-${testId}`).click();
    await box.waitFor({ state: 'hidden' });
  }

  describe('the 任务 page, for IT', () => {
    let page: Page;

    before(async () => {
      page = await signIn('itops1');
    });

    it('lists the audit jobs with their schedules, and the export as started by an action', async () => {
      await openFromMenu(page, 'system-jobs', /\/system\/jobs/);
      await byTest(page, 'job-audit.checkpoint').waitFor();
      const schedules = {
        'audit.seal': '5 seconds',
        'audit.checkpoint': '60 minutes',
        'audit.purge': '30 3 * * *',
        'audit.export': '由操作触发',
      };
      for (const [name, schedule] of Object.entries(schedules)) {
        expect((await byTest(page, `job-schedule-${name}`).innerText()).trim(), name).to.equal(schedule);
      }
      expect(await byTest(page, 'job-audit.checkpoint').innerText()).to.contain('签名操作日志检查点');
      expect(await byTest(page, 'job-audit.seal').innerText()).to.contain('封存操作日志');
      // Jobs that an action starts have no schedule to run early, pause or resume.
      expect(await byTest(page, 'job-run-audit.export').count()).to.equal(0);
      expect(await byTest(page, 'job-toggle-audit.export').count()).to.equal(0);
      // This server runs its jobs itself: no note about worker processes.
      expect(await byTest(page, 'jobs-worker-note').count()).to.equal(0);
      await shot(page, '01-jobs');
    });

    it('runs 签名操作日志检查点 now after a confirmation, and its log shows the run succeeded', async () => {
      await byTest(page, 'job-run-audit.checkpoint').click();
      await shot(page, '02-run-confirm');
      await confirm(page, 'job-run', '签名操作日志检查点');

      await byTest(page, 'job-logs-audit.checkpoint').click();
      const drawer = byTest(page, 'job-logs');
      await drawer.waitFor();
      expect(await drawer.innerText()).to.contain('签名操作日志检查点');
      // The drawer refreshes by itself while the run finishes.
      await drawer.locator('[data-test="job-log-event-success"]').first().waitFor({ timeout: 20_000 });
      expect(await drawer.locator('[data-test="job-log-event-success"]').first().innerText()).to.equal('成功');
      await shot(page, '03-job-log');
      await page.keyboard.press('Escape');
      await drawer.waitFor({ state: 'hidden' });
    });

    it('disables a job and enables it again, each after a confirmation naming it', async () => {
      const toggle = byTest(page, 'job-toggle-audit.purge');
      expect((await toggle.innerText()).trim()).to.equal('停用');
      await toggle.click();
      await confirm(page, 'job-disable', '清理过期操作日志');
      await byTest(page, 'job-disabled-audit.purge').waitFor();
      await page.locator('[data-test="job-toggle-audit.purge"]', { hasText: '启用' }).waitFor();
      expect(await byTest(page, 'job-run-audit.purge').isDisabled()).to.equal(true);
      await shot(page, '04-job-disabled');

      await toggle.click();
      await confirm(page, 'job-enable', '清理过期操作日志');
      await byTest(page, 'job-disabled-audit.purge').waitFor({ state: 'hidden' });
      await page.locator('[data-test="job-toggle-audit.purge"]', { hasText: '停用' }).waitFor();
      expect(await byTest(page, 'job-run-audit.purge').isDisabled()).to.equal(false);
    });
  });

  describe('我的任务, for everyone', () => {
    it('exports the audit log in the background for an auditor, who downloads the file and finds it in 我的任务', async () => {
      const page = await signIn('auditor1');
      expect(await byTest(page, 'menu-system-jobs').count()).to.equal(0);
      await openFromMenu(page, 'audit-logs', /\/audit\/logs/);
      await byTest(page, 'audit-export').click();

      const panel = byTest(page, 'audit-export-task');
      await panel.waitFor();
      expect(await panel.innerText()).to.contain('导出操作日志').and.to.contain('我的任务');
      const done = panel.locator('[data-status="succeeded"]');
      await done.waitFor({ timeout: 20_000 });
      const button = panel.locator('[data-test^="task-download-"]');
      await button.waitFor();
      await shot(page, '05-audit-export-done');

      const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
      const filename = download.suggestedFilename();
      expect(filename).to.match(/\.xlsx$/);
      expect(await panel.innerText()).to.contain(filename);
      const saved = path.join(ARTIFACTS, `jobs-${filename}`);
      await download.saveAs(saved);
      expect(fs.statSync(saved).size).to.be.greaterThan(0);

      await byTest(page, 'layout-tasks').click();
      const drawer = byTest(page, 'my-tasks');
      await drawer.waitFor();
      const task = drawer.locator('[data-status="succeeded"]', { hasText: filename });
      await task.waitFor();
      expect(await task.innerText()).to.contain('导出操作日志').and.to.contain('已完成');
      await shot(page, '06-my-tasks');
    });

    it('keeps the 任务 menu from a cashier, who still reaches 我的任务', async () => {
      const page = await signIn('cashier1');
      await byTest(page, 'menu-system-stores').waitFor();
      expect(await byTest(page, 'menu-system-jobs').count()).to.equal(0);
      await byTest(page, 'layout-tasks').click();
      const drawer = byTest(page, 'my-tasks');
      await drawer.waitFor();
      await drawer.getByText('还没有后台任务').waitFor();
      await shot(page, '07-cashier-my-tasks');
      await page.keyboard.press('Escape');
      await drawer.waitFor({ state: 'hidden' });

      await page.goto(`${server.url}/system/jobs`);
      await byTest(page, 'page-403').waitFor();
      expect(await byTest(page, 'jobs-table').count()).to.equal(0);
    });
  });
});
