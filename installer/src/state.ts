import fs from 'node:fs';
import type { Layout } from './layout.js';
import { UsageError } from './errors.js';

/**
 * `<P>/etc/huiji/installer.json` (0600): what the installer must remember between runs and
 * the server never reads: which database and accounts it made, and the owner account's
 * password (the only copy; migrations, restores and rollbacks run with it).
 */
export interface InstallerState {
  version: string;
  prefix: string;
  dbName: string;
  dbHost: string;
  dbPort: number;
  appUser: string;
  ownerUser: string;
  ownerPassword: string;
  installedAt: string;
  service: boolean;
  nginx: boolean;
}

export function readState(layout: Layout): InstallerState | null {
  if (!fs.existsSync(layout.stateFile)) return null;
  let text: string;
  try {
    text = fs.readFileSync(layout.stateFile, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${layout.stateFile} (${(error as NodeJS.ErrnoException).code}); run the installer as root`);
  }
  try {
    return JSON.parse(text) as InstallerState;
  } catch (error) {
    throw new UsageError(`${layout.stateFile} is not valid JSON (${(error as Error).message}); fix or remove it`);
  }
}

/** The state of an existing install, or a usage error telling how to make one. */
export function requireState(layout: Layout): InstallerState {
  const state = readState(layout);
  if (!state) throw new UsageError(`Huiji is not installed under ${layout.prefix} (no ${layout.stateFile}); run huiji-installer install first, or give --prefix`);
  return state;
}

/** The server's configuration file as JSON, or null when there is none yet. */
export function readServerConfig(layout: Layout): Record<string, unknown> | null {
  if (!fs.existsSync(layout.configFile)) return null;
  try {
    return JSON.parse(fs.readFileSync(layout.configFile, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(`${layout.configFile} is not valid JSON (${(error as Error).message}); fix it before re-running`);
  }
}

export function ownerUrl(state: InstallerState): string {
  return mysqlUrl(state.ownerUser, state.ownerPassword, state.dbHost, state.dbPort, state.dbName);
}

export function mysqlUrl(user: string, password: string, host: string, port: number, database = ''): string {
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return `mysql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${hostPart}:${port}/${encodeURIComponent(database)}`;
}
