import crypto from 'node:crypto';
import { Op, type Model, type ModelStatic, type Sequelize, type Transaction, type WhereOptions } from 'sequelize';
import type { FieldCipher } from '../../platform/crypto/field-cipher.js';
import { withTransaction } from '../../platform/db/transaction.js';
import type { AppError } from '../../platform/errors/app-error.js';
import { registrationError } from './errors.js';
import { DAY_MS, limitChecks, limitReached, type CodeLimits, type LimitCheck } from './limits.js';
import type { RegistrationModels } from './models.js';

/** The columns every table of codes has, besides the one naming its page. */
export interface CodeFields {
  id: number;
  phoneBidx: string;
  codeHash: string;
  attempts: number;
  expiresAt: Date;
  usedAt: Date | null;
  ip: string | null;
  createdAt: Date;
}
export type CodeRow = Model & CodeFields;

/**
 * Where one kind of code is kept. Registration pages keep theirs per channel
 * (registration_codes); the coupons module's claim pages per template
 * (coupon_claim_codes). Same rows and rules; the page column, the hash's purpose and the
 * message when a page's own cap is full differ.
 */
export interface CodeBook {
  model: ModelStatic<CodeRow>;
  /** The attribute naming the page a code was sent for (`channelId`, `templateId`). */
  pageKey: string;
  /** Locks the page's row while the limits are counted. */
  lockPage(pageId: number, transaction: Transaction): Promise<unknown>;
  /** The blind-index purpose the code hashes are keyed with. */
  purpose: string;
  /** The 429 when the page's own cap is full; REGISTRATION_SMS_CHANNEL_LIMIT when left out. */
  pageBusy?: (minutes: number, details: { retryAfterSeconds: number }) => AppError;
}

/** The registration channels' book. */
export function registrationCodeBook(models: RegistrationModels): CodeBook {
  return {
    model: models.RegistrationCode as unknown as ModelStatic<CodeRow>,
    pageKey: 'channelId',
    lockPage: (channelId, transaction) => models.RegistrationChannel.findByPk(channelId, { transaction, lock: transaction.LOCK.UPDATE, attributes: ['id'] }),
    purpose: 'registration.code',
  };
}

export interface CodeDeps {
  sequelize: Sequelize;
  book: CodeBook;
  cipher: FieldCipher;
  limits: CodeLimits;
  businessTimezone: string;
}

/**
 * The SMS codes that prove a phone number. A row keeps the phone's blind index and an
 * HMAC of the code bound to the page and phone, never either in clear. Only the newest
 * code of a phone on a page counts; it works once, for `ttlMinutes`, and `maxAttempts`
 * wrong tries burn it. "Page" is a registration channel or a coupon claim page (CodeBook).
 */
export class VerificationCodes {
  constructor(private readonly deps: CodeDeps) {}

  /**
   * A new code, once every limit allows it. The page's row is locked while counting and
   * inserting, so two nodes cannot both let the last allowed code of that page through.
   */
  async issue(pageId: number, phoneBidx: string, ip: string | null, now = new Date()): Promise<{ id: number; code: string }> {
    const { book, limits } = this.deps;
    const code = String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');
    return withTransaction(this.deps.sequelize, async (transaction) => {
      await book.lockPage(pageId, transaction);
      for (const check of limitChecks(limits, ip !== null)) {
        const scope: WhereOptions = check.scope === 'ip' ? { ip } : check.scope === 'channel' ? { [book.pageKey]: pageId } : { phoneBidx };
        const freesAt = await this.fullUntil(scope, check, now, transaction);
        if (freesAt) throw limitReached(check, freesAt, now, this.deps.businessTimezone, book.pageBusy);
      }
      const row = await book.model.create(
        {
          [book.pageKey]: pageId,
          phoneBidx,
          codeHash: this.hash(pageId, phoneBidx, code),
          attempts: 0,
          expiresAt: new Date(now.getTime() + limits.ttlMinutes * 60_000),
          usedAt: null,
          ip,
          createdAt: now,
        },
        { transaction },
      );
      return { id: row.id, code };
    });
  }

  /** A code the SMS gateway could not deliver must not count against its owner. */
  async discard(id: number): Promise<void> {
    await this.deps.book.model.destroy({ where: { id } });
  }

  /**
   * Checks a code without using it up (the member may still fail the form's checks). Each
   * try takes an attempt before comparing, so parallel guesses cannot outrun the limit; a
   * right code gives its attempt back.
   */
  async verify(pageId: number, phoneBidx: string, code: string, now = new Date()): Promise<CodeRow> {
    const codes = this.deps.book.model;
    const { maxAttempts } = this.deps.limits;
    const row = await codes.findOne({ where: { [this.deps.book.pageKey]: pageId, phoneBidx }, order: [['id', 'DESC']] });
    if (!row || row.usedAt !== null || row.expiresAt <= now) throw registrationError('REGISTRATION_CODE_EXPIRED', { details: { field: 'code' } });
    const [taken] = await codes.update(
      { attempts: this.deps.sequelize.literal('attempts + 1') as unknown as number },
      { where: { id: row.id, usedAt: null, attempts: { [Op.lt]: maxAttempts } } },
    );
    if (taken === 0) throw registrationError('REGISTRATION_CODE_LOCKED', { details: { field: 'code' } });
    const expected = Buffer.from(row.codeHash, 'hex');
    const given = Buffer.from(this.hash(pageId, phoneBidx, code), 'hex');
    if (!crypto.timingSafeEqual(expected, given)) {
      const left = maxAttempts - (row.attempts + 1);
      if (left <= 0) throw registrationError('REGISTRATION_CODE_LOCKED', { details: { field: 'code' } });
      throw registrationError('REGISTRATION_CODE_WRONG', { params: { left }, details: { field: 'code', attemptsLeft: left } });
    }
    await codes.update({ attempts: this.deps.sequelize.literal('attempts - 1') as unknown as number }, { where: { id: row.id } });
    return row;
  }

  /** Uses a verified code up, in the registration's transaction: rolled back, it works again. */
  async claim(row: CodeRow, transaction: Transaction, now = new Date()): Promise<void> {
    const [claimed] = await this.deps.book.model.update(
      { usedAt: now },
      { where: { id: row.id, usedAt: null, expiresAt: { [Op.gt]: now } }, transaction },
    );
    if (claimed === 0) throw registrationError('REGISTRATION_CODE_EXPIRED', { details: { field: 'code' } });
  }

  /** Deletes rows no limit counts any more; they hold an address and a phone's index. */
  async prune(now = new Date()): Promise<number> {
    const keepMs = Math.max(DAY_MS, this.deps.limits.channelWindowMinutes * 60_000);
    return this.deps.book.model.destroy({ where: { createdAt: { [Op.lt]: new Date(now.getTime() - keepMs) } } });
  }

  /** When a full limit frees up: the `max`-th newest counted code leaving the window; null when not full. */
  private async fullUntil(scope: WhereOptions, check: LimitCheck, now: Date, transaction: Transaction): Promise<Date | null> {
    const row = await this.deps.book.model.findOne({
      where: { [Op.and]: [scope, { createdAt: { [Op.gt]: new Date(now.getTime() - check.windowMs) } }] },
      order: [['createdAt', 'DESC']],
      offset: check.max - 1,
      attributes: ['createdAt'],
      transaction,
    });
    return row ? new Date(row.createdAt.getTime() + check.windowMs) : null;
  }

  private hash(pageId: number, phoneBidx: string, code: string): string {
    return this.deps.cipher.blindIndex(`${pageId}:${phoneBidx}:${code}`, this.deps.book.purpose);
  }
}
