import type { PlainRecord } from '../access/field-policy/record-shape.js';
import type { CouponEventRecord, CouponRecord, TemplateRecord } from './models.js';
import { ruleText } from './rule-text.js';
import { businessDay } from './validity.js';

/** `<base>/c/<claimCode>`: the public claim page a template's QR code opens. */
export function claimPageUrl(baseUrl: string, claimCode: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/c/${encodeURIComponent(claimCode)}`;
}

/** A template as the console reads it; fixed dates as the business days they were set as. Unset strings of a new row read as null. */
export function templateView(template: TemplateRecord, timeZone: string) {
  return {
    id: template.id,
    name: template.name,
    kind: template.kind,
    amountOff: template.amountOff,
    threshold: template.threshold,
    discountRate: template.discountRate,
    maxOff: template.maxOff,
    itemSku: template.itemSku ?? null,
    itemName: template.itemName ?? null,
    punchUses: template.punchUses,
    validityType: template.validityType,
    validFrom: template.validFrom ? businessDay(template.validFrom, timeZone) : null,
    validUntil: template.validUntil ? businessDay(template.validUntil, timeZone) : null,
    validDays: template.validDays,
    delayDays: template.delayDays,
    stock: template.stock,
    issuedCount: template.issuedCount,
    remaining: template.stock === null ? null : Math.max(template.stock - template.issuedCount, 0),
    perMemberLimit: template.perMemberLimit,
    perDayLimit: template.perDayLimit,
    storeIds: template.storeIds,
    channels: template.channels,
    categories: template.categories,
    skus: template.skus,
    stackGroup: template.stackGroup ?? null,
    maxPerOrder: template.maxPerOrder,
    withTierDiscount: Boolean(template.withTierDiscount),
    withPoints: Boolean(template.withPoints),
    claimCode: template.claimCode ?? null,
    claimPerMember: template.claimPerMember,
    /** Set by the route, which knows the public origin the request came to. */
    claimUrl: null as string | null,
    status: template.status,
    description: template.description ?? null,
    rule: ruleText(template),
    locked: template.issuedCount > 0,
    createdBy: template.createdBy,
    createdAt: template.createdAt,
    updatedAt: template.updatedAt,
  };
}
export type TemplateView = ReturnType<typeof templateView>;

export function withClaimUrl(view: TemplateView, baseUrl: string): TemplateView {
  return { ...view, claimUrl: view.claimCode ? claimPageUrl(baseUrl, view.claimCode) : null };
}

/**
 * A coupon as every output shows it; `member` is the reader's projection of the holder
 * (card number and name through the field guard), null when the caller did not ask.
 */
export function couponView(coupon: CouponRecord, template: Pick<TemplateRecord, 'name' | 'kind'> & Parameters<typeof ruleText>[0], member: PlainRecord | null) {
  return {
    id: coupon.id,
    code: coupon.code,
    templateId: coupon.templateId,
    templateName: template.name,
    kind: template.kind,
    status: coupon.status,
    usesTotal: coupon.usesTotal,
    usesLeft: coupon.usesLeft,
    validFrom: coupon.validFrom,
    validUntil: coupon.validUntil,
    memberId: coupon.memberId,
    member: member as ({ id: number } & PlainRecord) | null,
    source: coupon.source,
    sourceRef: coupon.sourceRef,
    storeId: coupon.storeId,
    issuedBy: coupon.issuedBy,
    issuedAt: coupon.createdAt,
    rule: ruleText(template),
    voidReason: coupon.voidReason ?? null,
  };
}
export type CouponView = ReturnType<typeof couponView>;

export function eventView(event: CouponEventRecord) {
  return {
    id: event.id,
    type: event.type,
    orderId: event.orderId,
    refundId: event.refundId,
    operatorId: event.operatorId,
    reason: event.reason,
    at: event.at,
  };
}
