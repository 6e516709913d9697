import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The server's configuration as the installer writes it: the settings an install decides
 * (port, paths, database account) are set on every run; secrets are generated once and then
 * kept, so a re-run never makes existing encrypted data or audit records unreadable. Keys
 * the admin added by hand stay as they are. The server validates the result (bin/huiji
 * migrate reads it first), so a wrong key is reported before anything else runs.
 */
export interface InstallSettings {
  port: number;
  /** 127.0.0.1 behind nginx; 0.0.0.0 when clients reach Huiji directly. */
  host: string;
  behindProxy: boolean;
  dataDir: string;
  logDir: string;
  databaseUrl: string;
  backupDir: string;
  publicKeyFile: string;
}

type Json = Record<string, unknown>;

/** base64 of 32 random bytes, the form every Huiji key setting takes. */
export const newKey = () => crypto.randomBytes(32).toString('base64');
/** 32 URL-safe characters: fits a mysql:// URL without escaping. */
export const newPassword = () => crypto.randomBytes(24).toString('base64url');

const section = (config: Json, key: string): Json => {
  const value = config[key];
  return value && typeof value === 'object' && !Array.isArray(value) ? { ...(value as Json) } : {};
};

export interface BuiltConfig {
  config: Json;
  /** Secrets made in this run, by setting name (to register with the log redactor). */
  generated: Record<string, string>;
}

export function buildServerConfig(existing: Json | null, settings: InstallSettings): BuiltConfig {
  const config: Json = { ...(existing ?? {}) };
  const generated: Record<string, string> = {};
  const keysDir = path.join(settings.dataDir, 'keys');

  config.env = config.env ?? 'production';
  config.port = settings.port;
  config.host = settings.host;
  config.dataDir = settings.dataDir;
  config.logDir = settings.logDir;
  config.databaseUrl = settings.databaseUrl;
  config.database = { ...section(config, 'database'), migrateOnStart: false };

  const http = section(config, 'http');
  if (settings.behindProxy) http.trustProxy = 'loopback';
  if (Object.keys(http).length > 0) config.http = http;

  config.backup = { ...section(config, 'backup'), dir: settings.backupDir, publicKeyFile: settings.publicKeyFile };

  // Keys the server already generated into <dataDir>/keys (a server that ran before the
  // installer) are the ones its data was written with: never shadow them with new ones.
  const crypto = section(config, 'crypto');
  if (!crypto.fieldKeys && !fs.existsSync(path.join(keysDir, 'field-keys.json'))) {
    const fieldKey = newKey();
    const blindIndexKey = newKey();
    crypto.fieldKeys = { k1: fieldKey };
    crypto.activeFieldKey = 'k1';
    crypto.blindIndexKey = blindIndexKey;
    generated['crypto.fieldKeys.k1'] = fieldKey;
    generated['crypto.blindIndexKey'] = blindIndexKey;
  }
  if (Object.keys(crypto).length > 0) config.crypto = crypto;

  const audit = section(config, 'audit');
  if (!audit.hmacKey && !fs.existsSync(path.join(keysDir, 'audit-hmac.key'))) {
    audit.hmacKey = newKey();
    generated['audit.hmacKey'] = audit.hmacKey as string;
  }
  if (Object.keys(audit).length > 0) config.audit = audit;

  return { config, generated };
}

/** Every secret value in a config, for the log redactor. */
export function configSecrets(config: Json): string[] {
  const crypto = section(config, 'crypto');
  const audit = section(config, 'audit');
  const auth = section(config, 'auth');
  const values = [
    ...Object.values(section(crypto, 'fieldKeys')),
    crypto.blindIndexKey,
    audit.hmacKey,
    auth.bootstrapAdminPassword,
  ];
  const url = typeof config.databaseUrl === 'string' ? config.databaseUrl : '';
  const password = /\/\/[^:/@]*:([^@]+)@/.exec(url)?.[1];
  return [...values, password ? decodeURIComponent(password) : undefined].filter((v): v is string => typeof v === 'string');
}

/** The app account's password in an existing config's database URL, when it is that account's. */
export function existingAppPassword(config: Json | null, appUser: string): string | null {
  const url = typeof config?.databaseUrl === 'string' ? config.databaseUrl : null;
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return decodeURIComponent(parsed.username) === appUser && parsed.password ? decodeURIComponent(parsed.password) : null;
  } catch {
    return null;
  }
}
