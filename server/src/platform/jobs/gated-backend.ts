import type { AgendaBackend } from 'agenda';
import type { Logger } from '../logger/index.js';

/**
 * agenda connects its backend the moment it is constructed, and crashes the process if that
 * fails. Huiji builds its scheduler with the rest of the app, before the database answers
 * and the migrations have run; this wrapper holds the connection back until `open()`, and
 * retries a failing one (MongoDB down) instead of letting it take the server with it.
 */
export class GatedBackend implements AgendaBackend {
  readonly name: string;
  readonly repository: AgendaBackend['repository'];
  readonly logger: AgendaBackend['logger'];
  readonly notificationChannel: AgendaBackend['notificationChannel'];
  private release!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.release = resolve));
  private stopped = false;
  connected = false;
  lastError: string | null = null;

  constructor(
    private readonly inner: AgendaBackend,
    private readonly log: Logger,
  ) {
    this.name = inner.name;
    this.repository = inner.repository;
    this.logger = inner.logger;
    this.notificationChannel = inner.notificationChannel;
  }

  get ownsConnection(): boolean {
    return this.inner.ownsConnection ?? false;
  }

  open(): void {
    this.release();
  }

  async connect(): Promise<void> {
    await this.gate;
    for (let attempt = 1; !this.stopped; attempt++) {
      try {
        await this.inner.connect();
        this.connected = true;
        this.lastError = null;
        return;
      } catch (error) {
        this.lastError = error instanceof Error ? error.message : String(error);
        const delay = Math.min(30_000, 500 * 2 ** attempt);
        this.log.error(`job storage ${this.inner.name} unavailable, retrying in ${delay / 1000} s`, { error: this.lastError });
        await new Promise((resolve) => setTimeout(resolve, delay).unref());
      }
    }
  }

  async disconnect(): Promise<void> {
    this.stopped = true;
    if (this.connected) await this.inner.disconnect();
  }
}
