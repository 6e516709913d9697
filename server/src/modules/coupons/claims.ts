import type { ModelStatic, Sequelize } from 'sequelize';
import type { FieldCipher } from '../../platform/crypto/field-cipher.js';
import { withTransaction } from '../../platform/db/transaction.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { Principal } from '../../platform/http/route.js';
import type { Logger } from '../../platform/logger/index.js';
import { systemPrincipal } from '../access/system-principal.js';
import type { AuditActor } from '../audit/service.js';
import type { MemberService } from '../members/service.js';
import { VerificationCodes, type CodeBook, type CodeRow } from '../registration/codes.js';
import { registrationError } from '../registration/errors.js';
import type { CodeLimits } from '../registration/limits.js';
import type { SmsProvider } from '../registration/sms.js';
import type { IssuingService } from './issuing.js';
import type { CouponModels, TemplateRecord } from './models.js';
import { ruleText } from './rule-text.js';
import { validityText } from './validity.js';

export interface ClaimDeps {
  sequelize: Sequelize;
  logger: Logger;
  models: CouponModels;
  members: MemberService;
  issuing: IssuingService;
  cipher: FieldCipher;
  limits: CodeLimits;
  sms: SmsProvider;
  businessTimezone: string;
}

/** The claim page's codes live beside the registration codes' rules: same limits, own table. */
export function claimCodeBook(models: CouponModels): CodeBook {
  return {
    model: models.CouponClaimCode as unknown as ModelStatic<CodeRow>,
    pageKey: 'templateId',
    lockPage: (templateId, transaction) => models.CouponTemplate.findByPk(templateId, { transaction, lock: transaction.LOCK.UPDATE, attributes: ['id'] }),
    purpose: 'coupon.claim_code',
    pageBusy: (minutes, details) => new AppError('COUPON_CLAIM_BUSY', { params: { minutes }, details }),
  };
}

export function claimCodeMessage(templateName: string, code: string, ttlMinutes: number): string {
  return `您正在领取「${templateName}」优惠券，验证码 ${code}，${ttlMinutes} 分钟内有效。如非本人操作，请忽略本短信。`;
}

const claimActor = (claimCode: string): AuditActor => ({ type: 'system', id: null, name: `self-claim via ${claimCode}`, roles: [] });

/**
 * Who claims on the public page: nobody signed in. It finds a member by the whole phone
 * number (which its owner proved with the SMS code) in any store, and reads nothing else.
 */
function claimPrincipal(claimCode: string): Principal {
  return systemPrincipal(claimActor(claimCode).name!, { fieldPolicies: [{ fields: { 'member.phone': 'masked', 'member.cardNo': 'read' } }] });
}

/**
 * Self-claim (自助领券) through a template's public page `/c/<claimCode>`: the page shows
 * the coupon, the SMS code proves the phone, and the claim issues one coupon to the member
 * with that phone, under the template's stock, daily and per-member claim limits. Strangers
 * learn nothing about who is a member until they hold the code.
 */
export class ClaimService {
  readonly codes: VerificationCodes;

  constructor(private readonly deps: ClaimDeps) {
    this.codes = new VerificationCodes({ sequelize: deps.sequelize, book: claimCodeBook(deps.models), cipher: deps.cipher, limits: deps.limits, businessTimezone: deps.businessTimezone });
  }

  async page(claimCode: string) {
    const template = await this.open(claimCode);
    const remaining = template.stock === null ? null : Math.max(template.stock - template.issuedCount, 0);
    return {
      name: template.name,
      kind: template.kind,
      rule: ruleText(template),
      description: template.description,
      validity: validityText(template, this.deps.businessTimezone),
      remaining,
      available: remaining !== 0 && !(template.validityType === 'fixed' && template.validUntil! < new Date()),
      codeLength: 6,
      resendSeconds: this.deps.limits.phoneGapSeconds,
    };
  }

  async sendCode(claimCode: string, phone: string, ip: string | null) {
    const template = await this.open(claimCode);
    // An empty template would spend a text message on a claim that cannot succeed.
    if (template.stock !== null && template.issuedCount >= template.stock) {
      throw new AppError('COUPON_OUT_OF_STOCK', { params: { name: template.name, left: 0, count: 1 }, details: { left: 0 } });
    }
    const { limits } = this.deps;
    // Sent whether or not the number is a member's: anything else would tell strangers which numbers are.
    const issued = await this.codes.issue(template.id, this.deps.members.phoneIndex(phone), ip);
    try {
      await this.deps.sms.send(phone, claimCodeMessage(template.name, issued.code, limits.ttlMinutes));
    } catch (error) {
      await this.codes.discard(issued.id);
      this.deps.logger.error('coupon claim code not sent', { provider: this.deps.sms.name, template: template.id, error });
      throw registrationError('REGISTRATION_SMS_UNAVAILABLE');
    }
    return { sent: true, expiresInSeconds: limits.ttlMinutes * 60, retryAfterSeconds: limits.phoneGapSeconds };
  }

  async claim(claimCode: string, input: { phone: string; smsCode: string }) {
    const template = await this.open(claimCode);
    const phoneBidx = this.deps.members.phoneIndex(input.phone);
    const pending = await this.codes.verify(template.id, phoneBidx, input.smsCode);
    const principal = claimPrincipal(template.claimCode!);
    const [found] = await this.deps.members.findForBulk(principal, { phones: [input.phone] });
    // The code stays unused: the owner may register now and claim with it.
    if (!found || found.status === 'erased') throw new AppError('COUPON_CLAIM_NOT_MEMBER');
    const coupon = await withTransaction(this.deps.sequelize, async (transaction) => {
      await this.codes.claim(pending, transaction);
      const member = await this.deps.members.lockForBalance(principal, found.id, transaction);
      const [issued] = await this.deps.issuing.issueInTransaction(
        template,
        member,
        { count: 1, source: 'claim', operatorId: null, storeId: member.homeStoreId, actor: claimActor(template.claimCode!) },
        transaction,
      );
      return issued;
    });
    return { code: coupon.code, name: template.name, rule: ruleText(template), validFrom: coupon.validFrom, validUntil: coupon.validUntil, usesTotal: coupon.usesTotal };
  }

  async pruneCodes(now = new Date()): Promise<number> {
    return this.codes.prune(now);
  }

  /** An active template with this claim code; anything else is one friendly 404. */
  private async open(claimCode: string): Promise<TemplateRecord> {
    const template = await this.deps.models.CouponTemplate.findOne({ where: { claimCode: claimCode.toLowerCase() } });
    if (!template || template.status !== 'active') throw new AppError('COUPON_CLAIM_NOT_FOUND');
    return template;
  }
}
