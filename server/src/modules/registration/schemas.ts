import { IdParams, isoDate } from '../../platform/http/common-schemas.js';
import { localized } from '../../platform/http/validation.js';
import { z } from '../../platform/http/zod.js';
import { MemberCreate, PhoneSchema } from '../members/schemas.js';
import { CHANNEL_BUILTIN_FIELDS } from './models.js';

/**
 * Channel codes are case-insensitive and kept lower-case: MySQL's collation compares them
 * without case and SQLite with it, and a printed URL must mean the same on both.
 */
export const ChannelCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,32}$/, { error: localized('渠道编码只能包含字母、数字、- 和 _，最长 32 位', 'Letters, digits, - and _ only, at most 32') })
  .transform((v) => v.toLowerCase());

const fields = z
  .array(z.enum(CHANNEL_BUILTIN_FIELDS))
  .max(CHANNEL_BUILTIN_FIELDS.length)
  .refine((list) => new Set(list).size === list.length, { error: localized('字段不能重复', 'Each field may be listed once') });

const channelShape = {
  name: z.string().trim().min(1).max(64),
  storeId: z.number().int().positive(),
  status: z.enum(['active', 'paused']),
  /** Shown on the page above the form, folded; the member must accept it to register. */
  privacyNotice: z.string().trim().min(1).max(20_000),
  /** The marketing consent checkbox's text; ticking it is optional. */
  consentText: z.string().trim().min(1).max(500),
  fields,
};

export const DEFAULT_CONSENT_TEXT = '我同意接收会员优惠、活动等营销短信，可随时回复 TD 退订';

export const ChannelBody = z.strictObject({
  code: ChannelCode,
  ...channelShape,
  status: channelShape.status.default('active'),
  consentText: channelShape.consentText.default(DEFAULT_CONSENT_TEXT),
  fields: fields.default([]),
});

/** The code never changes: it is printed on posters as a QR code. */
export const ChannelPatch = z.strictObject(channelShape).partial();

export const ChannelQuery = z.strictObject({
  storeId: z.coerce.number().int().positive().optional(),
  status: z.enum(['active', 'paused']).optional(),
  keyword: z.string().trim().max(64).optional(),
});

export const Channel = z
  .object({
    id: z.number().int(),
    code: z.string(),
    name: z.string(),
    storeId: z.number().int(),
    status: z.enum(['active', 'paused']),
    privacyNotice: z.string(),
    consentText: z.string(),
    fields: z.array(z.string()),
    /** The public page the QR code opens. */
    url: z.string(),
    createdAt: isoDate,
    updatedAt: isoDate,
  })
  .openapi('RegistrationChannel');

export const ChannelList = z.object({ items: z.array(Channel) }).openapi('RegistrationChannelList');

export const QrQuery = z.strictObject({
  /** Pixels of the PNG's side; print shops want 1000 and more. */
  size: z.coerce.number().int().min(128).max(2048).default(512),
  download: z.enum(['0', '1']).optional(),
});

export const CodeParams = z.strictObject({ code: ChannelCode });

const text = z.object({ zh: z.string(), en: z.string() });
const option = z.object({ value: z.string(), label: text });
const formField = z.object({
  key: z.string(),
  type: z.string(),
  label: text,
  required: z.boolean(),
  helpText: text.nullable(),
  options: z.array(option),
  rules: z.record(z.string(), z.union([z.number(), z.string()])),
  defaultValue: z.unknown(),
});
const regionOption = z.object({ value: z.string(), label: z.string(), children: z.array(z.object({ value: z.string(), label: z.string() })) });

export const PublicForm = z
  .object({
    channel: z.object({ code: z.string(), name: z.string() }),
    store: z.object({ name: z.string() }),
    privacyNotice: z.string(),
    consentText: z.string(),
    fields: z.array(formField),
    /** Provinces and their cities, when a region field is on the form. */
    regions: z.array(regionOption),
    codeLength: z.number().int(),
    resendSeconds: z.number().int(),
  })
  .openapi('RegistrationForm');

export const SmsCodeBody = z.strictObject({ phone: PhoneSchema });

export const SmsCodeSent = z
  .object({ sentTo: z.string(), expiresInSeconds: z.number().int(), resendInSeconds: z.number().int() })
  .openapi('RegistrationCodeSent');

const builtin = MemberCreate.pick({ name: true, nickname: true, gender: true, birthday: true, region: true, email: true, custom: true }).shape;

export const SubmitBody = z.strictObject({
  phone: PhoneSchema,
  code: z.string().trim().regex(/^\d{6}$/, { error: localized('请输入 6 位数字验证码', 'Enter the 6-digit code') }),
  privacyAccepted: z.literal(true, { error: localized('请阅读并同意隐私政策', 'Read and accept the privacy notice') }),
  consent: z.strictObject({ marketing: z.boolean() }),
  ...builtin,
});

export const Registered = z.object({ cardNo: z.string(), storeName: z.string() }).openapi('SelfRegistration');

export { IdParams };
