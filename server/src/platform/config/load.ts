import fs from 'node:fs';
import path from 'node:path';
import { configSchema, type HuijiConfig } from './schema.js';

/** Each environment variable and the config key it sets; env wins over the file. */
const ENV_KEYS: Record<string, string> = {
  NODE_ENV: 'env',
  HUIJI_HOST: 'host',
  HUIJI_PORT: 'port',
  HUIJI_DATA_DIR: 'dataDir',
  HUIJI_LOG_DIR: 'logDir',
  HUIJI_LOG_LEVEL: 'logLevel',
  HUIJI_LOG_RETENTION_DAYS: 'logRetentionDays',
  HUIJI_DATABASE_URL: 'databaseUrl',
  HUIJI_TIMEZONE: 'businessTimezone',
  HUIJI_DB_POOL_MAX: 'database.poolMax',
  HUIJI_MIGRATE_ON_START: 'database.migrateOnStart',
  HUIJI_DB_CONNECT_RETRY_MAX_SECONDS: 'database.connectRetryMaxSeconds',
  HUIJI_HTTP_BODY_LIMIT: 'http.bodyLimit',
  HUIJI_TRUST_PROXY: 'http.trustProxy',
  HUIJI_SESSION_IDLE_MINUTES: 'auth.sessionIdleMinutes',
  HUIJI_SESSION_ABSOLUTE_HOURS: 'auth.sessionAbsoluteHours',
  HUIJI_LOCKOUT_THRESHOLD: 'auth.lockoutThreshold',
  HUIJI_IP_LOCKOUT_THRESHOLD: 'auth.ipLockoutThreshold',
  HUIJI_LOCKOUT_MINUTES: 'auth.lockoutMinutes',
  HUIJI_PASSWORD_MIN_LENGTH: 'auth.passwordMinLength',
  HUIJI_ALLOW_PLAIN_PASSWORD: 'auth.allowPlainPassword',
  HUIJI_BOOTSTRAP_ADMIN_PASSWORD: 'auth.bootstrapAdminPassword',
  HUIJI_AUDIT_HMAC_KEY: 'audit.hmacKey',
  HUIJI_AUDIT_RETENTION_DAYS: 'audit.retentionDays',
  HUIJI_AUDIT_SEAL_INTERVAL_SECONDS: 'audit.sealIntervalSeconds',
  HUIJI_FIELD_KEYS: 'crypto.fieldKeys',
  HUIJI_ACTIVE_FIELD_KEY: 'crypto.activeFieldKey',
  HUIJI_BLIND_INDEX_KEY: 'crypto.blindIndexKey',
  HUIJI_JOBS_RUN_IN: 'jobs.runIn',
  HUIJI_JOBS_PROCESS_EVERY_SECONDS: 'jobs.processEverySeconds',
  HUIJI_JOBS_DRAIN_SECONDS: 'jobs.drainSeconds',
  HUIJI_JOBS_MONGODB_URL: 'jobs.mongodbUrl',
  HUIJI_JOBS_OUTPUT_RETENTION_DAYS: 'jobs.outputRetentionDays',
  HUIJI_MEMBERS_CARD_PREFIX: 'members.cardPrefix',
  HUIJI_PUBLIC_URL: 'http.publicUrl',
  HUIJI_MEMBERS_IMPORT_MAX_MEGABYTES: 'members.importMaxMegabytes',
  HUIJI_BACKUP_DIR: 'backup.dir',
  HUIJI_BACKUP_PUBLIC_KEY_FILE: 'backup.publicKeyFile',
  HUIJI_BACKUP_TIME: 'backup.time',
  HUIJI_BACKUP_KEEP_DAILY: 'backup.keepDaily',
  HUIJI_BACKUP_KEEP_WEEKLY: 'backup.keepWeekly',
  HUIJI_BACKUP_KEEP_MONTHLY: 'backup.keepMonthly',
  HUIJI_BACKUP_COPY_TO: 'backup.copyTo',
};

const BOOLEAN_KEYS = new Set(['database.migrateOnStart', 'auth.allowPlainPassword']);

/** Settings whose values an error message must not repeat: they land in terminals and logs. */
const SECRET_KEYS = ['auth.bootstrapAdminPassword', 'audit.hmacKey', 'crypto.'];
const isSecret = (key: string) => SECRET_KEYS.some((secret) => (secret.endsWith('.') ? key.startsWith(secret) : key === secret));

/** A value as an error message may show it: secrets hidden, passwords in URLs starred. */
function shownValue(key: string, value: unknown): string {
  if (isSecret(key)) return '<hidden>';
  const text = JSON.stringify(value);
  return typeof value === 'string' ? text.replace(/(\/\/[^/:@\s]*:)[^@/\s]+@/, '$1***@') : text;
}

/** A configuration problem: its message is the one line an operator reads. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Source = { kind: 'file'; file: string } | { kind: 'env'; variable: string };

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export function loadConfig(options: LoadOptions = {}): HuijiConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const raw: Record<string, unknown> = {};
  const sources = new Map<string, Source>();

  const configFile = path.resolve(cwd, env.HUIJI_CONFIG ?? 'huiji.config.json');
  if (fs.existsSync(configFile)) {
    const fromFile = readConfigFile(configFile, env.HUIJI_CONFIG ? 'HUIJI_CONFIG' : null);
    for (const [key, value] of flatten(fromFile)) {
      setPath(raw, key, value);
      sources.set(key, { kind: 'file', file: configFile });
    }
  } else if (env.HUIJI_CONFIG) {
    throw new ConfigError(
      `Configuration error: HUIJI_CONFIG points to ${configFile}, which does not exist; expected the path of a JSON config file.`,
    );
  }

  for (const [variable, key] of Object.entries(ENV_KEYS)) {
    const value = env[variable];
    if (value === undefined || value === '') continue;
    if (variable === 'NODE_ENV' && !['production', 'development', 'test'].includes(value)) continue;
    setPath(raw, key, BOOLEAN_KEYS.has(key) ? parseBoolean(value, variable) : value);
    sources.set(key, { kind: 'env', variable });
  }

  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue.code === 'unrecognized_keys') {
      const key = [...issue.path, issue.keys[0]].join('.');
      const file = sources.get(key)?.kind === 'file' ? ` in ${configFile}` : '';
      throw new ConfigError(`Configuration error: "${key}"${file} is not a known setting; see docs/configuration.md for the accepted keys.`);
    }
    let key = issue.path.join('.');
    // A value inside a setting (a key of crypto.fieldKeys) came from that setting's source.
    while (!sources.has(key) && key.includes('.') && getPath(raw, key) === undefined) key = key.slice(0, key.lastIndexOf('.'));
    if (!sources.has(key)) key = issue.path.join('.');
    const source = sources.get(key);
    const value = getPath(raw, key);
    const where =
      source?.kind === 'env'
        ? source.variable
        : source?.kind === 'file'
          ? `"${key}" in ${source.file}`
          : `"${key}"`;
    const shown = value === undefined ? '' : `=${shownValue(key, value)}`;
    throw new ConfigError(`Configuration error: ${where}${shown} is invalid: ${issue.message}.`);
  }

  const config = parsed.data;
  const dataDir = path.resolve(cwd, config.dataDir);
  return {
    ...config,
    dataDir,
    logDir: path.resolve(cwd, config.logDir),
    databaseUrl: config.databaseUrl ?? `sqlite:${path.join(dataDir, 'huiji.sqlite')}`,
    backup: {
      ...config.backup,
      dir: path.resolve(cwd, config.backup.dir ?? path.join(dataDir, 'backups')),
      publicKeyFile: path.resolve(cwd, config.backup.publicKeyFile ?? path.join(dataDir, 'keys', 'backup-public.pem')),
      copyTo: config.backup.copyTo === undefined ? undefined : path.resolve(cwd, config.backup.copyTo),
    },
  };
}

function readConfigFile(file: string, viaVariable: string | null): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `Configuration error: cannot read ${file} (${(error as NodeJS.ErrnoException).code}); expected a readable JSON file${viaVariable ? ` named by ${viaVariable}` : ''}.`,
    );
  }
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError(
      `Configuration error: ${file} is not valid JSON (${(error as Error).message}); expected a JSON object such as {"port": 8080}.`,
    );
  }
  throw new ConfigError(`Configuration error: ${file} must hold a JSON object such as {"port": 8080}.`);
}

function parseBoolean(value: string, variable: string): boolean {
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new ConfigError(`Configuration error: ${variable}=${JSON.stringify(value)} is invalid: expected true or false.`);
}

function* flatten(object: Record<string, unknown>, prefix = ''): Generator<[string, unknown]> {
  for (const [key, value] of Object.entries(object)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      yield* flatten(value as Record<string, unknown>, full);
    } else {
      yield [full, value];
    }
  }
}

function setPath(target: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    node[part] ??= {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]] = value;
}

function getPath(target: Record<string, unknown>, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], target);
}
