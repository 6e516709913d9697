import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Sequelize } from 'sequelize';
import { dialectOf } from './connect.js';

const LOCK_NAME = 'huiji_migrations';
const WAIT_SECONDS = 300;

/**
 * Holds a cross-process lock while `work` runs, so two nodes starting together never
 * apply the same migration twice. MySQL: a named lock bound to one connection, released
 * by the server if this process dies. SQLite: a lock file beside the database.
 */
export async function withMigrationLock<T>(sequelize: Sequelize, work: () => Promise<T>): Promise<T> {
  if (dialectOf(sequelize) === 'mysql') return withMysqlLock(sequelize, work);
  const storage = (sequelize as unknown as { options: { storage?: string } }).options.storage;
  if (!storage || storage === ':memory:') return work();
  return withFileLock(`${storage}.migrate-lock`, work);
}

async function withMysqlLock<T>(sequelize: Sequelize, work: () => Promise<T>): Promise<T> {
  // An unmanaged transaction pins one pooled connection for the named lock's lifetime.
  const holder = await sequelize.transaction();
  try {
    const [rows] = await sequelize.query('SELECT GET_LOCK(?, ?) AS got', {
      replacements: [LOCK_NAME, WAIT_SECONDS],
      transaction: holder,
    });
    if (Number((rows as Array<{ got: number | null }>)[0]?.got) !== 1) {
      throw new Error(`Timed out after ${WAIT_SECONDS}s waiting for another node to finish migrating`);
    }
    try {
      return await work();
    } finally {
      await sequelize.query('SELECT RELEASE_LOCK(?)', { replacements: [LOCK_NAME], transaction: holder });
    }
  } finally {
    await holder.commit();
  }
}

async function withFileLock<T>(lockPath: string, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + WAIT_SECONDS * 1000;
  for (;;) {
    try {
      const fd = fs.openSync(lockPath, 'wx', 0o600);
      fs.writeSync(fd, JSON.stringify({ pid: process.pid, at: new Date().toISOString() }));
      fs.closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (isStale(lockPath)) {
        fs.rmSync(lockPath, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(`Timed out waiting for the migration lock ${lockPath}; remove it if no Huiji process is running`, {
          cause: error,
        });
      }
      await sleep(200);
    }
  }
  try {
    return await work();
  } finally {
    fs.rmSync(lockPath, { force: true });
  }
}

function isStale(lockPath: string): boolean {
  try {
    const { pid } = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as { pid: number };
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // ESRCH: the holder is gone. A half-written or unreadable file is treated as stale too.
    return (error as NodeJS.ErrnoException).code !== 'EPERM';
  }
}
