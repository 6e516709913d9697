import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { keyFingerprint } from '../../server/src/platform/backup/index.js';
import { ARTIFACTS, VIEWPORT, consoleSession } from '../support/console-session.js';
import type { ServerProcess } from '../support/server-process.js';

const BOOTSTRAP_PASSWORD = 'Start#Backup2026';
const ADMIN_PASSWORD = 'Huiji#Backup2026';

interface Overview {
  settings: { dir: string };
  items: Array<{ name: string; verification: { state: string } }>;
}

/**
 * 系统 > 备份 on a fresh install: first the warning that there is no backup public key
 * (with the commands that make one) and no way to start; once the key is in place, 立即备份
 * shows the job's progress until the backup is listed, whole, with its key file, and the
 * help says how to verify it with the private key. The `it`s build on each other.
 */
describe('backups in the console', function () {
  this.timeout(120_000);
  let server: ServerProcess;
  let page: Page;
  const session = consoleSession('backups', BOOTSTRAP_PASSWORD);
  const { byTest, settled, toast, api } = session;
  before(() => ({ server, page } = session));

  const { publicKey } = crypto.generateKeyPairSync('rsa', {
    modulusLength: 3072,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });

  /** The console scrolls inside its main area: the viewport grows to the page's height for the picture, then shrinks back. */
  const shot = async (name: string, wait = true) => {
    if (wait) await settled();
    const height = await page.evaluate(() => (document.querySelector('.layout__main')?.scrollHeight ?? 0) + 60);
    if (height > VIEWPORT.height) await page.setViewportSize({ width: VIEWPORT.width, height });
    await page.screenshot({ path: path.join(ARTIFACTS, `backups-${name}.png`), animations: 'disabled' });
    await page.setViewportSize(VIEWPORT);
  };
  const text = async (id: string) => (await byTest(id).innerText()).replace(/\s+/g, ' ').trim();

  it('opens 系统 > 备份 and, with no backup public key yet, says how to make one and offers no backup', async () => {
    await session.signIn(ADMIN_PASSWORD);
    expect(await text('menu-system-backups')).to.equal('备份');
    await byTest('menu-system-backups').click();
    await page.waitForURL(/\/system\/backups/);
    await byTest('backup-key-warning').waitFor();
    const warning = await text('backup-key-warning');
    expect(warning).to.contain('找不到备份公钥').and.contain('npx huiji-installer install').and.contain('bin/huiji backup-key generate --public-out');
    expect(await byTest('backup-start').isDisabled()).to.equal(true);
    expect(await text('backup-empty')).to.contain('请先按上方提示生成备份公钥');
    expect(await text('backup-key')).to.contain('未找到备份公钥');
    expect(await text('backup-copy-to')).to.contain('未设置');
    expect(await text('backup-time')).to.contain('每天 03:30（Asia/Shanghai）');
    await shot('01-no-key');
  });

  it('starts a backup once the key is in place, shows its progress, then lists it as whole with its key file', async () => {
    const keys = path.join(server.dataDir, 'data', 'keys');
    fs.mkdirSync(keys, { recursive: true });
    fs.writeFileSync(path.join(keys, 'backup-public.pem'), publicKey);
    // Data that does not compress keeps the backup busy for a few seconds, long enough to watch its progress.
    fs.mkdirSync(path.join(server.dataDir, 'data', 'exports'), { recursive: true });
    const filler = fs.openSync(path.join(server.dataDir, 'data', 'exports', 'archive.bin'), 'w');
    for (let i = 0; i < 30; i++) fs.writeSync(filler, crypto.randomBytes(16 * 1024 * 1024));
    fs.closeSync(filler);

    await byTest('backups-refresh').click();
    await byTest('backup-key-warning').waitFor({ state: 'detached' });
    const fingerprint = keyFingerprint(publicKey);
    expect((await text('backup-key')).replace(/ /g, '')).to.contain(fingerprint);
    expect(await text('backup-empty')).to.contain('点击「立即备份」做第一份；之后每天 03:30 自动备份');
    await shot('02-empty');

    await byTest('backup-start').click();
    await toast('已开始备份');
    await byTest('backup-running').waitFor();
    expect(await byTest('backup-start').isDisabled()).to.equal(true);
    await page.waitForFunction(() => Number(document.querySelector('[data-test="backup-progress"]')?.getAttribute('aria-valuenow') ?? 0) > 0);
    expect(await text('backup-running')).to.match(/备份中.*开始于 \d{4}-\d\d-\d\d \d\d:\d\d/);
    await shot('03-running', false);

    await byTest('backup-running').waitFor({ state: 'detached', timeout: 90_000 });
    const { items, settings } = await api<Overview>('GET', '/api/v1/system/backups');
    expect(items).to.have.length(1);
    const [backup] = items;
    await toast(`备份完成：${backup.name}`);
    await byTest(`backup-row-${backup.name}`).waitFor();
    expect(await text(`backup-state-${backup.name}`)).to.equal('结构完整');
    expect(await text(`backup-keyfile-${backup.name}`)).to.equal('.hjkey 齐全');
    expect(await byTest('backup-start').isDisabled()).to.equal(false);
    expect(await text('backup-verify-command')).to.equal(
      `npx huiji-installer verify-backup --file ${settings.dir}/${backup.name} --private-key /path/to/backup-private.pem`,
    );
    expect(await text('backup-help')).to.contain('控制台不提供下载');
    expect(fs.existsSync(path.join(settings.dir, backup.name.replace(/\.hjbak$/, '.hjkey')))).to.equal(true);
    await shot('04-listed');
  });

  it('reads the same page in English', async () => {
    await page.evaluate(() => window.localStorage.setItem('huiji.locale', 'en'));
    await page.reload();
    await byTest('backup-table').waitFor();
    await settled();
    expect(await text('menu-system-backups')).to.equal('Backups');
    expect(await page.locator('h1').first().innerText()).to.equal('Backups');
    const { items } = await api<Overview>('GET', '/api/v1/system/backups');
    expect(await text(`backup-state-${items[0].name}`)).to.equal('Structure whole');
    await shot('05-english');
    await page.evaluate(() => window.localStorage.setItem('huiji.locale', 'zh-CN'));
  });
});
