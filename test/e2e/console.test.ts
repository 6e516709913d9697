import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../server/src/platform/paths.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

const ARTIFACTS = path.join(PROJECT_ROOT, 'test', 'artifacts');
const CHROMIUM = process.env.HUIJI_CHROMIUM ?? '/usr/bin/chromium';
const NEW_PASSWORD = 'Huiji#Console2026';

describe('the console in a browser', function () {
  this.timeout(60_000);
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  let printedPassword: string;
  const loginBodies: string[] = [];

  before(async () => {
    expect(fs.existsSync(path.join(PROJECT_ROOT, 'dist', 'admin-web', 'index.html')), 'the console is built').to.equal(true);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    server = await startServerProcess();
    await server.waitForReady();
    printedPassword = /password \/ 初始密码: (\S+)/.exec(server.stdout())?.[1] ?? '';
    expect(printedPassword).to.have.length(16);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 1366, height: 800 }, locale: 'zh-CN' });
    page.on('request', (request) => {
      if (request.url().endsWith('/api/v1/auth/login')) loginBodies.push(request.postData() ?? '');
    });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  // Element Plus passes data-test through to the <input> itself, so one selector fits both.
  const byTest = (id: string) => page.locator(`[data-test="${id}"]`);
  const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

  it('sends a visitor to the login page', async () => {
    await page.goto(`${server.url}/`);
    await page.waitForURL(/\/login/);
    await byTest('login-username').waitFor();
    expect(await page.title()).to.contain('会籍');
    await shot('01-login');
  });

  it('shows the server’s message for a wrong password', async () => {
    await byTest('login-username').fill('admin');
    await byTest('login-password').fill('Wrong#Password1');
    await byTest('login-submit').click();
    const error = byTest('login-error');
    await error.waitFor();
    expect(await error.innerText()).to.contain('用户名或密码错误');
  });

  it('logs in with the printed password, never sending it in clear, and forces a password change', async () => {
    await byTest('login-password').fill(printedPassword);
    await byTest('login-submit').click();
    await page.waitForURL(/\/change-password/);
    await byTest('cp-current').waitFor();
    for (const body of loginBodies) {
      expect(body).to.contain('"encrypted"');
      expect(body).to.not.contain(printedPassword);
    }
    await shot('02-change-password');
  });

  it('changes the password and arrives at the home page with the menu the permissions allow', async () => {
    await byTest('cp-current').fill(printedPassword);
    await byTest('cp-new').fill(NEW_PASSWORD);
    await byTest('cp-confirm').fill(NEW_PASSWORD);
    await byTest('cp-submit').click();
    await page.waitForURL((url) => url.pathname === '/');
    const welcome = byTest('home-welcome');
    await welcome.waitFor();
    expect(await welcome.innerText()).to.contain('系统管理员');
    await byTest('menu-system-info').waitFor();
    await page.waitForLoadState('networkidle');
    await shot('03-home');
    expect(fs.existsSync(path.join(server.dataDir, 'data', 'initial-admin-password'))).to.equal(false);
  });

  it('opens the system information page from the menu', async () => {
    await byTest('menu-system-info').click();
    await page.waitForURL(/\/system\/info/);
    await page.getByText('sqlite', { exact: false }).first().waitFor();
    await shot('04-system-info');
  });

  it('shows a 404 page for an unknown console route', async () => {
    await page.goto(`${server.url}/no/such/page`);
    await byTest('page-404').waitFor();
  });
});
