import type { FormItemRule, FormRules } from 'element-plus';
import type { ComposerTranslation } from 'vue-i18n';
import type { CouponTemplate, TemplateKind, TemplateRules, ValidityType } from '@/api/coupons';
import { fenToYuan, yuanToFen } from '@/utils/format';

export type StackMode = 'exclusive' | 'group';

/**
 * The template form: money in yuan with two decimals (sent as fen), the discount as 折
 * (8.5, sent as the percent paid, 85), fixed dates as a YYYY-MM-DD range, and empty
 * numbers for "no limit". Each kind sends only its own amount fields.
 */
export interface TemplateForm {
  kind: TemplateKind;
  name: string;
  amountOff: number | null;
  threshold: number | null;
  discountZhe: number | null;
  maxOff: number | null;
  itemSku: string;
  itemName: string;
  punchUses: number | null;
  validityType: ValidityType;
  validRange: [string, string] | null;
  validDays: number | null;
  delayDays: number;
  stock: number | null;
  perMemberLimit: number | null;
  perDayLimit: number | null;
  storeIds: number[];
  channels: string[];
  categories: string[];
  skus: string[];
  stackMode: StackMode;
  stackGroup: string;
  maxPerOrder: number;
  withTierDiscount: boolean;
  withPoints: boolean;
  claimable: boolean;
  claimCode: string;
  claimPerMember: number | null;
  description: string;
}

/** Mirrors the server's TemplateBody bounds. */
export const TEMPLATE_LIMITS = {
  nameMax: 64,
  yuanMax: 10_000_000,
  skuMax: 64,
  itemNameMax: 128,
  punchMin: 2,
  punchMax: 1000,
  validDaysMax: 3650,
  delayDaysMax: 365,
  stockMax: 10_000_000,
  perMemberMax: 1000,
  maxPerOrderMax: 99,
  groupMax: 32,
  descriptionMax: 500,
} as const;

/** Server field names the form shows, so a 422 lands on its item. */
export const TEMPLATE_FIELDS = [
  'name',
  'kind',
  'amountOff',
  'threshold',
  'discountRate',
  'maxOff',
  'itemSku',
  'itemName',
  'punchUses',
  'validityType',
  'validFrom',
  'validUntil',
  'validDays',
  'delayDays',
  'stock',
  'perMemberLimit',
  'perDayLimit',
  'storeIds',
  'channels',
  'categories',
  'skus',
  'stackGroup',
  'maxPerOrder',
  'claimCode',
  'claimPerMember',
  'description',
] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];

/** A claim code nobody has to think up: lower case, as the link keeps it. */
export function randomClaimCode(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join('');
}

const yuan = (fen: number | null) => (fen === null ? null : fenToYuan(fen));
const fen = (yuanValue: number | null) => (yuanValue === null || yuanValue === undefined ? null : yuanToFen(yuanValue));

export function blankTemplateForm(): TemplateForm {
  return {
    kind: 'full_reduction',
    name: '',
    amountOff: null,
    threshold: null,
    discountZhe: null,
    maxOff: null,
    itemSku: '',
    itemName: '',
    punchUses: 10,
    validityType: 'relative',
    validRange: null,
    validDays: 30,
    delayDays: 0,
    stock: null,
    perMemberLimit: 1,
    perDayLimit: null,
    storeIds: [],
    channels: [],
    categories: [],
    skus: [],
    stackMode: 'exclusive',
    stackGroup: '',
    maxPerOrder: 1,
    withTierDiscount: true,
    withPoints: true,
    claimable: false,
    claimCode: '',
    claimPerMember: null,
    description: '',
  };
}

export function templateForm(template: CouponTemplate): TemplateForm {
  return {
    kind: template.kind,
    name: template.name,
    amountOff: yuan(template.amountOff),
    threshold: yuan(template.threshold),
    discountZhe: template.discountRate === null ? null : template.discountRate / 10,
    maxOff: yuan(template.maxOff),
    itemSku: template.itemSku ?? '',
    itemName: template.itemName ?? '',
    punchUses: template.punchUses,
    validityType: template.validityType,
    validRange: template.validFrom && template.validUntil ? [template.validFrom, template.validUntil] : null,
    validDays: template.validDays,
    delayDays: template.delayDays,
    stock: template.stock,
    perMemberLimit: template.perMemberLimit,
    perDayLimit: template.perDayLimit,
    storeIds: [...template.storeIds],
    channels: [...template.channels],
    categories: [...template.categories],
    skus: [...template.skus],
    stackMode: template.stackGroup ? 'group' : 'exclusive',
    stackGroup: template.stackGroup ?? '',
    maxPerOrder: template.maxPerOrder,
    withTierDiscount: template.withTierDiscount,
    withPoints: template.withPoints,
    claimable: template.claimCode !== null,
    claimCode: template.claimCode ?? '',
    claimPerMember: template.claimPerMember,
    description: template.description ?? '',
  };
}

const uses = (kind: TemplateKind) => ({
  amountOff: kind === 'full_reduction' || kind === 'voucher',
  threshold: kind === 'full_reduction' || kind === 'discount',
  discount: kind === 'discount',
  item: kind === 'exchange' || kind === 'punch',
  punch: kind === 'punch',
});

/** Which amount fields the chosen kind shows. */
export const kindUses = uses;

/** The form as the server takes it; fields of other kinds go as null so a changed kind leaves nothing behind. */
export function templateBody(form: TemplateForm): TemplateRules {
  const kind = uses(form.kind);
  const fixed = form.validityType === 'fixed';
  return {
    name: form.name.trim(),
    kind: form.kind,
    amountOff: kind.amountOff ? fen(form.amountOff) : null,
    threshold: kind.threshold ? fen(form.threshold) || null : null,
    discountRate: kind.discount && form.discountZhe !== null ? Math.round(form.discountZhe * 10) : null,
    maxOff: kind.discount ? fen(form.maxOff) || null : null,
    itemSku: kind.item ? form.itemSku.trim() || null : null,
    itemName: kind.item ? form.itemName.trim() || null : null,
    punchUses: kind.punch ? form.punchUses : null,
    validityType: form.validityType,
    validFrom: fixed ? (form.validRange?.[0] ?? null) : null,
    validUntil: fixed ? (form.validRange?.[1] ?? null) : null,
    validDays: fixed ? null : form.validDays,
    delayDays: fixed ? 0 : form.delayDays,
    stock: form.stock,
    perMemberLimit: form.perMemberLimit,
    perDayLimit: form.perDayLimit,
    storeIds: [...form.storeIds],
    channels: [...form.channels],
    categories: form.categories.map((value) => value.trim()).filter(Boolean),
    skus: form.skus.map((value) => value.trim()).filter(Boolean),
    stackGroup: form.stackMode === 'group' ? form.stackGroup.trim() || null : null,
    maxPerOrder: form.maxPerOrder,
    withTierDiscount: form.withTierDiscount,
    withPoints: form.withPoints,
    claimCode: form.claimable ? form.claimCode.trim().toLowerCase() || null : null,
    claimPerMember: form.claimable ? form.claimPerMember : null,
    description: form.description.trim() || null,
  };
}

/** The rules of the form, mirroring the server's checks per kind. */
export function templateRules(t: ComposerTranslation, form: TemplateForm): FormRules<TemplateForm> {
  const required = (message: string, trigger = 'change'): FormItemRule => ({ required: true, message, trigger });
  const money = (message: string): FormItemRule[] => [
    { required: true, type: 'number', message, trigger: 'change' },
    { type: 'number', min: 0.01, message: t('coupons.rules.amountMin'), trigger: 'change' },
  ];
  return {
    name: [
      { required: true, whitespace: true, message: t('coupons.rules.nameRequired'), trigger: 'blur' },
      { max: TEMPLATE_LIMITS.nameMax, message: t('validation.maxLength', { max: TEMPLATE_LIMITS.nameMax }), trigger: 'blur' },
    ],
    amountOff: money(t('coupons.rules.amountRequired')),
    threshold:
      form.kind === 'full_reduction'
        ? [
            ...money(t('coupons.rules.thresholdRequired')),
            {
              trigger: 'change',
              validator: (_rule, value: number | null, callback) =>
                value !== null && form.amountOff !== null && value < form.amountOff ? callback(new Error(t('coupons.rules.thresholdAbove'))) : callback(),
            },
          ]
        : [],
    discountZhe: [
      { required: true, type: 'number', message: t('coupons.rules.rateRequired'), trigger: 'change' },
      { type: 'number', min: 0.1, max: 9.9, message: t('coupons.rules.rateRange'), trigger: 'change' },
    ],
    itemSku: [required(t('coupons.rules.itemRequired'), 'blur')],
    itemName: [required(t('coupons.rules.itemRequired'), 'blur')],
    punchUses: [{ required: true, type: 'number', min: TEMPLATE_LIMITS.punchMin, message: t('coupons.rules.punchRequired'), trigger: 'change' }],
    validRange: [{ required: true, type: 'array', message: t('coupons.rules.rangeRequired'), trigger: 'change' }],
    validDays: [{ required: true, type: 'number', min: 1, message: t('coupons.rules.daysRequired'), trigger: 'change' }],
    stackGroup: [
      required(t('coupons.rules.groupRequired'), 'blur'),
      { pattern: /^[A-Za-z0-9_-]+$/, message: t('coupons.rules.groupPattern'), trigger: 'blur' },
    ],
    claimCode: [
      required(t('coupons.rules.claimCodeRequired'), 'blur'),
      { pattern: /^[a-z0-9][a-z0-9-]{3,31}$/, message: t('coupons.rules.claimCodePattern'), trigger: 'blur' },
    ],
  };
}
