import { AppError } from '../../platform/errors/app-error.js';
import { invalidFields } from '../../platform/http/validation.js';
import type { TemplateKind, TemplateStatus } from './models.js';
import { KIND_LABELS } from './rule-text.js';

/** A template's rule fields as the service holds them while creating or changing one. */
export interface TemplateDraft {
  name: string;
  kind: TemplateKind;
  amountOff: number | null;
  threshold: number | null;
  discountRate: number | null;
  maxOff: number | null;
  itemSku: string | null;
  itemName: string | null;
  punchUses: number | null;
  validityType: 'fixed' | 'relative';
  validFrom: Date | null;
  validUntil: Date | null;
  validDays: number | null;
  delayDays: number;
  stock: number | null;
}

const KIND_FIELD_NAMES = ['amountOff', 'threshold', 'discountRate', 'maxOff', 'itemSku', 'itemName', 'punchUses'] as const;
type KindField = (typeof KIND_FIELD_NAMES)[number];

const FIELD_LABELS: Record<KindField | 'validFrom' | 'validUntil' | 'validDays' | 'delayDays', { zh: string; en: string }> = {
  amountOff: { zh: '减免金额', en: 'the amount off' },
  threshold: { zh: '使用门槛', en: 'the threshold' },
  discountRate: { zh: '折扣', en: 'the discount rate' },
  maxOff: { zh: '最高优惠', en: 'the cap' },
  itemSku: { zh: '兑换商品/服务编码', en: 'the item SKU' },
  itemName: { zh: '兑换商品/服务名称', en: 'the item name' },
  punchUses: { zh: '次数', en: 'the number of uses' },
  validFrom: { zh: '开始日期', en: 'the first day' },
  validUntil: { zh: '结束日期', en: 'the last day' },
  validDays: { zh: '有效天数', en: 'the days valid' },
  delayDays: { zh: '生效延迟天数', en: 'the delay' },
};

/** Which rule fields each kind needs and which it may have; the others must be empty. */
const KIND_FIELDS: Record<TemplateKind, { required: KindField[]; optional: KindField[] }> = {
  full_reduction: { required: ['amountOff', 'threshold'], optional: [] },
  voucher: { required: ['amountOff'], optional: [] },
  discount: { required: ['discountRate'], optional: ['threshold', 'maxOff'] },
  exchange: { required: ['itemSku', 'itemName'], optional: [] },
  punch: { required: ['itemSku', 'itemName', 'punchUses'], optional: [] },
};

interface Problem {
  path: string;
  code: string;
  zh: string;
  en: string;
}

/**
 * Every rule a template breaks, each on its field, so the console marks them all at once:
 * a kind's required fields, fields that kind does not use, and the validity.
 */
export function templateProblems(draft: TemplateDraft, issuedCount: number): Problem[] {
  const problems: Problem[] = [];
  const kind = KIND_LABELS[draft.kind];
  const { required, optional } = KIND_FIELDS[draft.kind];
  for (const field of KIND_FIELD_NAMES) {
    const value = draft[field];
    const label = FIELD_LABELS[field];
    if (required.includes(field) && value === null) {
      problems.push({ path: field, code: 'required', zh: `${kind.zh}须填写${label.zh}`, en: `A ${kind.en} coupon needs ${label.en}` });
    } else if (!required.includes(field) && !optional.includes(field) && value !== null) {
      problems.push({ path: field, code: 'not_for_kind', zh: `${kind.zh}不使用${label.zh}，请清空`, en: `A ${kind.en} coupon has no ${label.en}; clear it` });
    }
  }
  if (draft.kind === 'full_reduction' && draft.amountOff !== null && draft.threshold !== null && draft.amountOff > draft.threshold) {
    problems.push({ path: 'amountOff', code: 'above_threshold', zh: '减免金额不能大于使用门槛', en: 'The amount off cannot exceed the threshold' });
  }
  problems.push(...validityProblems(draft));
  if (draft.stock !== null && draft.stock < issuedCount) {
    problems.push({ path: 'stock', code: 'below_issued', zh: `库存不能少于已发出的 ${issuedCount} 张`, en: `The stock cannot be below the ${issuedCount} already issued` });
  }
  return problems;
}

function validityProblems(draft: TemplateDraft): Problem[] {
  const problems: Problem[] = [];
  const need = (field: 'validFrom' | 'validUntil' | 'validDays', zh: string, en: string) =>
    problems.push({ path: field, code: 'required', zh: `${zh}须填写${FIELD_LABELS[field].zh}`, en: `${en} needs ${FIELD_LABELS[field].en}` });
  const clear = (field: 'validFrom' | 'validUntil' | 'validDays' | 'delayDays', zh: string, en: string) =>
    problems.push({ path: field, code: 'not_for_validity', zh: `${zh}不使用${FIELD_LABELS[field].zh}，请清空`, en: `${en} has no ${FIELD_LABELS[field].en}; clear it` });
  if (draft.validityType === 'fixed') {
    const [zh, en] = ['固定日期有效期', 'A fixed validity'];
    if (draft.validFrom === null) need('validFrom', zh, en);
    if (draft.validUntil === null) need('validUntil', zh, en);
    if (draft.validDays !== null) clear('validDays', zh, en);
    if (draft.delayDays !== 0) clear('delayDays', zh, en);
    if (draft.validFrom && draft.validUntil && draft.validFrom > draft.validUntil) {
      problems.push({ path: 'validUntil', code: 'before_start', zh: '结束日期不能早于开始日期', en: 'The last day cannot be before the first' });
    }
  } else {
    const [zh, en] = ['领取后生效的有效期', 'A validity counted from issue'];
    if (draft.validDays === null) need('validDays', zh, en);
    if (draft.validFrom !== null) clear('validFrom', zh, en);
    if (draft.validUntil !== null) clear('validUntil', zh, en);
  }
  return problems;
}

/** A 422 naming every broken rule, or nothing. */
export function assertValidTemplate(draft: TemplateDraft, issuedCount: number): void {
  const problems = templateProblems(draft, issuedCount);
  if (problems.length > 0) throw invalidFields(problems);
}

/**
 * What may change once coupons of a template are out: the coupons were issued under its
 * rules, and a member holding one must get what it said. Names, limits on further issues,
 * the claim page and the status are not rules of issued coupons.
 */
export const CHANGEABLE_WHEN_LOCKED = new Set(['name', 'description', 'stock', 'perMemberLimit', 'perDayLimit', 'claimCode', 'claimPerMember', 'status']);

export function assertUnlocked(name: string, issuedCount: number, changed: readonly string[]): void {
  if (issuedCount === 0) return;
  const locked = changed.filter((field) => !CHANGEABLE_WHEN_LOCKED.has(field));
  if (locked.length > 0) throw new AppError('COUPON_TEMPLATE_LOCKED', { params: { name, fields: locked.join(', ') }, details: { fields: locked } });
}

export const STATUS_LABELS: Record<TemplateStatus, { zh: string; en: string }> = {
  draft: { zh: '草稿', en: 'draft' },
  active: { zh: '进行中', en: 'active' },
  paused: { zh: '已暂停', en: 'paused' },
  ended: { zh: '已结束', en: 'ended' },
};

const TRANSITIONS: Record<TemplateStatus, TemplateStatus[]> = {
  draft: ['active', 'ended'],
  active: ['paused', 'ended'],
  paused: ['active', 'ended'],
  // Ended is final: coupons out there keep their rules, and a new campaign is a new template.
  ended: [],
};

export function assertTransition(name: string, from: TemplateStatus, to: TemplateStatus): void {
  if (from === to || TRANSITIONS[from].includes(to)) return;
  throw new AppError('COUPON_TEMPLATE_BAD_TRANSITION', { params: { name, from: STATUS_LABELS[from], to: STATUS_LABELS[to] } });
}
