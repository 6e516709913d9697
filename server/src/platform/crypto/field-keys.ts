import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { HuijiConfig } from '../config/schema.js';
import type { FieldKeys } from './field-cipher.js';
import { loadOrCreateKeyFile } from './key-files.js';

export const FIELD_KEY_FILE = 'field-keys.json';

/** What `<dataDir>/keys/field-keys.json` holds when the keys are not in the configuration. */
interface KeyFile {
  active: string;
  keys: Record<string, string>;
  blindIndexKey: string;
}

const newKey = () => crypto.randomBytes(32).toString('base64');

/**
 * The field-encryption keys: from the configuration when it sets them (the installer
 * does), else from a key file in the data directory created on first start, so a plain
 * `npm start` encrypts too. Nodes sharing a database must share the keys, and losing them
 * loses the data they protect: back them up apart from the database.
 */
export function loadFieldKeys(dataDir: string, config: HuijiConfig['crypto']): FieldKeys & { source: 'config' | 'file' } {
  if (config.fieldKeys && config.blindIndexKey) {
    const ids = Object.keys(config.fieldKeys);
    return {
      source: 'config',
      keys: new Map(Object.entries(config.fieldKeys).map(([id, key]) => [id, Buffer.from(key, 'base64')])),
      activeKeyId: config.activeFieldKey ?? ids[0],
      blindIndexKey: Buffer.from(config.blindIndexKey, 'base64'),
    };
  }
  const file = readKeyFile(
    loadOrCreateKeyFile(dataDir, FIELD_KEY_FILE, () => `${JSON.stringify({ active: 'k1', keys: { k1: newKey() }, blindIndexKey: newKey() }, null, 2)}\n`),
  );
  return {
    source: 'file',
    keys: new Map(Object.entries(file.keys).map(([id, key]) => [id, Buffer.from(key, 'base64')])),
    activeKeyId: file.active,
    blindIndexKey: Buffer.from(file.blindIndexKey, 'base64'),
  };
}

function readKeyFile(text: string): KeyFile {
  const file = JSON.parse(text) as KeyFile;
  if (!file.keys || !file.keys[file.active] || !file.blindIndexKey) throw new Error(`${FIELD_KEY_FILE} is damaged: it needs active, keys[active] and blindIndexKey`);
  return file;
}

/**
 * Adds a new field key to the key file and makes it the active one; returns its id. Old
 * keys stay, so values written with them still decrypt until `reencrypt` has rewritten them.
 */
export function addFieldKeyToFile(dataDir: string): string {
  const location = path.join(dataDir, 'keys', FIELD_KEY_FILE);
  const file = readKeyFile(fs.readFileSync(location, 'utf8'));
  let n = Object.keys(file.keys).length + 1;
  while (file.keys[`k${n}`]) n += 1;
  const id = `k${n}`;
  const next: KeyFile = { ...file, active: id, keys: { ...file.keys, [id]: newKey() } };
  const temp = `${location}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(temp, location);
  return id;
}
