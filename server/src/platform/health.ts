import type { Sequelize } from 'sequelize';
import { migrationStatus } from './db/migrate.js';

export type Check = { ok: true } | { ok: false; reason: string };

/**
 * What /readyz reports. Start-up fills it in as the database answers and migrations
 * finish; afterwards each probe asks the database again, so an outage shows.
 */
export class Readiness {
  database: Check = { ok: false, reason: 'not connected yet' };
  migrations: Check = { ok: false, reason: 'not checked yet' };
  /**
   * The job store. Reported, but it does not make the server unready: members and checkout
   * work while a separate MongoDB for jobs is down.
   */
  jobs: () => Check = () => ({ ok: false, reason: 'not started yet' });
  private started = false;

  markStarted(): void {
    this.started = true;
  }

  get ready(): boolean {
    return this.started && this.database.ok && this.migrations.ok;
  }

  async probe(sequelize: Sequelize): Promise<{ ready: boolean; checks: Record<string, string> }> {
    if (this.started) {
      try {
        await withTimeout(sequelize.query('SELECT 1'), 2_000);
        this.database = { ok: true };
        // Applied migrations stay applied, so only a pending state is worth asking about again.
        if (!this.migrations.ok) {
          const { pending } = await withTimeout(migrationStatus(sequelize), 2_000);
          this.migrations = pending === 0 ? { ok: true } : { ok: false, reason: `${pending} pending` };
        }
      } catch (error) {
        this.database = { ok: false, reason: describeDbError(error) };
      }
    }
    return {
      ready: this.ready,
      checks: {
        database: this.database.ok ? 'ok' : this.database.reason,
        migrations: this.migrations.ok ? 'ok' : this.migrations.reason,
        jobs: ((check) => (check.ok ? 'ok' : check.reason))(this.jobs()),
      },
    };
  }
}

export function describeDbError(error: unknown): string {
  const err = error as { original?: { code?: string; message?: string }; parent?: { code?: string }; message?: string };
  const code = err.original?.code ?? err.parent?.code;
  const message = err.original?.message ?? err.message ?? String(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
