import crypto from 'node:crypto';
import type { Sequelize } from 'sequelize';
import { withTransaction } from '../../platform/db/transaction.js';
import { AppError } from '../../platform/errors/app-error.js';
import { currentRequestContext, runWithRequestContext } from '../../platform/http/request-context.js';
import { invalidFields } from '../../platform/http/validation.js';
import type { Logger } from '../../platform/logger/index.js';
import { applyMask } from '../access/field-policy/index.js';
import type { AuditService } from '../audit/service.js';
import type { MemberConsents } from '../members/consents.js';
import type { MemberContact } from '../members/contact.js';
import type { CustomValues } from '../members/custom-values.js';
import { customPath } from '../members/form/index.js';
import type { MemberService } from '../members/service.js';
import type { StoreRecord } from '../stores/models.js';
import type { StoreService } from '../stores/service.js';
import type { ChannelService } from './channels-service.js';
import type { VerificationCodes } from './codes.js';
import { registrationError } from './errors.js';
import type { CodeLimits } from './limits.js';
import { CHANNEL_BUILTIN_FIELDS, channelFields, type ChannelRecord } from './models.js';
import { registrationActor, registrationPrincipal } from './principal.js';
import { formFields, regionChoices, registrationCustomFields } from './public-form.js';
import { codeMessage, type SmsProvider } from './sms.js';

export interface RegistrationDeps {
  sequelize: Sequelize;
  logger: Logger;
  channels: ChannelService;
  codes: VerificationCodes;
  limits: CodeLimits;
  members: MemberService;
  consents: MemberConsents;
  custom: CustomValues;
  stores: StoreService;
  contact: MemberContact;
  audit: AuditService;
  sms: SmsProvider;
}

export interface SubmitInput {
  phone: string;
  code: string;
  consent: { marketing: boolean };
  custom?: Record<string, unknown>;
  [field: string]: unknown;
}

/** Where a stranger's answer names the consent source in the member's history. */
export const CONSENT_SOURCE = 'self_registration';

const sha256 = (text: string) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * The public side of self-registration: the form of a channel's page, the SMS code that
 * proves the phone, and the registration itself, which goes through the members module
 * like any other (field guard, custom field checks, card number, audit).
 */
export class RegistrationService {
  constructor(private readonly deps: RegistrationDeps) {}

  async form(code: string) {
    const { channel, store } = await this.open(code);
    const { fields } = await this.formOf(channel);
    return {
      channel: { code: channel.code, name: channel.name },
      store: { name: store.name },
      privacyNotice: channel.privacyNotice,
      consentText: channel.consentText,
      fields,
      regions: regionChoices(fields),
      codeLength: 6,
      resendSeconds: this.deps.limits.phoneGapSeconds,
    };
  }

  async sendCode(code: string, phone: string, ip: string | null) {
    const { channel, store } = await this.open(code);
    const { limits, codes } = this.deps;
    // Sent whether or not the number is a member already: answering differently here would
    // tell anyone which numbers belong to members. Submitting, with the code, tells its owner.
    const issued = await codes.issue(channel.id, this.deps.contact.phoneIndex(phone), ip);
    try {
      await this.deps.sms.send(phone, codeMessage(store.name, issued.code, limits.ttlMinutes));
    } catch (error) {
      await codes.discard(issued.id);
      this.deps.logger.error('registration code not sent', { provider: this.deps.sms.name, channel: channel.code, error });
      throw registrationError('REGISTRATION_SMS_UNAVAILABLE');
    }
    return { sentTo: applyMask('phone', phone)!, expiresInSeconds: limits.ttlMinutes * 60, resendInSeconds: limits.phoneGapSeconds };
  }

  async submit(code: string, input: SubmitInput): Promise<{ cardNo: string; storeName: string }> {
    const { channel, store } = await this.open(code);
    const { builtin, custom } = await this.formOf(channel);
    const values = this.formValues(input, builtin, custom.map((d) => d.key));
    const pending = await this.deps.codes.verify(channel.id, this.deps.contact.phoneIndex(input.phone), input.code);
    const principal = registrationPrincipal(channel, { builtin, custom: custom.map((d) => d.key) });
    const outer = currentRequestContext() ?? { requestId: crypto.randomUUID(), locale: 'zh-CN' as const };
    try {
      // The members module audits as the request's principal: this one, for the whole write.
      return await runWithRequestContext({ ...outer, principal }, () =>
        withTransaction(this.deps.sequelize, async (transaction) => {
          await this.deps.codes.claim(pending, transaction);
          const member = await this.deps.members.create(principal, { ...values, phone: input.phone, homeStoreId: channel.storeId, channel: channel.code });
          const memberId = Number(member.id);
          await this.deps.consents.set(null, memberId, { sms: input.consent.marketing }, CONSENT_SOURCE);
          await this.deps.audit.record({
            action: 'member.self_register',
            entityType: 'member',
            entityId: memberId,
            storeId: channel.storeId,
            summary: `会员 ${String(member.cardNo)} 通过注册渠道 ${channel.code} 自助注册，已同意隐私政策，营销短信${input.consent.marketing ? '同意' : '未同意'}`,
            // Which texts were accepted, as hashes: the channel's audit trail holds the texts.
            diff: { channel: channel.code, privacyNoticeSha256: sha256(channel.privacyNotice), consentTextSha256: sha256(channel.consentText), marketing: input.consent.marketing },
            actor: registrationActor(channel.code),
          });
          return { cardNo: String(member.cardNo), storeName: store.name };
        }),
      );
    } catch (error) {
      // The members module would name the existing card to a caller of that store; a
      // stranger on a public page learns only that the number is registered.
      if (error instanceof AppError && (error.code === 'MEMBER_PHONE_TAKEN' || error.code === 'MEMBER_PHONE_TAKEN_ELSEWHERE')) {
        throw registrationError('REGISTRATION_PHONE_REGISTERED', { details: { field: 'phone' } });
      }
      throw error;
    }
  }

  async pruneCodes(): Promise<number> {
    return this.deps.codes.prune();
  }

  /** An active channel whose store is open; anything else is one friendly 404. */
  private async open(code: string): Promise<{ channel: ChannelRecord; store: StoreRecord }> {
    const channel = await this.deps.channels.findByCode(code);
    if (!channel || channel.status !== 'active') throw registrationError('REGISTRATION_PAGE_NOT_FOUND');
    const principal = registrationPrincipal(channel, { builtin: [], custom: [] });
    const store = await this.deps.stores.get(principal, channel.storeId).catch((error: unknown) => {
      if (error instanceof AppError && error.status === 404) return null;
      throw error;
    });
    if (!store || store.status !== 'open') throw registrationError('REGISTRATION_PAGE_NOT_FOUND');
    return { channel, store };
  }

  private async formOf(channel: ChannelRecord) {
    const builtin = channelFields(channel);
    const custom = registrationCustomFields(await this.deps.custom.definitions());
    return { builtin, custom, fields: formFields(builtin, custom) };
  }

  /**
   * The member fields of a submission. A field the page does not show is refused on its
   * path (422), before the code is tried, rather than as the field guard's 403: the page
   * of this channel never sends one, so it is a stale page or a hand-made request.
   */
  private formValues(input: SubmitInput, builtin: readonly string[], customKeys: readonly string[]) {
    const problems = [
      ...CHANNEL_BUILTIN_FIELDS.filter((key) => input[key] !== undefined && !builtin.includes(key)).map((key) => key as string),
      ...Object.keys(input.custom ?? {}).filter((key) => !customKeys.includes(key)).map(customPath),
    ];
    if (problems.length > 0) {
      throw invalidFields(problems.map((path) => ({ path, code: 'not_on_form', zh: '该注册页面不收集此项', en: 'This registration page does not ask for this field' })));
    }
    const values: Record<string, unknown> = Object.fromEntries(builtin.filter((key) => input[key] !== undefined).map((key) => [key, input[key]]));
    if (input.custom && Object.keys(input.custom).length > 0) values.custom = input.custom;
    return values;
  }
}
