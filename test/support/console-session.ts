import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../server/src/platform/paths.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

export const ARTIFACTS = path.join(PROJECT_ROOT, 'test', 'artifacts');
export const VIEWPORT = { width: 1366, height: 860 };
const CHROMIUM = process.env.HUIJI_CHROMIUM ?? '/usr/bin/chromium';

export interface ConsoleSession {
  /** set by the `before` hook */
  server: ServerProcess;
  page: Page;
  /** Element Plus passes data-test through to the <input> itself, so one selector fits both. */
  byTest(id: string): Locator;
  /** Waits for every loading mask to go (a table fades its mask out after the rows are in). */
  settled(): Promise<unknown>;
  toast(text: string): Promise<void>;
  /** Types into an el-input-number (whose root carries the data-test) and leaves it, so the model takes the value. */
  typeNumber(testId: string, value: string): Promise<void>;
  /** Signs in as admin with the bootstrap password and sets `password` when asked to change it; the API calls use the session. */
  signIn(password: string): Promise<void>;
  /** The API as the signed-in administrator, with the session the browser holds; a failure fails the test. */
  api<T>(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<T>;
}

/**
 * A browser test of the console, for one `describe`: before it, the built server as a fresh
 * install on a data directory of its own (the first admin's password `bootstrapPassword`)
 * and Debian's chromium with one zh-CN page; after it, all of it gone; after a failed test,
 * a picture of the page as it was (`test/artifacts/<name>-failed-….png`).
 */
export function consoleSession(name: string, bootstrapPassword: string): ConsoleSession {
  let dataDir = '';
  let browser: Browser | undefined;
  let token = '';

  const session: ConsoleSession = {
    server: undefined as unknown as ServerProcess,
    page: undefined as unknown as Page,
    byTest: (id) => session.page.locator(`[data-test="${id}"]`),
    settled: () =>
      session.page.waitForFunction(() =>
        [...document.querySelectorAll<HTMLElement>('.el-loading-mask')].every((mask) => mask.offsetParent === null || getComputedStyle(mask).opacity === '0'),
      ),
    toast: (text) => session.page.locator('.el-message', { hasText: text }).waitFor(),
    async typeNumber(testId, value) {
      const input = session.page.locator(`[data-test="${testId}"] input`);
      await input.fill(value);
      await input.press('Tab');
    },
    async signIn(password) {
      const { page, byTest } = session;
      await page.goto(`${session.server.url}/login`);
      await byTest('login-username').fill('admin');
      await byTest('login-password').fill(bootstrapPassword);
      await byTest('login-submit').click();
      await page.waitForURL(/\/change-password/);
      await byTest('cp-current').fill(bootstrapPassword);
      await byTest('cp-new').fill(password);
      await byTest('cp-confirm').fill(password);
      await byTest('cp-submit').click();
      await page.waitForURL((url) => url.pathname === '/');
      token = (await page.evaluate(() => window.localStorage.getItem('huiji.token'))) ?? '';
      expect(token).to.not.equal('');
    },
    async api<T>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
      const res = await fetch(`${session.server.url}${url}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Accept-Language': 'zh-CN', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      expect(res.ok, `${method} ${url} -> ${res.status} ${text}`).to.equal(true);
      return JSON.parse(text) as T;
    },
  };

  before(async () => {
    expect(fs.existsSync(path.join(PROJECT_ROOT, 'dist', 'admin-web', 'index.html')), 'the console is built').to.equal(true);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `huiji-${name}-e2e-`));
    session.server = await startServerProcess({ HUIJI_BOOTSTRAP_ADMIN_PASSWORD: bootstrapPassword }, dataDir);
    await session.server.waitForReady();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    session.page = await browser.newPage({ viewport: VIEWPORT, locale: 'zh-CN' });
  });

  after(async () => {
    await browser?.close();
    await session.server?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && session.page) {
      const title = this.currentTest.title.slice(0, 40).replace(/[^\w]+/g, '-');
      await session.page.screenshot({ path: path.join(ARTIFACTS, `${name}-failed-${title}.png`), fullPage: true });
    }
  });

  return session;
}
