import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { Journal } from '../../installer/src/install/journal.js';
import { installNginxSite, verifyUnit } from '../../installer/src/install/service.js';
import { renderNginxSite, renderTemplate, renderUnit } from '../../installer/src/templates.js';
import { expectGolden, quietContext, ROOT_UNIT_VALUES, tempPrefix } from './installer-kit.js';

describe('installer templates', () => {
  it('renders the hardened systemd unit (golden)', () => {
    const unit = renderUnit(ROOT_UNIT_VALUES);
    expectGolden('huiji.service', unit);
    for (const line of ['NoNewPrivileges=yes', 'ProtectSystem=strict', 'ProtectHome=yes', 'PrivateTmp=yes', 'User=huiji', 'Restart=on-failure']) expect(unit).to.contain(`\n${line}\n`);
    expect(unit).to.contain('\nReadWritePaths=/var/lib/huiji /var/log/huiji /var/backups/huiji\n');
    expect(unit).to.contain('\nEnvironment=HUIJI_CONFIG=/etc/huiji/huiji.config.json\n');
    expect(unit).to.contain('\nExecStart=/opt/huiji/current/bin/huiji start\n');
  });

  it('renders the HTTP nginx site (golden)', () => {
    const site = renderNginxSite({ port: 8080, serverName: '_', bodyLimitMegabytes: 32, tls: null });
    expectGolden('nginx-http.conf', site);
    expect(site).to.not.contain('ssl');
    expect(site).to.contain('server 127.0.0.1:8080;');
  });

  it('renders the TLS nginx site with an HTTP redirect (golden)', () => {
    const site = renderNginxSite({ port: 8443, serverName: 'vip.example.com', bodyLimitMegabytes: 32, tls: { cert: '/etc/ssl/huiji/fullchain.pem', key: '/etc/ssl/huiji/privkey.pem' } });
    expectGolden('nginx-tls.conf', site);
    expect(site).to.contain('return 301 https://$host$request_uri;');
    expect(site).to.contain('ssl_certificate /etc/ssl/huiji/fullchain.pem;');
  });

  it('refuses a missing value, a non-boolean section and a value spanning lines', () => {
    expect(() => renderTemplate('a {{missing}}', {})).to.throw('no value for {{missing}}');
    expect(() => renderTemplate('{{#tls}}x{{/tls}}', { tls: 'yes' })).to.throw('needs a true/false value');
    expect(() => renderTemplate('ExecStart={{bin}}', { bin: '/x\nExecStartPre=/bin/evil' })).to.throw('spans lines');
  });
});

describe('systemd-analyze verify of the rendered unit', function () {
  this.timeout(30_000);
  const prefix = tempPrefix();
  after(() => fs.rmSync(prefix, { recursive: true, force: true }));

  before(function () {
    if (!fs.existsSync('/usr/bin/systemd-analyze')) this.skip();
  });

  /** A unit for this prefix, as install writes it, with ExecStart pointing at `bin`. */
  function writeUnit(bin: string, extra = ''): string {
    const unit = renderUnit({
      ...ROOT_UNIT_VALUES,
      configFile: path.join(prefix, 'etc/huiji/huiji.config.json'),
      huijiBin: bin,
      readWritePaths: ROOT_UNIT_VALUES.readWritePaths.map((dir) => path.join(prefix, dir)),
    });
    const file = path.join(prefix, 'etc/systemd/system/huiji.service');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, unit.replace('[Install]', `${extra}[Install]`));
    return file;
  }

  it('passes with no findings when ExecStart exists (systemd need not be PID 1)', async () => {
    const bin = path.join(prefix, 'opt/huiji/current/bin/huiji');
    fs.mkdirSync(path.dirname(bin), { recursive: true });
    fs.writeFileSync(bin, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const { ctx } = quietContext(prefix);
    expect(await verifyUnit(ctx, writeUnit(bin))).to.deep.equal({ checked: true, findings: '' });
  });

  it('fails when ExecStart is missing, and reports an unknown key as a finding', async () => {
    const { ctx } = quietContext(prefix);
    let error: Error | null = null;
    await verifyUnit(ctx, writeUnit(path.join(prefix, 'nowhere/huiji'))).catch((e: Error) => (error = e));
    expect(error, 'verify of a unit without its program').to.not.equal(null);
    expect(error!.message).to.contain('is not executable');

    const bin = path.join(prefix, 'opt/huiji/current/bin/huiji');
    const result = await verifyUnit(ctx, writeUnit(bin, 'ProtectSytem=strict\n\n'));
    expect(result.findings).to.contain("Unknown key 'ProtectSytem'");
  });
});

describe('the nginx site stage', () => {
  it('writes sites-available + a sites-enabled link, and a failed install takes both back', async () => {
    const prefix = tempPrefix();
    try {
      const { ctx } = quietContext(prefix);
      const journal = new Journal();
      await installNginxSite(ctx, journal, { port: 8080, serverName: '_', tls: null, reload: false });
      const site = path.join(prefix, 'etc/nginx/sites-available/huiji.conf');
      expectGolden('nginx-http.conf', fs.readFileSync(site, 'utf8'));
      expect(fs.readlinkSync(path.join(prefix, 'etc/nginx/sites-enabled/huiji.conf'))).to.equal(site);
      await journal.rollback(ctx.ui);
      expect(fs.existsSync(path.join(prefix, 'etc/nginx'))).to.equal(false);
    } finally {
      fs.rmSync(prefix, { recursive: true, force: true });
    }
  });

  it('uses conf.d when the prefix has nginx without sites-available', async () => {
    const prefix = tempPrefix();
    try {
      fs.mkdirSync(path.join(prefix, 'etc/nginx/conf.d'), { recursive: true });
      const { ctx } = quietContext(prefix);
      await installNginxSite(ctx, new Journal(), { port: 8080, serverName: '_', tls: null, reload: false });
      expect(fs.existsSync(path.join(prefix, 'etc/nginx/conf.d/huiji.conf'))).to.equal(true);
      expect(fs.existsSync(path.join(prefix, 'etc/nginx/sites-enabled'))).to.equal(false);
    } finally {
      fs.rmSync(prefix, { recursive: true, force: true });
    }
  });
});
