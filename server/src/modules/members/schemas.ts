import { localized } from '../../platform/http/validation.js';
import { z } from '../../platform/http/zod.js';
import { IdParams, optionalText } from '../../platform/http/common-schemas.js';
import { isFullEmail, isFullPhone, normalisePhone } from '../access/field-policy/formats.js';
import { isValidCardNumber } from '../../platform/ids/card-number.js';
import { isResidentIdNumber } from './formats.js';
import { isDateText, isRegionCode } from './form/index.js';
import { MEMBER_SORTS } from './list-query.js';

export const PhoneSchema = z
  .string()
  .trim()
  .refine(isFullPhone, { error: localized('请输入 11 位中国大陆手机号', 'Enter an 11-digit mainland China mobile number') })
  .transform(normalisePhone);

const email = z
  .string()
  .trim()
  .max(254)
  .refine(isFullEmail, { error: localized('电子邮箱格式不正确', 'Not a valid e-mail address') });

const idNumber = z
  .string()
  .trim()
  .refine(isResidentIdNumber, { error: localized('身份证号格式或校验位不正确', 'Not a valid resident ID number (format or check character)') })
  .transform((v) => v.toUpperCase());

const birthday = z
  .string()
  .refine(isDateText, { error: localized('请输入有效日期，格式 YYYY-MM-DD', 'Enter a real date as YYYY-MM-DD') })
  .refine((v) => v >= '1900-01-01' && new Date(`${v}T00:00:00Z`).getTime() <= Date.now() + 86_400_000, {
    error: localized('生日须在 1900 年之后且不晚于今天', 'The birthday must be after 1900 and not in the future'),
  });

const region = z.string().refine(isRegionCode, { error: localized('不是有效的行政区划代码', 'Not a known region code') });

export const CardNoSchema = z
  .string()
  .trim()
  .refine(isValidCardNumber, { error: localized('会员卡号无效（校验位不符）', 'Not a valid card number (check digit does not match)') });

const channelCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,32}$/, { error: localized('渠道编码只能包含字母、数字、- 和 _', 'Letters, digits, - and _ only') });

const id = z.number().int().positive();

export const MemberCreate = z.strictObject({
  cardNo: CardNoSchema.optional(),
  name: optionalText(64),
  nickname: optionalText(64),
  gender: z.enum(['male', 'female', 'other']).nullable().optional(),
  birthday: birthday.nullable().optional(),
  region: region.nullable().optional(),
  phone: PhoneSchema,
  email: email.nullable().optional(),
  wechatId: optionalText(64),
  idNumber: idNumber.nullable().optional(),
  homeStoreId: id.optional(),
  channel: channelCode.nullable().optional(),
  referrerId: id.nullable().optional(),
  managerId: id.nullable().optional(),
  notes: optionalText(1000),
  custom: z.record(z.string(), z.unknown()).optional(),
});

/** The card number, registration and balances never change through an edit; status has its own actions. */
export const MemberPatch = MemberCreate.omit({ cardNo: true }).partial();

const reason = z.string().trim().min(2).max(200);

export const FreezeBody = z.strictObject({ reason });
export const UnfreezeBody = z.strictObject({ reason: reason.optional() });
export const RevealBody = z.strictObject({
  fields: z.array(z.string().max(80)).min(1).max(30),
  reason,
});

const day = z.string().refine(isDateText, { error: localized('请输入日期，格式 YYYY-MM-DD', 'Enter a date as YYYY-MM-DD') });
const fen = z.coerce.number().int().min(0);

const CUSTOM_FILTER = /^custom\.[a-z][a-z0-9_]{0,63}$/;

const MemberQueryBase = z.object({
  keyword: z.string().trim().min(1).max(64).optional(),
  storeId: z.coerce.number().int().positive().optional(),
  channel: z.string().trim().max(32).optional(),
  tierId: z.coerce.number().int().positive().optional(),
  managerId: z.coerce.number().int().positive().optional(),
  status: z.enum(['normal', 'frozen', 'erased']).optional(),
  /** Registration days in the business timezone, both ends included. */
  registeredFrom: day.optional(),
  registeredTo: day.optional(),
  birthdayMonth: z.coerce.number().int().min(1).max(12).optional(),
  spendMin: fen.optional(),
  spendMax: fen.optional(),
  sort: z.enum(MEMBER_SORTS).default('registeredAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
  limit: z.coerce.number().int().min(1).max(200).default(20),
  cursor: z.string().max(512).optional(),
});

/** `custom.<key>=<value>` filters by a searchable custom field; any other extra key is refused. */
function withCustomFilters<T extends z.ZodObject>(schema: T): z.ZodType<z.output<T> & { [filter: `custom.${string}`]: string }, z.input<T>> {
  const known = new Set(Object.keys(schema.shape));
  return schema.catchall(z.string().max(255)).superRefine((query, context) => {
    for (const key of Object.keys(query as object)) {
      if (key.startsWith('custom.') ? !CUSTOM_FILTER.test(key) : !known.has(key)) {
        context.addIssue({ code: 'unrecognized_keys', keys: [key], path: [], message: localized(`未知的查询参数：${key}`, `Unknown query parameter: ${key}`)() });
      }
    }
  }) as never;
}

export const MemberQuery = withCustomFilters(MemberQueryBase);
/** An export takes every member the list's filters match, in the list's order. */
export const MemberExportBody = withCustomFilters(MemberQueryBase.omit({ cursor: true, limit: true }));

export const LookupQuery = z
  .strictObject({ phone: PhoneSchema.optional(), cardNo: CardNoSchema.optional() })
  .refine((q) => (q.phone === undefined) !== (q.cardNo === undefined), {
    error: localized('请提供手机号或卡号之一', 'Give either a phone number or a card number'),
  });

/**
 * A member as the caller may see it: the field guard has already dropped hidden fields
 * and masked masked ones, so every field but the id may be absent.
 */
export const Member = z
  .object({
    id: z.number().int(),
    cardNo: z.string().nullable(),
    name: z.string().nullable(),
    nickname: z.string().nullable(),
    gender: z.string().nullable(),
    birthday: z.string().nullable(),
    region: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    wechatId: z.string().nullable(),
    idNumber: z.string().nullable(),
    status: z.string(),
    frozenReason: z.string().nullable(),
    homeStoreId: z.number().int(),
    channel: z.string().nullable(),
    referrerId: z.number().int().nullable(),
    managerId: z.number().int().nullable(),
    registeredAt: z.string(),
    lastVisitAt: z.string().nullable(),
    notes: z.string().nullable(),
    pointsBalance: z.number().int(),
    storedValueBalance: z.number().int(),
    totalSpent: z.number().int(),
    // Masked for a role that may not read balances.
    points: z.union([z.number().int(), z.string()]),
    wallet: z.union([z.object({ principal: z.number().int(), bonus: z.number().int() }), z.string()]),
    tierId: z.number().int().nullable(),
    custom: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .partial()
  .required({ id: true })
  .openapi('Member');

export const MemberPage = z
  .object({ items: z.array(Member), nextCursor: z.string().nullable() })
  .openapi('MemberPage');

export const RevealResult = z
  .object({ id: z.number().int(), values: z.record(z.string(), z.unknown()) })
  .openapi('MemberReveal');

export const ConsentBody = z.strictObject({
  sms: z.boolean().optional(),
  email: z.boolean().optional(),
  wechat: z.boolean().optional(),
  source: z.enum(['counter', 'console', 'phone_call', 'paper_form', 'api']).default('console'),
});

const consentState = z.object({ granted: z.boolean(), source: z.string().nullable(), occurredAt: z.string().nullable() });
export const Consents = z
  .object({
    current: z.object({ sms: consentState, email: consentState, wechat: consentState }),
    history: z.array(
      z.object({ channel: z.string(), granted: z.boolean(), source: z.string(), actorUserId: z.number().int().nullable(), occurredAt: z.string() }),
    ),
  })
  .openapi('MemberConsents');

export const EraseBody = z.strictObject({ reason });
export const EraseResult = z
  .object({ id: z.number().int(), status: z.literal('erased'), erasedAt: z.string(), cleared: z.array(z.string()) })
  .openapi('MemberErasure');

export const PersonalData = z
  .object({
    exportedAt: z.string(),
    fields: z.record(z.string(), z.object({ zh: z.string(), en: z.string() })),
    profile: z.record(z.string(), z.unknown()),
    consents: Consents,
  })
  .openapi('MemberPersonalData');

export const Overview = z
  .object({
    member: Member,
    recentOrders: z.array(z.unknown()),
    coupons: z.array(z.unknown()),
    tags: z.array(z.unknown()),
    tier: z.unknown().openapi({ description: "The member's tier, progress and explanation (GET /members/:id/tier); null without loyalty:tier:view" }),
    tierHistory: z.array(z.unknown()),
    activity: z.array(
      z.object({
        id: z.number().int(),
        occurredAt: z.string(),
        action: z.string(),
        actorName: z.string().nullable(),
        summary: z.string(),
        diff: z.unknown(),
      }),
    ),
  })
  .openapi('MemberOverview');

export { IdParams };
