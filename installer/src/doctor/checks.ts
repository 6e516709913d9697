import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { accountHosts, connect, parseMysqlUrl, serverInfo, unsupportedReason } from '../db-admin.js';
import { huijiAnswersOn } from '../installed.js';
import type { Layout } from '../layout.js';
import type { System } from '../system.js';

/**
 * What `doctor` (and `install`, before it changes anything) checks about this server. Each
 * check says what it found and, when it is not fine, how to fix it in Chinese and English.
 */
export type CheckStatus = 'ok' | 'info' | 'warn' | 'fail';
export type CheckGroup = 'system' | 'files' | 'database' | 'network' | 'services';

export interface Hint {
  zh: string;
  en: string;
}

export interface Check {
  group: CheckGroup;
  id: string;
  status: CheckStatus;
  message: string;
  hint?: Hint;
}

export interface DoctorInput {
  layout: Layout;
  system: System;
  port: number;
  /** Where Huiji will listen: 127.0.0.1 behind nginx, else 0.0.0.0. */
  bindHost: string;
  /** An admin URL, or the installed app account's; null when neither was given. */
  dbUrl: string | null;
  /** The port an existing install under this prefix uses: Huiji answering there is not a conflict. */
  installedPort: number | null;
  mongodbUrl: string | null;
}

export const MIN_NODE = [20, 19] as const;
const GIB = 1024 ** 3;

export async function runChecks(input: DoctorInput): Promise<Check[]> {
  const checks: Check[] = [
    checkOs(),
    checkNode(),
    checkMemory(),
    checkDisk(input.layout),
    checkWritable(input.layout),
    checkLeftoverPrivateKey(input.layout),
    ...(await checkDatabase(input.dbUrl)),
    await checkPort(input.port, input.bindHost, input.installedPort),
    checkNginx(input.system),
    checkSystemd(input.system),
  ];
  if (input.mongodbUrl) checks.push(await checkMongo(input.mongodbUrl));
  return checks;
}

export const failed = (checks: Check[]) => checks.filter((check) => check.status === 'fail');

function checkOs(): Check {
  const release = readOsRelease();
  const where = `${release ?? os.type()} ${os.release()}, ${process.arch}`;
  if (process.platform !== 'linux') {
    return { group: 'system', id: 'os', status: 'fail', message: `${where}: Huiji's installer supports Linux only`, hint: { zh: '请在 Linux 服务器（Debian/Ubuntu/RHEL 系）上安装。', en: 'Install on a Linux server (Debian/Ubuntu/RHEL family).' } };
  }
  if (!['x64', 'arm64'].includes(process.arch)) {
    return { group: 'system', id: 'os', status: 'warn', message: `${where}: only x64 and arm64 are tested`, hint: { zh: '建议使用 x86_64 或 ARM64 服务器。', en: 'Prefer an x86_64 or ARM64 server.' } };
  }
  return { group: 'system', id: 'os', status: 'ok', message: where };
}

function readOsRelease(): string | null {
  try {
    const text = fs.readFileSync('/etc/os-release', 'utf8');
    return /^PRETTY_NAME="?([^"\n]*)"?/m.exec(text)?.[1] ?? null;
  } catch {
    return null;
  }
}

function checkNode(): Check {
  const [major, minor] = process.versions.node.split('.').map(Number);
  const needed = `${MIN_NODE[0]}.${MIN_NODE[1]}`;
  if (major < MIN_NODE[0] || (major === MIN_NODE[0] && minor < MIN_NODE[1])) {
    return { group: 'system', id: 'node', status: 'fail', message: `Node.js ${process.version} is older than ${needed}`, hint: { zh: `请安装 Node.js ${needed} 或更高版本（如 NodeSource 的 nodejs 20/22 软件包）。`, en: `Install Node.js ${needed} or newer (e.g. the NodeSource nodejs 20/22 package).` } };
  }
  // The service cannot see /root or /home (ProtectHome=yes): a node from nvm there would not start.
  if (/^\/(root|home)\//.test(process.execPath)) {
    return { group: 'system', id: 'node', status: 'warn', message: `Node.js ${process.version} at ${process.execPath}, inside a home directory the service cannot see`, hint: { zh: '请把 Node.js 安装到 /usr 或 /usr/local（系统软件包），不要使用 nvm 安装在家目录中的版本。', en: 'Install Node.js under /usr or /usr/local (a system package), not from nvm in a home directory.' } };
  }
  return { group: 'system', id: 'node', status: 'ok', message: `Node.js ${process.version} (${process.execPath})` };
}

function checkMemory(): Check {
  const total = os.totalmem();
  const message = `${(total / GIB).toFixed(1)} GB memory, ${(os.freemem() / GIB).toFixed(1)} GB free`;
  const hint = { zh: '建议至少 2 GB 内存（MySQL 与 Huiji 同机时更多）。', en: 'At least 2 GB of memory is advised (more when MySQL runs on the same server).' };
  if (total < 0.5 * GIB) return { group: 'system', id: 'memory', status: 'fail', message, hint };
  if (total < 1.5 * GIB) return { group: 'system', id: 'memory', status: 'warn', message, hint };
  return { group: 'system', id: 'memory', status: 'ok', message };
}

/** The nearest directory that exists at or above `target`. */
export function existingAncestor(target: string): string {
  let current = path.resolve(target);
  while (!fs.existsSync(current)) current = path.dirname(current);
  return current;
}

function checkDisk(layout: Layout): Check {
  const where = existingAncestor(layout.prefix);
  const stats = fs.statfsSync(where);
  const free = stats.bavail * stats.bsize;
  const message = `${(free / GIB).toFixed(1)} GB free under ${where}`;
  const hint = { zh: '请清理磁盘或扩容：备份与日志需要空间（建议至少 5 GB 可用）。', en: 'Free or add disk space: backups and logs need room (5 GB free or more is advised).' };
  if (free < 1 * GIB) return { group: 'files', id: 'disk', status: 'fail', message, hint };
  if (free < 5 * GIB) return { group: 'files', id: 'disk', status: 'warn', message, hint };
  return { group: 'files', id: 'disk', status: 'ok', message };
}

function checkWritable(layout: Layout): Check {
  const targets = [layout.optDir, layout.etcDir, layout.dataDir, layout.logDir, layout.backupDir];
  const blocked = targets.filter((target) => {
    try {
      fs.accessSync(existingAncestor(target), fs.constants.W_OK);
      return false;
    } catch {
      return true;
    }
  });
  if (blocked.length > 0) {
    return { group: 'files', id: 'write-access', status: 'fail', message: `cannot write ${blocked.join(', ')}`, hint: { zh: '请用 root（sudo）运行安装程序，或用 --prefix 指定一个可写目录。', en: 'Run the installer as root (sudo), or give a writable --prefix.' } };
  }
  return { group: 'files', id: 'write-access', status: 'ok', message: `can write under ${layout.prefix}` };
}

function checkLeftoverPrivateKey(layout: Layout): Check {
  let left: string[];
  try {
    left = fs.readdirSync(layout.rootHome).filter((name) => /^huiji-backup-private-.*\.pem$/.test(name));
  } catch {
    left = [];
  }
  if (left.length === 0) return { group: 'files', id: 'private-key', status: 'ok', message: 'no backup private key left on this server' };
  return {
    group: 'files',
    id: 'private-key',
    status: 'warn',
    message: `a backup private key is still on this server: ${left.map((name) => path.join(layout.rootHome, name)).join(', ')}`,
    hint: { zh: '请把私钥复制到离线介质（U 盘、保险柜中的纸质副本）后从服务器删除：留在服务器上，入侵者就能读取所有备份。', en: 'Copy the private key to offline media (a USB stick, a paper copy in a safe), then delete it from the server: left here, an intruder can read every backup.' },
  };
}

async function checkDatabase(dbUrl: string | null): Promise<Check[]> {
  if (!dbUrl) {
    return [{ group: 'database', id: 'database', status: 'warn', message: 'not checked: no --db-admin-url given and no installed configuration', hint: { zh: '请用 --db-admin-url mysql://root:密码@127.0.0.1:3306/ 指定数据库管理员连接。', en: 'Give the database admin connection with --db-admin-url mysql://root:password@127.0.0.1:3306/.' } }];
  }
  let endpoint;
  try {
    endpoint = parseMysqlUrl(dbUrl, '--db-admin-url');
  } catch (error) {
    return [{ group: 'database', id: 'database', status: 'fail', message: (error as Error).message, hint: { zh: '请检查数据库连接地址的格式。', en: 'Check the database URL.' } }];
  }
  const where = `${endpoint.host}:${endpoint.port}`;
  let connection;
  try {
    connection = await connect(endpoint);
  } catch (error) {
    return [{ group: 'database', id: 'database', status: 'fail', message: `cannot connect to ${where} as ${endpoint.user}: ${(error as Error).message}`, hint: { zh: '请确认 MySQL/MariaDB 已启动、地址端口正确、账号密码无误（systemctl status mariadb）。', en: 'Check that MySQL/MariaDB runs and that host, port, user and password are right (systemctl status mariadb).' } }];
  }
  try {
    const info = await serverInfo(connection);
    const reason = unsupportedReason(info);
    const name = `${info.flavor === 'mariadb' ? 'MariaDB' : 'MySQL'} ${info.version} at ${where}`;
    const checks: Check[] = [
      reason
        ? { group: 'database', id: 'database', status: 'fail', message: `${name}: ${reason}`, hint: { zh: '需要 MySQL 8.0+ 或 MariaDB 10.6+，并启用 utf8mb4 与 InnoDB。', en: 'Huiji needs MySQL 8.0+ or MariaDB 10.6+ with utf8mb4 and InnoDB.' } }
        : { group: 'database', id: 'database', status: 'ok', message: `${name}, utf8mb4 and InnoDB available` },
    ];
    const skew = Math.abs(info.clockSkewSeconds);
    checks.push(
      skew > 60
        ? { group: 'database', id: 'clock', status: 'warn', message: `this server's clock and the database's differ by ${Math.round(skew)} s`, hint: { zh: '请在两台服务器上启用 NTP 时间同步（timedatectl set-ntp true 或 chrony）。', en: 'Enable NTP time sync on both servers (timedatectl set-ntp true, or chrony).' } }
        : { group: 'database', id: 'clock', status: 'ok', message: `clock agrees with the database's within ${Math.max(1, Math.round(skew))} s` },
    );
    if (accountHosts(endpoint.host)[0] === '%') {
      checks.push({ group: 'database', id: 'remote-database', status: 'info', message: `the database is on another host: accounts will be created for any client host ('%')` });
    }
    return checks;
  } catch (error) {
    return [{ group: 'database', id: 'database', status: 'fail', message: `${where}: ${(error as Error).message}`, hint: { zh: '请检查数据库账号的权限。', en: "Check the database account's privileges." } }];
  } finally {
    await connection.end().catch(() => undefined);
  }
}

function canListen(port: number, host: string): Promise<NodeJS.ErrnoException | null> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(null)));
  });
}

export async function checkPort(port: number, bindHost: string, installedPort: number | null): Promise<Check> {
  const hosts = bindHost === '127.0.0.1' ? ['127.0.0.1'] : [bindHost, '127.0.0.1'];
  for (const host of hosts) {
    const error = await canListen(port, host);
    if (!error) continue;
    if (error.code === 'EACCES') {
      return { group: 'network', id: 'port', status: 'fail', message: `port ${port} needs root to listen on`, hint: { zh: '请选择 1024 以上的端口（如 8080），由 nginx 对外提供 80/443。', en: 'Choose a port above 1024 (e.g. 8080) and let nginx serve 80/443.' } };
    }
    const version = await huijiAnswersOn(port);
    if (version && installedPort === port) {
      return { group: 'network', id: 'port', status: 'ok', message: `port ${port} is this install's Huiji ${version}` };
    }
    return {
      group: 'network',
      id: 'port',
      status: 'fail',
      message: `port ${port} on ${host} is taken${version ? ` by another Huiji (${version})` : ''} (${error.code})`,
      hint: { zh: `请用 --port 选择其他端口，或停止占用该端口的程序（ss -ltnp 'sport = :${port}' 可查看）。`, en: `Choose another --port, or stop what listens there (ss -ltnp 'sport = :${port}' shows it).` },
    };
  }
  return { group: 'network', id: 'port', status: 'ok', message: `port ${port} is free on ${bindHost}` };
}

function checkNginx(system: System): Check {
  const nginx = system.which('nginx');
  return nginx
    ? { group: 'network', id: 'nginx', status: 'info', message: `nginx found at ${nginx}: Huiji will listen on 127.0.0.1 behind it` }
    : { group: 'network', id: 'nginx', status: 'info', message: 'nginx not found: Huiji will listen on all addresses itself (HTTP only)', hint: { zh: '如需 HTTPS 或 80 端口，请安装 nginx（apt install nginx）后重新运行安装。', en: 'For HTTPS or port 80, install nginx (apt install nginx) and re-run the installer.' } };
}

function checkSystemd(system: System): Check {
  return system.isSystemdPid1()
    ? { group: 'services', id: 'systemd', status: 'info', message: 'systemd runs this machine: Huiji will be a service' }
    : { group: 'services', id: 'systemd', status: 'info', message: 'systemd is not PID 1 (a container?): the installer prints the start command instead of starting a service', hint: { zh: '请用进程管理器（如 supervisord 或容器的启动命令）运行打印出的启动命令。', en: 'Run the printed start command under a process manager (supervisord, or the container command).' } };
}

async function checkMongo(url: string): Promise<Check> {
  const shown = url.replace(/(\/\/[^/:@\s]*:)[^@/\s]+@/, '$1***@');
  const { MongoClient } = await import('mongodb');
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 3000, connectTimeoutMS: 3000 });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
    return { group: 'services', id: 'mongodb', status: 'ok', message: `MongoDB for jobs answers at ${shown}` };
  } catch (error) {
    return { group: 'services', id: 'mongodb', status: 'fail', message: `MongoDB at ${shown} (jobs.mongodbUrl) does not answer: ${(error as Error).message}`, hint: { zh: '请启动 MongoDB，或从配置中删除 jobs.mongodbUrl（任务将存放在 Huiji 自己的数据库中）。', en: "Start MongoDB, or remove jobs.mongodbUrl from the config (jobs then live in Huiji's own database)." } };
  } finally {
    await client.close().catch(() => undefined);
  }
}
