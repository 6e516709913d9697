import fs from 'node:fs';
import path from 'node:path';
import type { CommandContext, OptionValues } from '../context.js';
import { accountHosts, DB_NAME_PATTERN, parseMysqlUrl, type DbEndpoint } from '../db-admin.js';
import { UsageError } from '../errors.js';
import { isSystemPrefix, sourceVersion } from '../layout.js';
import { DEFAULT_DB_NAME, DEFAULT_PORT, parsePort } from '../options.js';

/** Everything an install will do, decided before it changes anything. */
export interface InstallPlan {
  version: string;
  admin: DbEndpoint;
  dbName: string;
  ownerUser: string;
  appUser: string;
  /** Account hosts: localhost and 127.0.0.1 for a local database, else '%'. */
  hosts: string[];
  port: number;
  /** Given by the operator; when absent bin/huiji generates one and prints it once. */
  adminPassword: string | null;
  /** Root installing into "/": a service user, ownership, systemd and nginx reloads. */
  manageSystem: boolean;
  /** --no-service: the unit is rendered under the prefix but neither enabled nor started. */
  service: boolean;
  startService: boolean;
  nginx: boolean;
  serverName: string;
  tls: { cert: string; key: string } | null;
  keepPrivateKey: boolean;
  privateKeyOut: string | null;
}

export const MIN_ADMIN_PASSWORD = 10;

export async function resolvePlan(ctx: CommandContext, values: OptionValues): Promise<InstallPlan> {
  if (/\s/.test(ctx.layout.prefix)) throw new UsageError(`--prefix ${ctx.layout.prefix} contains a space; systemd and nginx paths cannot`);
  const adminUrl = await adminUrlValue(values);
  const admin = parseMysqlUrl(adminUrl, '--db-admin-url');
  ctx.ui.secret(admin.password);

  const dbName = await values.requiredString('dbName', { flag: '--db-name', question: 'Database name 数据库名', defaultValue: DEFAULT_DB_NAME });
  if (!DB_NAME_PATTERN.test(dbName)) throw new UsageError(`--db-name ${dbName}: expected a letter then up to 27 letters, digits or _ (its accounts are <name>_own and <name>_app)`);
  const portText = await values.requiredString('port', { flag: '--port', question: 'Port Huiji listens on 端口', defaultValue: String(DEFAULT_PORT) });
  let port: number;
  try {
    port = parsePort(portText);
  } catch (error) {
    throw new UsageError(`--port ${portText}: ${(error as Error).message}`);
  }

  const adminPassword = (await values.string('adminPassword', { flag: '--admin-password', question: "First admin's password, empty to generate one 管理员初始密码（留空自动生成）", secret: true })) ?? null;
  if (adminPassword !== null && adminPassword.length < MIN_ADMIN_PASSWORD) throw new UsageError(`--admin-password must have at least ${MIN_ADMIN_PASSWORD} characters`);
  ctx.ui.secret(adminPassword);

  const tlsCert = values.get<string>('tlsCert');
  const tlsKey = values.get<string>('tlsKey');
  if (Boolean(tlsCert) !== Boolean(tlsKey)) throw new UsageError('--tls-cert and --tls-key go together');
  const tls = tlsCert && tlsKey ? { cert: path.resolve(tlsCert), key: path.resolve(tlsKey) } : null;
  for (const file of tls ? [tls.cert, tls.key] : []) if (!fs.existsSync(file)) throw new UsageError(`no such file: ${file}`);

  const nginxChoice = values.get<boolean>('nginx');
  const nginx = nginxChoice ?? (tls !== null || (ctx.system.which('nginx') !== null && fs.existsSync(path.join(ctx.layout.prefix, 'etc', 'nginx'))));
  if (tls && nginxChoice === false) throw new UsageError('--tls-cert needs nginx: drop --no-nginx');

  const manageSystem = isSystemPrefix(ctx.layout) && ctx.system.isRoot();
  const service = values.get<boolean>('service') !== false;
  const privateKeyOut = values.get<string>('privateKeyOut');
  return {
    version: sourceVersion(ctx.sourceRoot),
    admin,
    dbName,
    ownerUser: `${dbName}_own`,
    appUser: `${dbName}_app`,
    hosts: accountHosts(admin.host),
    port,
    adminPassword,
    manageSystem,
    service,
    startService: manageSystem && service && ctx.system.isSystemdPid1(),
    nginx,
    serverName: values.get<string>('serverName') ?? '_',
    tls,
    keepPrivateKey: values.get<boolean>('keepPrivateKey') === true,
    privateKeyOut: privateKeyOut ? path.resolve(privateKeyOut) : null,
  };
}

/** Asked as a URL without the password, then the password hidden, so it never shows on screen. */
async function adminUrlValue(values: OptionValues): Promise<string> {
  const given = values.get<string>('dbAdminUrl');
  if (given) return given;
  const url = await values.requiredString('dbAdminUrl', {
    flag: '--db-admin-url',
    question: 'Database admin URL, used once and never stored 数据库管理员连接（仅用一次，不保存）',
    suggestion: 'mysql://root@127.0.0.1:3306/',
  });
  if (/\/\/[^/@]*:[^/@]*@/.test(url) || !URL.canParse(url)) return url;
  const parsed = new URL(url);
  const password = await values.string('dbAdminPassword', { flag: '--db-admin-url', question: `Password of ${decodeURIComponent(parsed.username || 'root')} (empty for none) 密码`, secret: true });
  if (password) parsed.password = encodeURIComponent(password);
  return parsed.toString();
}
