import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import dayjs from 'dayjs';
import type { Page } from 'playwright-core';
import { ARTIFACTS, VIEWPORT, consoleSession } from '../support/console-session.js';
import type { ServerProcess } from '../support/server-process.js';

const BOOTSTRAP_PASSWORD = 'Start#Tiers2026';
const ADMIN_PASSWORD = 'Huiji#Tiers2026';

interface Texts {
  zh: string;
  en: string;
}

interface MemberTierView {
  tier: { id: number; name: string };
  manual: boolean;
  texts: { status: Texts; keep: Texts | null; next: Texts | null };
}

interface TierConfigView {
  tiers: { id: number; name: string; level: number; discountRate: number; memberCount: number }[];
}

/**
 * 会员等级 end to end, on a fresh install with one store and three members who spent
 * ¥2,300, ¥520 and nothing: the administrator sets up 银卡 (9.5折) and 金卡 (9折) above the
 * suggested base level, reads the worked examples, simulates the change (two members move
 * up) and publishes it with the numbers in the confirmation; the applied counts equal the
 * simulation's. On a member's page the header shows the tier with what it takes next, the
 * 等级 tab explains it and lists the change with its numbers; a change by hand with a reason
 * joins the history. Then the pages in English. The `it`s build on each other.
 */
describe('tiers in the console', function () {
  this.timeout(120_000);
  let server: ServerProcess;
  let page: Page;
  let storeId = 0;
  const members: Record<'gold' | 'silver' | 'base', number> = { gold: 0, silver: 0, base: 0 };
  const session = consoleSession('tiers', BOOTSTRAP_PASSWORD);
  const { byTest, settled, toast, typeNumber, api } = session;
  before(() => ({ server, page } = session));

  /** The console scrolls inside its main area: the viewport grows to the page's height for the picture, then shrinks back. */
  const shot = async (name: string) => {
    await settled();
    const height = await page.evaluate(() => (document.querySelector('.layout__main')?.scrollHeight ?? 0) + 60);
    if (height > VIEWPORT.height) await page.setViewportSize({ width: VIEWPORT.width, height });
    // ECharts draws its bars growing on a canvas, which the screenshot's animation switch does not reach.
    if (await page.locator('canvas').count()) await page.waitForTimeout(1_200);
    await page.screenshot({ path: path.join(ARTIFACTS, `tiers-${name}.png`), animations: 'disabled' });
    await page.setViewportSize(VIEWPORT);
  };
  const text = async (id: string) => (await byTest(id).innerText()).replace(/\s+/g, ' ').trim();

  async function spend(memberId: number, fen: number): Promise<void> {
    await api(
      'POST',
      '/api/v1/orders',
      { memberId, storeId, items: [{ sku: 'S001', name: '会员套餐', quantity: 1, unitPrice: fen }], payments: [{ method: 'cash', amount: fen }] },
      { 'Idempotency-Key': randomUUID() },
    );
  }

  async function addLevel(values: { name: string; entry: string; keep: string; zhe: string; times: string; birthday?: string }): Promise<void> {
    await byTest('tier-add').click();
    const dialog = byTest('tier-level-dialog');
    await dialog.waitFor();
    await byTest('tier-level-name').fill(values.name);
    await typeNumber('tier-level-entry', values.entry);
    await typeNumber('tier-level-retention', values.keep);
    await typeNumber('tier-level-discount', values.zhe);
    await typeNumber('tier-level-multiplier', values.times);
    if (values.birthday) {
      await byTest('tier-level-birthdayTemplateId').click();
      await page.locator('.el-select-dropdown__item:visible', { hasText: values.birthday }).click();
    }
    await byTest('tier-level-submit').click();
    await dialog.waitFor({ state: 'hidden' });
  }

  it('seeds a store, three members who spent ¥2,300, ¥520 and nothing, and a birthday coupon template', async () => {
    await session.signIn(ADMIN_PASSWORD);

    storeId = (await api<{ id: number }>('POST', '/api/v1/stores', { code: 'SH201', name: '徐汇店' })).id;
    members.gold = (await api<{ id: number }>('POST', '/api/v1/members', { name: '王芳', phone: '13700001111', homeStoreId: storeId })).id;
    members.silver = (await api<{ id: number }>('POST', '/api/v1/members', { name: '李思远', phone: '13900002222', homeStoreId: storeId })).id;
    members.base = (await api<{ id: number }>('POST', '/api/v1/members', { name: '赵敏', phone: '13600003333', homeStoreId: storeId })).id;
    await spend(members.gold, 150_000);
    await spend(members.gold, 80_000);
    await spend(members.silver, 52_000);
    // An active coupon template a level can give on birthdays.
    await api('POST', '/api/v1/coupon-templates', { name: '生日代金券 20 元', kind: 'voucher', amountOff: 2_000, validityType: 'relative', validDays: 30, status: 'active' });
  });

  it('opens 会员权益 → 等级 with the base level every install starts with, and nothing simulated yet', async () => {
    expect(await text('menu-loyalty-tiers')).to.equal('等级');
    await byTest('menu-loyalty-tiers').click();
    await page.waitForURL(/\/loyalty\/tiers$/);
    await byTest('tier-row-1').waitFor();
    expect(await text('tier-row-1')).to.equal('普通会员');
    expect(await byTest('tier-levels').locator('.el-table__row').count()).to.equal(1);
    expect(await byTest('tiers-publish').isDisabled()).to.equal(true);
    expect(await text('tier-basis-example')).to.contain('只有基础等级“普通会员”');
    expect(await text('tier-retention-example')).to.contain('会员只升不降');
    await byTest('tier-simulation-empty').waitFor();
    await shot('01-base-only');
  });

  it('adds 银卡 (¥500 to reach, ¥400 to keep, 9.5折, 1.5倍) and 金卡 (¥2,000, ¥1,500, 9折, 2倍), each rule with a worked example; the server’s refusals land on their rows', async () => {
    await byTest('tier-add').click();
    await byTest('tier-level-dialog').waitFor();
    // An empty name and a threshold below the base's are refused on their fields before anything is sent.
    await byTest('tier-level-name').fill('');
    await typeNumber('tier-level-entry', '0');
    await byTest('tier-level-submit').click();
    const nameError = page.locator('.el-form-item', { has: byTest('tier-level-name') }).locator('.el-form-item__error');
    await nameError.waitFor();
    expect(await page.locator('.el-form-item', { has: byTest('tier-level-entry') }).locator('.el-form-item__error').innerText()).to.contain('须高于下一级');
    await typeNumber('tier-level-discount', '9.5');
    expect(await text('tier-level-discount-preview')).to.equal('9.5折');
    await shot('02-level-dialog');
    await page.keyboard.press('Escape');
    await byTest('tier-level-dialog').waitFor({ state: 'hidden' });

    await addLevel({ name: '银卡', entry: '500', keep: '400', zhe: '9.5', times: '1.5', birthday: '生日代金券 20 元' });
    // A name used twice is the server's to refuse: its message lands on the row of the level it names.
    await addLevel({ name: '银卡', entry: '2000', keep: '1500', zhe: '9', times: '2' });
    await byTest('tier-simulate').click();
    await byTest('tier-row-error-3').waitFor();
    expect(await text('tier-row-error-3')).to.contain('等级名称').and.to.contain('重复');
    expect(await text('tiers-error')).to.equal('有设置未通过检查，请按标红的提示修改');
    await byTest('tier-edit-3').click();
    await byTest('tier-level-dialog').waitFor();
    expect(await page.locator('[data-test="tier-level-entry"] input').inputValue()).to.equal('2000.00');
    await byTest('tier-level-name').fill('金卡');
    await byTest('tier-level-submit').click();
    await byTest('tier-level-dialog').waitFor({ state: 'hidden' });
    await byTest('tier-row-error-3').waitFor({ state: 'detached' });
    await byTest('tiers-error').waitFor({ state: 'detached' });
    expect(await text('tier-row-2')).to.equal('银卡');
    expect(await text('tier-row-discount-2')).to.equal('9.5折');
    expect(await text('tier-row-discount-3')).to.equal('9折');
    const table = await text('tier-levels');
    expect(table).to.contain('¥500.00').and.to.contain('每 12 个月 ¥400.00').and.to.contain('1.5倍').and.to.contain('2倍').and.to.contain('生日：生日代金券 20 元');

    expect(await text('tier-basis-example')).to.equal('例：会员最近 12 个月内实付满 ¥500.00，即升为银卡；在达到门槛的那一笔订单里立即生效。');
    const today = dayjs().format('YYYY-MM-DD');
    const retention = await text('tier-retention-example');
    expect(retention).to.match(/^例：\d{4}-\d{2}-\d{2} 升为金卡的会员，保级期 12 个月，到 \d{4}-\d{2}-\d{2} 为止；期间累计满 ¥1,500.00 即保留金卡。/);
    expect(retention).to.contain('收到提醒').and.to.contain('宽限 7 天后').and.to.contain('降为银卡');
    // Near midnight the browser's and the business clock's "today" may differ; the page uses the business clock.
    if (retention.startsWith(`例：${today}`)) {
      // The period's last day is the day before the review; the warning and the downgrade count from the review.
      const review = dayjs(today).add(12, 'month');
      expect(retention).to.contain(`到 ${review.subtract(1, 'day').format('YYYY-MM-DD')} 为止`);
      expect(retention).to.contain(`在 ${review.subtract(30, 'day').format('YYYY-MM-DD')}（到期前 30 天）收到提醒`);
      expect(retention).to.contain(`于 ${review.add(7, 'day').format('YYYY-MM-DD')} 降为银卡`);
    }

    await byTest('tier-downgrade-to_base').click();
    expect(await text('tier-retention-example')).to.contain('降为普通会员');
    await byTest('tier-downgrade-one_level').click();
    await shot('03-levels');
  });

  it('simulates the change: two members move up, shown per level as a table and a chart with a sentence under it', async () => {
    const simulated = page.waitForResponse((r) => r.url().endsWith('/api/v1/tiers/simulate'));
    await byTest('tier-simulate').click();
    expect((await simulated).status()).to.equal(200);
    await byTest('tier-simulation-table').waitFor();
    const row = (level: number) => byTest('tier-simulation-table').locator('.el-table__row', { has: byTest(`tier-simulation-table-row-${level}`) });
    // 等级 | 变更前 | 变更后 | 变化 | 升入本级 | 降入本级
    expect((await row(1).innerText()).split(/\s+/)).to.deep.equal(['普通会员', '3', '1', '-2', '0', '0']);
    expect((await row(2).innerText()).split(/\s+/)).to.deep.equal(['银卡', '0', '1', '+1', '1', '0']);
    expect((await row(3).innerText()).split(/\s+/)).to.deep.equal(['金卡', '0', '1', '+1', '1', '0']);
    expect(await text('tier-simulation-caption')).to.equal('灰色柱是各等级现在的会员数，蓝色柱是按修改后的规则的会员数。3 位会员中，2 位升级、0 位降级、1 位不变。');
    await byTest('tier-simulation-chart').locator('canvas').first().waitFor();
    await shot('04-simulation');

    // A change after simulating makes the numbers stale until simulated again.
    await byTest('tier-edit-3').click();
    await typeNumber('tier-level-multiplier', '2.5');
    await byTest('tier-level-submit').click();
    await byTest('tier-simulation-stale').waitFor();
    await byTest('tier-simulate').click();
    await byTest('tier-simulation-stale').waitFor({ state: 'hidden' });
  });

  it('publishes after a confirmation with the numbers, and shows that what was applied equals the simulation', async () => {
    await byTest('tiers-publish').click();
    const dialog = byTest('tier-publish-dialog');
    await dialog.waitFor();
    expect(await text('tier-publish-message')).to.contain('2 位会员升级，0 位会员降级，1 位不变');
    expect(await dialog.innerText()).to.contain('金卡').and.to.contain('银卡');
    await shot('05-publish-confirm');

    const published = page.waitForResponse((r) => r.url().endsWith('/api/v1/tiers') && r.request().method() === 'PUT');
    await byTest('tier-publish-confirm').click();
    const response = await published;
    expect(response.status()).to.equal(200);
    const result = (await response.json()) as { applied: { totals: { up: number; down: number } } };
    expect(result.applied.totals).to.include({ up: 2, down: 0 });
    await dialog.waitFor({ state: 'hidden' });
    await toast('已发布：2 位会员升级，0 位降级');
    expect(await text('tier-applied')).to.equal('已发布。实际 2 位会员升级、0 位降级，与模拟结果一致。');
    expect(await text('tiers-publish')).to.contain('模拟并发布');
    expect(await byTest('tiers-publish').isDisabled()).to.equal(true);
    await shot('06-published');

    const config = await api<TierConfigView>('GET', '/api/v1/tiers');
    expect(config.tiers.map((tier) => [tier.name, tier.discountRate, tier.memberCount])).to.deep.equal([
      ['普通会员', 100, 1],
      ['银卡', 95, 1],
      ['金卡', 90, 1],
    ]);
    expect((await api<MemberTierView>('GET', `/api/v1/members/${members.gold}/tier`)).tier.name).to.equal('金卡');
  });

  it('shows on a member’s page the tier in the header, the explanation and the change with its numbers', async () => {
    await page.goto(`${server.url}/members/${members.silver}`);
    await byTest('member-header-tier').waitFor();
    expect(await text('member-header-tier-name')).to.equal('银卡');
    const view = await api<MemberTierView>('GET', `/api/v1/members/${members.silver}/tier`);
    expect(await text('member-header-tier-line')).to.equal(view.texts.next!.zh);
    expect(view.texts.next!.zh).to.contain('¥1,480.00').and.to.contain('金卡');

    await byTest('member-header-tier').click();
    await page.waitForURL(/tab=tiers/);
    const card = byTest('member-tier-card');
    await card.waitFor();
    expect(await text('member-tier-name')).to.equal('银卡');
    expect(await card.innerText()).to.contain('9.5折').and.to.contain('积分 1.5倍');
    expect(await text('member-tier-metric')).to.equal('¥520.00 / ¥2,000.00');
    expect(await text('member-tier-keep')).to.equal(view.texts.keep!.zh);
    expect(await text('member-tier-next')).to.equal(view.texts.next!.zh);

    const history = byTest('member-tier-history');
    await history.locator('.el-table__row').first().waitFor();
    const first = (await history.locator('.el-table__row').first().innerText()).replace(/\s+/g, ' ');
    expect(first).to.contain('升级').and.to.contain('普通会员 → 银卡').and.to.contain('等级规则变更').and.to.contain('¥520.00（门槛 ¥500.00）');
    await shot('07-member-tier');
  });

  it('changes the tier by hand with a reason and a last day; the history and the header follow', async () => {
    await byTest('member-tier-adjust').click();
    const dialog = byTest('member-tier-adjust-dialog');
    await dialog.waitFor();
    expect(await dialog.innerText()).to.contain('李思远').and.to.contain('当前等级：银卡');
    // The reason is required.
    await byTest('member-tier-adjust-tier').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '金卡' }).click();
    await byTest('member-tier-adjust-submit').click();
    await page.locator('.el-form-item', { has: byTest('member-tier-adjust-reason') }).locator('.el-form-item__error').waitFor();

    await byTest('member-tier-adjust-reason').fill('大客户协议');
    const until = dayjs().add(30, 'day').format('YYYY-MM-DD');
    const picker = page.locator('[data-test="member-tier-adjust-until"] input');
    await picker.fill(until);
    await picker.press('Enter');
    expect(await dialog.innerText()).to.contain(`${until} 当天结束后，按规则重新定级`);
    await shot('08-adjust-dialog');
    const adjusted = page.waitForResponse((r) => r.url().endsWith(`/api/v1/members/${members.silver}/tier`) && r.request().method() === 'POST');
    await byTest('member-tier-adjust-submit').click();
    const response = await adjusted;
    expect(response.status()).to.equal(200);
    expect(response.request().postDataJSON()).to.deep.include({ reason: '大客户协议', until });
    await dialog.waitFor({ state: 'hidden' });
    await toast('调整为 金卡');

    await page.locator('[data-test="member-tier-name"]', { hasText: '金卡' }).waitFor();
    await byTest('member-tier-manual').waitFor();
    expect(await text('member-tier-status')).to.contain('手动设置').and.to.contain('大客户协议').and.to.contain(until);
    await page.locator('[data-test="member-header-tier-name"]', { hasText: '金卡' }).waitFor();
    expect(await text('member-header-tier-line')).to.equal(`手动指定，有效至 ${until}`);
    const rows = byTest('member-tier-history').locator('.el-table__row');
    await page.waitForFunction(() => document.querySelectorAll('[data-test="member-tier-history"] .el-table__row').length === 2);
    const newest = (await rows.first().innerText()).replace(/\s+/g, ' ');
    expect(newest).to.contain('手动调整').and.to.contain('银卡 → 金卡').and.to.contain('大客户协议').and.to.contain(until);
    const view = await api<MemberTierView>('GET', `/api/v1/members/${members.silver}/tier`);
    expect(view).to.deep.include({ manual: true });
    expect(view.tier.name).to.equal('金卡');
    await shot('09-adjusted');
  });

  it('reads in English: the member’s tier and history, and the tiers page with its simulation', async () => {
    await byTest('lang-switch').click();
    await byTest('lang-en').click();
    await page.locator('[data-test="member-tabs"] .el-tabs__item', { hasText: 'Tier' }).waitFor();
    const view = await api<MemberTierView>('GET', `/api/v1/members/${members.silver}/tier`);
    expect(view.texts.keep).to.equal(null);
    expect(await text('member-tier-status')).to.equal(view.texts.status.en);
    expect(await text('member-header-tier-line')).to.match(/^Set by hand, until \d{4}-\d{2}-\d{2}$/);
    const history = await text('member-tier-history');
    expect(history).to.contain('By hand').and.to.contain('Tier rules changed').and.to.contain('¥520.00 (threshold ¥500.00)');
    expect(await text('member-header-tier')).to.contain('Tier');
    await shot('10-member-en');

    await byTest('menu-loyalty-tiers').click();
    await page.waitForURL(/\/loyalty\/tiers$/);
    await page.locator('h1', { hasText: 'Member tiers' }).waitFor();
    await page.locator('[data-test="tier-row-discount-2"]', { hasText: '5% off' }).waitFor();
    expect(await text('tier-row-discount-3')).to.equal('10% off');
    expect(await text('tier-basis-example')).to.equal('E.g. a member who pays ¥500.00 in the last 12 months moves up to 银卡, in the order that reaches it.');
    await byTest('tier-simulate').click();
    await byTest('tier-simulation-caption').waitFor();
    expect(await text('tier-simulation-caption')).to.contain('Of 3 members, 0 move up, 0 move down and 3 stay.');
    await shot('11-tiers-en');
  });
});
