import fs from 'node:fs';
import path from 'node:path';
import { UniqueConstraintError, type Sequelize } from 'sequelize';
import { withTransaction } from '../../platform/db/transaction.js';
import type { AccessService } from '../access/service.js';
import type { AuthModels } from './models.js';
import { generatePassword, hashPassword } from './password.js';

export const BOOTSTRAP_USERNAME = 'admin';
export const INITIAL_PASSWORD_FILE = 'initial-admin-password';

export interface BootstrapResult {
  created: boolean;
  /** Only when Huiji generated the password, so it can be shown once. */
  generatedPassword?: string;
  passwordFile?: string;
}

/**
 * Creates the first administrator when the database has no users. The password comes
 * from configuration or is generated; a generated one is written to the data directory
 * (0600) and removed when the admin sets their own.
 */
export async function ensureBootstrapAdmin(options: {
  sequelize: Sequelize;
  models: AuthModels;
  access: AccessService;
  dataDir: string;
  password?: string;
}): Promise<BootstrapResult> {
  const { sequelize, models, access } = options;
  if ((await models.User.count()) > 0) return { created: false };
  const password = options.password ?? generatePassword();
  const passwordHash = await hashPassword(password);
  try {
    await withTransaction(sequelize, async (transaction) => {
      const user = await models.User.create(
        {
          username: BOOTSTRAP_USERNAME,
          displayName: '系统管理员',
          passwordHash,
          mustChangePassword: true,
          passwordChangedAt: null,
        },
        { transaction },
      );
      await access.assignRole(user.id, 'super_admin', transaction);
    });
  } catch (error) {
    // Another node created the admin at the same moment; that one is the first admin.
    if (error instanceof UniqueConstraintError) return { created: false };
    throw error;
  }
  if (options.password) return { created: true };
  const passwordFile = path.join(options.dataDir, INITIAL_PASSWORD_FILE);
  fs.mkdirSync(options.dataDir, { recursive: true });
  fs.writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  fs.chmodSync(passwordFile, 0o600);
  return { created: true, generatedPassword: password, passwordFile };
}

export function removeInitialPasswordFile(dataDir: string): void {
  fs.rmSync(path.join(dataDir, INITIAL_PASSWORD_FILE), { force: true });
}
