import fs from 'node:fs';
import path from 'node:path';
import type { HuijiConfig } from '../config/schema.js';
import { parseDatabaseUrl } from '../config/schema.js';

/**
 * The data directory's files that belong in a backup: uploads, import and export results.
 * Left out: the keys (they go to the `.hjkey` file), the first admin's password, the SQLite
 * database (its own entry, copied consistently), logs, backups themselves and rollback dumps.
 */
export function listDataFiles(config: HuijiConfig): string[] {
  const root = config.dataDir;
  if (!fs.existsSync(root)) return [];
  const target = parseDatabaseUrl(config.databaseUrl);
  const sqliteFile = target?.dialect === 'sqlite' ? path.resolve(target.storage) : null;
  const skipped = new Set([path.join(root, 'keys'), path.join(root, 'rollback'), path.join(root, 'initial-admin-password'), config.logDir, config.backup.dir, config.backup.copyTo].filter(Boolean) as string[]);
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (skipped.has(full)) continue;
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        if (sqliteFile && (full === sqliteFile || full.startsWith(`${sqliteFile}-`))) continue;
        if (entry.name.endsWith('.partial') || entry.name.endsWith('.tmp')) continue;
        files.push(path.relative(root, full));
      }
    }
  };
  walk(root);
  return files.sort();
}

/** Writes a restored data file, refusing names that would land outside the data directory. */
export function dataFilePath(dataDir: string, name: string): string {
  const full = path.resolve(dataDir, name);
  if (!full.startsWith(`${path.resolve(dataDir)}${path.sep}`)) throw new Error(`refusing to write outside the data directory: ${name}`);
  return full;
}
