import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { buildServerConfig, configSecrets, existingAppPassword, type InstallSettings } from '../../installer/src/app-config.js';
import { loadConfig } from '../../server/src/platform/config/load.js';

describe('the configuration the installer writes', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huiji-inst-config-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const settings = (overrides: Partial<InstallSettings> = {}): InstallSettings => ({
    port: 8080,
    host: '127.0.0.1',
    behindProxy: true,
    dataDir: path.join(dir, 'var/lib/huiji'),
    logDir: path.join(dir, 'var/log/huiji'),
    databaseUrl: 'mysql://huiji_app:Secret-Password-0123456789abcdefg@127.0.0.1:3306/huiji',
    backupDir: path.join(dir, 'var/backups/huiji'),
    publicKeyFile: path.join(dir, 'etc/huiji/backup-public.pem'),
    ...overrides,
  });

  it('is accepted by the server\'s strict schema, with every secret generated and migrations left to the installer', () => {
    const { config, generated } = buildServerConfig(null, settings());
    const file = path.join(dir, 'huiji.config.json');
    fs.writeFileSync(file, JSON.stringify(config));
    const loaded = loadConfig({ env: { HUIJI_CONFIG: file }, cwd: dir });
    expect(loaded.database.migrateOnStart).to.equal(false);
    expect(loaded.http.trustProxy).to.equal('loopback');
    expect(loaded.host).to.equal('127.0.0.1');
    expect(loaded.backup.dir).to.equal(settings().backupDir);
    expect(loaded.backup.publicKeyFile).to.equal(settings().publicKeyFile);
    expect(loaded.crypto.activeFieldKey).to.equal('k1');
    expect(Object.keys(generated).sort()).to.deep.equal(['audit.hmacKey', 'crypto.blindIndexKey', 'crypto.fieldKeys.k1']);
    expect(new Set(Object.values(generated)).size).to.equal(3);
  });

  it('keeps existing secrets and the admin\'s own settings, and updates what the install decides', () => {
    const first = buildServerConfig(null, settings()).config;
    const edited = { ...first, businessTimezone: 'Asia/Hong_Kong', auth: { ipLockoutThreshold: 20 }, port: 9999 };
    const { config, generated } = buildServerConfig(edited, settings({ port: 8081, host: '0.0.0.0', behindProxy: false }));
    expect(generated).to.deep.equal({});
    expect(config.crypto).to.deep.equal(first.crypto);
    expect(config.audit).to.deep.equal(first.audit);
    expect(config.businessTimezone).to.equal('Asia/Hong_Kong');
    expect(config.auth).to.deep.equal({ ipLockoutThreshold: 20 });
    expect(config.port).to.equal(8081);
    expect(config.host).to.equal('0.0.0.0');
  });

  it('generates no keys that would shadow the ones a server already made in <dataDir>/keys', () => {
    const keys = path.join(dir, 'var/lib/huiji/keys');
    fs.mkdirSync(keys, { recursive: true });
    fs.writeFileSync(path.join(keys, 'field-keys.json'), '{}');
    fs.writeFileSync(path.join(keys, 'audit-hmac.key'), 'x');
    try {
      const { config, generated } = buildServerConfig(null, settings());
      expect(generated).to.deep.equal({});
      expect(config.crypto).to.equal(undefined);
      expect(config.audit).to.equal(undefined);
    } finally {
      fs.rmSync(keys, { recursive: true, force: true });
    }
  });

  it('names every secret it holds for the log redactor, and finds the app password again', () => {
    const { config, generated } = buildServerConfig(null, settings());
    const secrets = configSecrets(config);
    for (const value of Object.values(generated)) expect(secrets).to.include(value);
    expect(secrets).to.include('Secret-Password-0123456789abcdefg');
    expect(existingAppPassword(config, 'huiji_app')).to.equal('Secret-Password-0123456789abcdefg');
    expect(existingAppPassword(config, 'other_app')).to.equal(null);
  });
});
