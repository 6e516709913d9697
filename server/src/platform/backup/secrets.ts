import fs from 'node:fs';
import path from 'node:path';
import type { HuijiConfig } from '../config/schema.js';
import { FIELD_KEY_FILE } from '../crypto/field-keys.js';

/**
 * What the `.hjkey` file holds: the secrets that read the database's encrypted columns and
 * verify its audit chain. They travel apart from the data, so one stolen file is not enough,
 * and a restore without them would give a database whose phone numbers cannot be read.
 */
export interface SecretsBundle {
  format: 1;
  fieldKeys: { active: string; keys: Record<string, string>; blindIndexKey: string } | null;
  auditHmacKey: string | null;
  /** Every file of `<dataDir>/keys` (login key, audit signing key...), base64. */
  keyFiles: Record<string, string>;
}

const keysDir = (dataDir: string) => path.join(dataDir, 'keys');
const AUDIT_HMAC_FILE = 'audit-hmac.key';

export function collectSecrets(config: HuijiConfig): SecretsBundle {
  const dir = keysDir(config.dataDir);
  const keyFiles: Record<string, string> = {};
  if (fs.existsSync(dir)) {
    for (const name of fs.readdirSync(dir)) {
      const file = path.join(dir, name);
      if (fs.statSync(file).isFile() && !name.endsWith('.tmp') && !name.includes('.pre-restore-') && name !== 'backup-public.pem') keyFiles[name] = fs.readFileSync(file).toString('base64');
    }
  }
  const fromFile = (name: string) => (keyFiles[name] ? Buffer.from(keyFiles[name], 'base64').toString('utf8') : null);
  let fieldKeys: SecretsBundle['fieldKeys'] = null;
  if (config.crypto.fieldKeys && config.crypto.blindIndexKey) {
    const ids = Object.keys(config.crypto.fieldKeys);
    fieldKeys = { active: config.crypto.activeFieldKey ?? ids[0], keys: config.crypto.fieldKeys, blindIndexKey: config.crypto.blindIndexKey };
  } else if (fromFile(FIELD_KEY_FILE)) {
    fieldKeys = JSON.parse(fromFile(FIELD_KEY_FILE) as string) as SecretsBundle['fieldKeys'];
  }
  return { format: 1, fieldKeys, auditHmacKey: config.audit.hmacKey ?? fromFile(AUDIT_HMAC_FILE)?.trim() ?? null, keyFiles };
}

export interface AppliedSecrets {
  /** Where the previous files went, to put back when the restore rolls back. */
  undo: () => void;
  changed: string[];
}

/**
 * Puts a backup's secrets where this server keeps its own: into the config file when it
 * holds the keys (an installed server), else into `<dataDir>/keys`. The previous config and
 * key files are kept beside them (`*.pre-restore-<time>`) and come back on `undo`.
 */
export function applySecrets(config: HuijiConfig, configFile: string | null, secrets: SecretsBundle, stamp: string): AppliedSecrets {
  const dir = keysDir(config.dataDir);
  const changed: string[] = [];
  const undoSteps: (() => void)[] = [];
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });

  const replaceFile = (file: string, content: Buffer | string) => {
    if (fs.existsSync(file) && fs.readFileSync(file).equals(Buffer.from(content))) return;
    const previous = fs.existsSync(file) ? `${file}.pre-restore-${stamp}` : null;
    if (previous) fs.copyFileSync(file, previous);
    const temp = `${file}.tmp`;
    fs.writeFileSync(temp, content, { mode: 0o600 });
    fs.renameSync(temp, file);
    changed.push(file);
    undoSteps.push(() => {
      if (previous) fs.renameSync(previous, file);
      else fs.rmSync(file, { force: true });
    });
  };

  const files = { ...secrets.keyFiles };
  let configText: string | null = null;
  if (configFile && fs.existsSync(configFile)) {
    const current = JSON.parse(fs.readFileSync(configFile, 'utf8')) as Record<string, Record<string, unknown> | undefined>;
    let touched = false;
    if (current.crypto?.fieldKeys && secrets.fieldKeys) {
      current.crypto = { fieldKeys: secrets.fieldKeys.keys, activeFieldKey: secrets.fieldKeys.active, blindIndexKey: secrets.fieldKeys.blindIndexKey };
      delete files[FIELD_KEY_FILE];
      touched = true;
    }
    if (current.audit?.hmacKey && secrets.auditHmacKey) {
      current.audit = { ...current.audit, hmacKey: secrets.auditHmacKey };
      delete files[AUDIT_HMAC_FILE];
      touched = true;
    }
    if (touched) configText = `${JSON.stringify(current, null, 2)}\n`;
  }
  if (!configText) {
    if (secrets.fieldKeys) files[FIELD_KEY_FILE] = Buffer.from(`${JSON.stringify(secrets.fieldKeys, null, 2)}\n`).toString('base64');
    if (secrets.auditHmacKey) files[AUDIT_HMAC_FILE] = Buffer.from(`${secrets.auditHmacKey}\n`).toString('base64');
  }
  for (const [name, content] of Object.entries(files)) {
    if (name.includes('/') || name.startsWith('.')) continue;
    replaceFile(path.join(dir, name), Buffer.from(content, 'base64'));
  }
  if (configText && configFile) replaceFile(configFile, configText);
  return { changed, undo: () => undoSteps.reverse().forEach((step) => step()) };
}
