import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../server/src/platform/config/load.js';
import { parseDatabaseUrl } from '../../server/src/platform/config/schema.js';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'huiji-config-'));
}

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  it('defaults to SQLite under ./data, port 8080 and Asia/Shanghai', () => {
    const cwd = tempDir();
    const config = loadConfig({ cwd, env: {} });
    expect(config.port).to.equal(8080);
    expect(config.dataDir).to.equal(path.join(cwd, 'data'));
    expect(config.databaseUrl).to.equal(`sqlite:${path.join(cwd, 'data', 'huiji.sqlite')}`);
    expect(config.businessTimezone).to.equal('Asia/Shanghai');
    expect(config.logRetentionDays).to.be.at.least(180);
    expect(config.auth.lockoutThreshold).to.equal(5);
    expect(config.auth.lockoutMinutes).to.equal(15);
  });

  it('layers defaults, then the JSON file, then the environment', () => {
    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, 'huiji.config.json'), JSON.stringify({ port: 9000, auth: { lockoutMinutes: 30 }, logLevel: 'debug' }));
    const fromFile = loadConfig({ cwd, env: {} });
    expect(fromFile.port).to.equal(9000);
    expect(fromFile.auth.lockoutMinutes).to.equal(30);
    expect(fromFile.auth.lockoutThreshold).to.equal(5);
    const withEnv = loadConfig({ cwd, env: { HUIJI_PORT: '9100', HUIJI_LOCKOUT_MINUTES: '5' } });
    expect(withEnv.port).to.equal(9100);
    expect(withEnv.auth.lockoutMinutes).to.equal(5);
    expect(withEnv.logLevel).to.equal('debug');
  });

  it('takes the public address for QR codes and member settings from the environment, and refuses a bad one', () => {
    const cwd = tempDir();
    const config = loadConfig({ cwd, env: { HUIJI_PUBLIC_URL: 'https://vip.example.com', HUIJI_MEMBERS_CARD_PREFIX: '66', HUIJI_MEMBERS_IMPORT_MAX_MEGABYTES: '50' } });
    expect(config.http.publicUrl).to.equal('https://vip.example.com');
    expect(config.members).to.deep.equal({ cardPrefix: '66', importMaxMegabytes: 50 });
    expect(errorOf(() => loadConfig({ cwd, env: { HUIJI_PUBLIC_URL: 'vip.example.com' } })).message).to.include('HUIJI_PUBLIC_URL');
    expect(errorOf(() => loadConfig({ cwd, env: { HUIJI_MEMBERS_CARD_PREFIX: 'VIP' } })).message).to.include('at most 6 digits');
  });

  it('reads the file named by HUIJI_CONFIG', () => {
    const cwd = tempDir();
    const file = path.join(cwd, 'elsewhere.json');
    fs.writeFileSync(file, JSON.stringify({ businessTimezone: 'Asia/Urumqi' }));
    expect(loadConfig({ cwd, env: { HUIJI_CONFIG: file } }).businessTimezone).to.equal('Asia/Urumqi');
  });

  it('names the variable, the value and the accepted form of a bad port, in one line', () => {
    const error = errorOf(() => loadConfig({ cwd: tempDir(), env: { HUIJI_PORT: 'eighty' } }));
    expect(error.message).to.equal(
      'Configuration error: HUIJI_PORT="eighty" is invalid: expected an integer between 1 and 65535, e.g. 8080.',
    );
    expect(errorOf(() => loadConfig({ cwd: tempDir(), env: { HUIJI_PORT: '70000' } })).message).to.contain('HUIJI_PORT="70000"');
  });

  it('explains a database URL it cannot use', () => {
    const error = errorOf(() => loadConfig({ cwd: tempDir(), env: { HUIJI_DATABASE_URL: 'postgres://db/huiji' } }));
    expect(error.message).to.equal(
      'Configuration error: HUIJI_DATABASE_URL="postgres://db/huiji" is invalid: expected sqlite:<path> (e.g. sqlite:./data/huiji.sqlite) or mysql://user:password@host:3306/database.',
    );
    expect(error.message).to.not.contain('\n');
  });

  it('names the file and key of a bad value in the JSON file, and unknown keys', () => {
    const cwd = tempDir();
    const file = path.join(cwd, 'huiji.config.json');
    fs.writeFileSync(file, JSON.stringify({ businessTimezone: 'Mars/Olympus' }));
    expect(errorOf(() => loadConfig({ cwd, env: {} })).message).to.equal(
      `Configuration error: "businessTimezone" in ${file}="Mars/Olympus" is invalid: expected an IANA time zone name, e.g. Asia/Shanghai.`,
    );
    fs.writeFileSync(file, JSON.stringify({ prot: 8080 }));
    expect(errorOf(() => loadConfig({ cwd, env: {} })).message).to.contain('"prot"').and.contain('not a known setting');
    fs.writeFileSync(file, '{ "port": 80, }');
    expect(errorOf(() => loadConfig({ cwd, env: {} })).message).to.match(/is not valid JSON/);
  });

  it('refuses a boolean variable that is neither true nor false', () => {
    const error = errorOf(() => loadConfig({ cwd: tempDir(), env: { HUIJI_ALLOW_PLAIN_PASSWORD: 'maybe' } }));
    expect(error.message).to.equal('Configuration error: HUIJI_ALLOW_PLAIN_PASSWORD="maybe" is invalid: expected true or false.');
  });

  it('parses SQLite and MySQL URLs', () => {
    expect(parseDatabaseUrl('sqlite:./data/huiji.sqlite')).to.deep.equal({ dialect: 'sqlite', storage: './data/huiji.sqlite' });
    expect(parseDatabaseUrl('mysql://huiji:p%40ss@db.local:3307/huiji')).to.deep.equal({
      dialect: 'mysql',
      host: 'db.local',
      port: 3307,
      username: 'huiji',
      password: 'p@ss',
      database: 'huiji',
    });
    expect(parseDatabaseUrl('mysql://db.local')).to.equal(null);
    expect(parseDatabaseUrl('sqlite:')).to.equal(null);
  });
});
