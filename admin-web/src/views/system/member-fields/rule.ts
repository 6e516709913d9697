import type { FormRules } from 'element-plus';
import type { ComposerTranslation } from 'vue-i18n';
import type { CustomFieldType, FieldTypeInfo, RuleName } from '@/api/member-fields';
import type { FormValue } from '@/components/member-form/values';

/**
 * The field editor's model and rules, mirroring the server's definition schema
 * (members/form/definition-schema.ts and definition-rules.ts): key in lower snake case and
 * not a built-in member key, labels up to 32 (zh) / 64 (en) characters, option values in
 * [a-z0-9_], rule bounds that fit the type and each other.
 */
export interface OptionDraft {
  value: string;
  zh: string;
  en: string;
  retired: boolean;
  /** saved on the server: its value is fixed and it cannot be removed, only retired */
  saved: boolean;
}

/** Rule inputs: min/max are yuan for money, 'YYYY-MM-DD' for date, counts for multi-choice. */
export interface RulesDraft {
  min: number | string | null;
  max: number | string | null;
  minLength: number | null;
  maxLength: number | null;
  pattern: string;
  scale: number | null;
  maxRating: number | null;
}

export interface FieldDraft {
  key: string;
  type: CustomFieldType;
  labelZh: string;
  labelEn: string;
  required: boolean;
  unique: boolean;
  searchable: boolean;
  onRegistration: boolean;
  group: string;
  helpZh: string;
  helpEn: string;
  rules: RulesDraft;
  options: OptionDraft[];
  defaultValue: FormValue;
}

export function emptyRules(): RulesDraft {
  return { min: null, max: null, minLength: null, maxLength: null, pattern: '', scale: null, maxRating: null };
}

/** The server's defaults for a new field of a type, shown so the admin sees what applies. */
export function typeDefaultRules(type: CustomFieldType): RulesDraft {
  const rules = emptyRules();
  if (type === 'text') rules.maxLength = 200;
  if (type === 'textarea') rules.maxLength = 2000;
  if (type === 'decimal') rules.scale = 2;
  if (type === 'money') rules.min = 0;
  if (type === 'rating') rules.maxRating = 5;
  return rules;
}

export const FIELD_KEY_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;
export const OPTION_VALUE_PATTERN = /^[a-z0-9_]{1,32}$/;
export const MAX_LENGTH_CAPS: Partial<Record<CustomFieldType, number>> = { text: 255, textarea: 5000 };

const BUILTIN_KEYS = [
  'cardNo', 'name', 'nickname', 'gender', 'birthday', 'region', 'phone', 'email', 'wechatId', 'idNumber',
  'status', 'frozenReason', 'homeStoreId', 'channel', 'referrerId', 'managerId', 'registeredAt', 'lastVisitAt',
  'notes', 'pointsBalance', 'storedValueBalance', 'totalSpent', 'tierId', 'id', 'custom', 'createdAt', 'updatedAt',
];
const squash = (key: string) => key.replace(/_/g, '').toLowerCase();
const TAKEN = new Set(BUILTIN_KEYS.map(squash));

export function fieldRules(t: ComposerTranslation, creating: boolean): FormRules<FieldDraft> {
  const max = (length: number) => ({ max: length, message: t('validation.maxLength', { max: length }), trigger: 'blur' });
  return {
    key: creating
      ? [
          { required: true, message: t('memberFields.rules.keyRequired'), trigger: 'blur' },
          { pattern: FIELD_KEY_PATTERN, message: t('memberFields.rules.keyPattern'), trigger: 'blur' },
          {
            trigger: 'blur',
            validator: (_rule, value: string, callback) =>
              TAKEN.has(squash(value ?? '')) ? callback(new Error(t('memberFields.rules.keyBuiltin'))) : callback(),
          },
        ]
      : [],
    type: [{ required: true, message: t('memberFields.rules.typeRequired'), trigger: 'change' }],
    labelZh: [{ required: true, whitespace: true, message: t('memberFields.rules.labelRequired'), trigger: 'blur' }, max(32)],
    labelEn: [max(64)],
    group: [max(32)],
    helpZh: [max(200)],
    helpEn: [max(400)],
  };
}

/** Problems the el-form rules cannot see (option rows, rules against each other), by the server's paths. */
export function draftProblems(draft: FieldDraft, traits: FieldTypeInfo | undefined, t: ComposerTranslation): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!traits) return problems;
  if (traits.options) {
    const seen = new Set<string>();
    draft.options.forEach((option, index) => {
      if (!OPTION_VALUE_PATTERN.test(option.value)) problems[`options.${index}.value`] = t('memberFields.rules.optionValue');
      else if (seen.has(option.value)) problems[`options.${index}.value`] = t('memberFields.rules.optionDuplicate');
      seen.add(option.value);
      if (!option.zh.trim()) problems[`options.${index}.label.zh`] = t('memberFields.rules.optionLabel');
      else if ([...option.zh.trim()].length > 32) problems[`options.${index}.label.zh`] = t('validation.maxLength', { max: 32 });
    });
    if (!draft.options.some((option) => !option.retired)) problems.options = t('memberFields.rules.optionsRequired');
  }
  const rules = draft.rules;
  const has = (name: RuleName) => traits.rules.includes(name);
  const { min, max } = rules;
  if (has('min') && has('max') && min !== null && max !== null && min !== '' && max !== '' && min > max) {
    problems['rules.max'] = t('memberFields.rules.maxBelowMin');
  }
  if (has('minLength') && has('maxLength') && rules.minLength !== null && rules.maxLength !== null && rules.minLength > rules.maxLength) {
    problems['rules.minLength'] = t('memberFields.rules.minLengthAboveMax');
  }
  const cap = MAX_LENGTH_CAPS[draft.type];
  if (cap !== undefined && rules.maxLength !== null && rules.maxLength > cap) problems['rules.maxLength'] = t('memberFields.rules.maxLengthCap', { cap });
  if (has('pattern') && rules.pattern) {
    if (rules.pattern.length > 200) problems['rules.pattern'] = t('validation.maxLength', { max: 200 });
    else {
      try {
        new RegExp(rules.pattern, 'u');
      } catch {
        problems['rules.pattern'] = t('memberFields.rules.patternInvalid');
      }
    }
  }
  if (draft.type === 'rating') {
    const top = rules.maxRating ?? 5;
    if ((typeof min === 'number' && min < 1) || (typeof max === 'number' && max > top)) problems.rules = t('memberFields.rules.ratingBounds', { max: top });
  }
  return problems;
}
