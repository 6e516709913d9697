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

  const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

  it('sends a visitor to the login page', async () => {
    await page.goto(`${server.url}/`);
    await page.waitForURL(/\/login/);
    await page.getByTestId('login-username').waitFor();
    expect(await page.title()).to.contain('会籍');
    await shot('01-login');
  });

  it('shows the server’s message for a wrong password', async () => {
    await page.getByTestId('login-username').locator('input').fill('admin');
    await page.getByTestId('login-password').locator('input').fill('Wrong#Password1');
    await page.getByTestId('login-submit').click();
    const error = page.getByTestId('login-error');
    await error.waitFor();
    expect(await error.innerText()).to.contain('用户名或密码错误');
  });

  it('logs in with the printed password, never sending it in clear, and forces a password change', async () => {
    await page.getByTestId('login-password').locator('input').fill(printedPassword);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/change-password/);
    await page.getByTestId('cp-current').waitFor();
    for (const body of loginBodies) {
      expect(body).to.contain('"encrypted"');
      expect(body).to.not.contain(printedPassword);
    }
    await shot('02-change-password');
  });

  it('changes the password and arrives at the home page with the menu the permissions allow', async () => {
    await page.getByTestId('cp-current').locator('input').fill(printedPassword);
    await page.getByTestId('cp-new').locator('input').fill(NEW_PASSWORD);
    await page.getByTestId('cp-confirm').locator('input').fill(NEW_PASSWORD);
    await page.getByTestId('cp-submit').click();
    await page.waitForURL((url) => url.pathname === '/');
    const welcome = page.getByTestId('home-welcome');
    await welcome.waitFor();
    expect(await welcome.innerText()).to.contain('系统管理员');
    await page.getByTestId('menu-system-info').waitFor();
    await page.waitForLoadState('networkidle');
    await shot('03-home');
    expect(fs.existsSync(path.join(server.dataDir, 'data', 'initial-admin-password'))).to.equal(false);
  });

  it('opens the system information page from the menu', async () => {
    await page.getByTestId('menu-system-info').click();
    await page.waitForURL(/\/system\/info/);
    await page.getByText('sqlite', { exact: false }).first().waitFor();
    await shot('04-system-info');
  });

  it('shows a 404 page for an unknown console route', async () => {
    await page.goto(`${server.url}/no/such/page`);
    await page.getByText('404').first().waitFor();
  });
});
